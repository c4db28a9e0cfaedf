import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The one step a test may replace, to simulate a crash at the commit point. */
export interface AtomicWriteSteps {
  readonly rename?: (from: string, to: string) => Promise<void>;
}

/**
 * Replaces `file` with `text` (or its pieces in order, so a large file is never one string) so that a reader (or a run after a crash) sees either the old content
 * or the new, never a mix: write a temp file in the same folder (rename is only atomic within one file
 * system), fsync it, rename it over the target, then fsync the folder so the rename itself survives
 * a power loss. Creates the folder when needed. On failure the temp file is removed and the old file
 * is untouched.
 */
export async function writeFileAtomically(file: string, text: string | Iterable<string>, steps: AtomicWriteSteps = {}): Promise<void> {
  const folder = path.dirname(file);
  await mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      // Each writeFile continues at the handle's position: the pieces land one after the other.
      for (const piece of typeof text === 'string' ? [text] : text) await handle.writeFile(piece, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await (steps.rename ?? rename)(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/**
 * Some systems cannot fsync a folder (Windows refuses to open one: EISDIR/EPERM; some network file
 * systems answer EINVAL). The rename has happened by then, so there it is as durable as it gets.
 */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
