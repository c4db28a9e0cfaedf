import type { Diagnostic } from '../shared/diagnostics.js';
import type { JsonPointer } from './json-pointer.js';
import type { YamlPositions } from './yaml-document.js';

/**
 * Collects the mistakes found in one YAML file, placing each at the key or value a JSON pointer names,
 * so every layer of validation can report without knowing about line numbers.
 */
export class PositionedDiagnostics {
  readonly #file: string;
  readonly #positions: YamlPositions;
  readonly #found: Diagnostic[] = [];

  constructor(file: string, positions: YamlPositions) {
    this.#file = file;
    this.#positions = positions;
  }

  /** A mistake in the value at `pointer` (wrong type, bad operator, ...). */
  error(pointer: JsonPointer, code: string, message: string): void {
    this.#add(this.#positions.valueAt(pointer), code, message, 'error');
  }

  /** A mistake in the key that holds `pointer` (unknown key, ...). */
  keyError(pointer: JsonPointer, code: string, message: string): void {
    this.#add(this.#positions.keyAt(pointer), code, message, 'error');
  }

  /** A mistake at a position worked out by the caller (inside a scalar's text, e.g. a Sigma condition). */
  errorAt(at: { line: number; column: number }, code: string, message: string): void {
    this.#add(at, code, message, 'error');
  }

  warning(pointer: JsonPointer, code: string, message: string): void {
    this.#add(this.#positions.valueAt(pointer), code, message, 'warning');
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.#found;
  }

  get errorCount(): number {
    return this.#found.filter((d) => d.severity === 'error').length;
  }

  /** The same mistake reached twice (a parameter default checked for two conditions) is reported once. */
  #add(at: { line: number; column: number }, code: string, message: string, severity: Diagnostic['severity']): void {
    const repeated = this.#found.some((d) => d.line === at.line && d.column === at.column && d.code === code && d.message === message);
    if (repeated) return;
    this.#found.push({ file: this.#file, line: at.line, column: at.column, code, message, severity });
  }
}
