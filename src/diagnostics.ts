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
 * line: the file name and the message come from outside and are escaped (src/terminal-text.ts).
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [displayName(d.file), d.line, d.line === undefined ? undefined : d.column].filter((part) => part !== undefined).join(':');
  return `${where}: ${d.severity} ${d.code}: ${escapeText(d.message)}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
