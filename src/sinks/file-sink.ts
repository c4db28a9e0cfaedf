import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { writeFileAtomically } from '../atomic-write-file.js';
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
    try {
      await writeFileAtomically(this.#path, findingsFileText(findings));
    } catch (error) {
      throw new Error(`cannot write findings to ${this.#path}: ${reasonOf(error)}`, { cause: error });
    }
  }
}

/**
 * `JSON.stringify({ Findings: findings }, null, 2)` and a newline, in pieces of a few findings: the
 * same bytes without ever holding the whole text (86 MB for 16,000 findings) and its UTF-8 copy.
 * Each piece is JSON.stringify of `{ Findings: <a few findings> }` less its first and last lines, so the
 * findings come out already indented at their depth in the file; the pieces are slices of that text,
 * never joined to others, so encoding them copies nothing twice.
 */
export function* findingsFileText(findings: readonly AwsSecurityFinding[]): Generator<string> {
  if (findings.length === 0) {
    yield '{\n  "Findings": []\n}\n';
    return;
  }
  const PER_PIECE = 64;
  for (let start = 0; start < findings.length; start += PER_PIECE) {
    const text = JSON.stringify({ Findings: findings.slice(start, start + PER_PIECE) }, null, 2);
    const end = text.length - FILE_TAIL.length;
    if (start === 0) {
      yield text.slice(0, end);
    } else {
      yield ',\n';
      yield text.slice(FILE_HEAD.length, end);
    }
  }
  yield `${FILE_TAIL}\n`;
}

/** What JSON.stringify with an indent of 2 puts before the first and after the last of a non-empty Findings list. */
const FILE_HEAD = '{\n  "Findings": [\n';
const FILE_TAIL = '\n  ]\n}';

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
