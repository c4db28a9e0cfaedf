import { load, YAMLException } from 'js-yaml';
import type { Diagnostic } from '../diagnostics.js';
import type { PositionOf } from './validate-config.js';

export interface ParsedConfigText {
  readonly value?: unknown;
  readonly positionOf: PositionOf;
  readonly diagnostics: readonly Diagnostic[];
}

/** YAML (JSON is a subset) with js-yaml's safe core schema; aliases and depth bounded. */
export function parseConfigText(text: string, file: string): ParsedConfigText {
  try {
    const value = load(text, { filename: file, maxAliases: 100, maxDepth: 50 });
    return { value, positionOf: () => undefined, diagnostics: [] };
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark;
      return {
        positionOf: () => undefined,
        diagnostics: [{ file, ...(mark ? { line: mark.line + 1, column: mark.column + 1 } : {}), code: 'yaml-syntax', message: error.reason, severity: 'error' }],
      };
    }
    throw error;
  }
}
