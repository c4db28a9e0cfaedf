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
  readonly #noteFor: (pointer: JsonPointer) => string | undefined;

  /** `noteFor`: what to add to a mistake's message at a pointer, e.g. which named list its value came from. */
  constructor(file: string, positions: YamlPositions, noteFor: (pointer: JsonPointer) => string | undefined = () => undefined) {
    this.#file = file;
    this.#positions = positions;
    this.#noteFor = noteFor;
  }

  /** A mistake in the value at `pointer` (wrong type, bad operator, ...). */
  error(pointer: JsonPointer, code: string, message: string): void {
    this.#add(this.#positions.valueAt(pointer), code, this.#noted(pointer, message), 'error');
  }

  /** A mistake in the key that holds `pointer` (unknown key, ...). */
  keyError(pointer: JsonPointer, code: string, message: string): void {
    this.#add(this.#positions.keyAt(pointer), code, this.#noted(pointer, message), 'error');
  }

  /** A mistake at a position worked out by the caller (inside a scalar's text, e.g. a Sigma condition). */
  errorAt(at: { line: number; column: number }, code: string, message: string): void {
    this.#add(at, code, message, 'error');
  }

  /** A warning at a position worked out by the caller (a Sigma value, kept with its position). */
  warningAt(at: { line: number; column: number }, code: string, message: string): void {
    this.#add(at, code, message, 'warning');
  }

  warning(pointer: JsonPointer, code: string, message: string): void {
    this.#add(this.#positions.valueAt(pointer), code, this.#noted(pointer, message), 'warning');
  }

  #noted(pointer: JsonPointer, message: string): string {
    const note = this.#noteFor(pointer);
    return note === undefined ? message : `${message} (${note})`;
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
