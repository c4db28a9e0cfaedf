import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditSummary } from '../audit-summary.js';
import type { FindingSink } from './finding-sink.js';

/**
 * Writes `{"Findings": [...]}` — the shape of BatchImportFindings' request body, so the file can be
 * imported as is — to one file. The write is atomic: a temporary file in the same folder is written,
 * flushed to disk and renamed over the target, so a reader (or a crash) never sees half a file and a
 * failed write leaves the previous file untouched.
 */
export class FileFindingSink implements FindingSink {
  readonly description: string;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    this.description = `file:${path}`;
  }

  async write(findings: readonly AwsSecurityFinding[], _summary: AuditSummary): Promise<void> {
    await writeFileAtomically(this.#path, `${JSON.stringify({ Findings: findings }, null, 2)}\n`);
  }
}

/** Replaces `path` with `text` all at once, or throws and leaves `path` as it was. */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  // Same folder as the target: rename is atomic only within one file system.
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // Best effort: the failure being reported matters more than a stray temporary file.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new Error(`cannot write findings to ${path}: ${reasonOf(error)}`, { cause: error });
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const messages: Readonly<Record<string, string>> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOENT: 'the folder does not exist',
      ENOSPC: 'no space left on the device',
      EFBIG: 'the file is larger than allowed',
      EROFS: 'the file system is read-only',
      EISDIR: 'the path is a folder',
      ENOTDIR: 'a part of the path is not a folder',
    };
    return Object.hasOwn(messages, error.code) ? `${messages[error.code]} (${error.code})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
