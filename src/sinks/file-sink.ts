import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { writeFileAtomically } from '../shared/atomic-write-file.js';
import type { AuditSummary } from './audit-summary.js';
import type { FindingSink } from './finding-sink.js';
import { findingsJsonText } from './findings-json-text.js';

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

  async write(findings: Iterable<AwsSecurityFinding>, _summary: AuditSummary): Promise<void> {
    try {
      await writeFileAtomically(this.#path, findingsJsonText(findings));
    } catch (error) {
      throw new Error(`cannot write findings to ${this.#path}: ${reasonOf(error)}`, { cause: error });
    }
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
