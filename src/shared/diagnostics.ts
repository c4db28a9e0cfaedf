import { displayName, escapeText } from './terminal-text.js';

/**
 * A user mistake found in a file we read (rule, config, event log), with its position.
 * Loaders collect these and return them all at once; they throw only for bugs and I/O failures.
 */
export interface Diagnostic {
  readonly file: string;
  /** 1-based; absent when the mistake has no single position (e.g. a missing file). */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  /** Stable, kebab-case: `yaml-syntax`, `unknown-key`, `unknown-operator`, `invalid-cidr`, ... */
  readonly code: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/**
 * `file:line:col: severity code: message`, the format editors and CI annotators understand, on one
 * line: the file name and the message come from outside and are escaped (src/shared/terminal-text.ts).
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [displayName(d.file), d.line, d.line === undefined ? undefined : d.column].filter((part) => part !== undefined).join(':');
  return `${where}: ${d.severity} ${d.code}: ${escapeText(d.message)}`;
}

/** The most characters of a value read from a file that a diagnostic quotes. */
export const EXCERPT_LENGTH = 80;

/**
 * What a diagnostic quotes of a value it read from a file: the value itself when it is at most
 * {@link EXCERPT_LENGTH} characters long, otherwise only its first token (up to the first whitespace),
 * cut at {@link EXCERPT_LENGTH} characters, and `…` for what is left out. A config or rule path may
 * lead, through a symlink, to a file of secrets (a `.env` reads as one long YAML string): a mistake
 * found in it must not print the file.
 */
export function excerpt(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return text;
  const token = /\S+/.exec(text)?.[0] ?? '';
  // Code points, so that a cut never splits a surrogate pair.
  const points = Array.from(token.slice(0, 2 * EXCERPT_LENGTH + 2));
  return `${points.length > EXCERPT_LENGTH ? points.slice(0, EXCERPT_LENGTH).join('') : token}${ELLIPSIS}`;
}

/** {@link excerpt} in single quotes, as messages quote a key or a value: `'CreateDatset'`. */
export function quoted(text: string): string {
  return `'${excerpt(text)}'`;
}

const ELLIPSIS = '…';

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
