import { readFile } from 'node:fs/promises';
import type { AuditState } from './audit-state.js';
import { writeFileAtomically, type AtomicWriteSteps } from '../shared/atomic-write-file.js';
import { parseAuditState, serializeAuditState } from './state-file-format.js';

/**
 * The state at `file`; undefined when the file does not exist (no run has completed yet).
 * Throws AuditStateFileError when it is corrupt or of an unknown version, and an error naming
 * the file when it cannot be read.
 */
export async function readAuditState(file: string): Promise<AuditState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot read the audit state: ${(error as Error).message}`, { cause: error });
  }
  return parseAuditState(text, file);
}

/** Writes the state atomically (see writeFileAtomically), creating its folder if needed. */
export async function writeAuditState(file: string, state: AuditState, steps?: AtomicWriteSteps): Promise<void> {
  await writeFileAtomically(file, serializeAuditState(state), steps);
}
