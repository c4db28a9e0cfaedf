import type { Diagnostic } from '../diagnostics.js';
import { parseYamlDocument } from '../ruleset/yaml-document.js';
import type { PositionOf } from './validate-config.js';

export interface ParsedConfigText {
  readonly value?: unknown;
  readonly positionOf: PositionOf;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * YAML (JSON is a subset) read by the same loader as rule files: core schema only (no `!!js/…` or
 * other custom tags), duplicate keys refused, aliases bounded by how far they expand (an alias bomb
 * is refused before anything walks it), and the position of every value kept for error messages.
 */
export function parseConfigText(text: string, file: string): ParsedConfigText {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return { positionOf: () => undefined, diagnostics: parsed.diagnostics };
  const { positions } = parsed.document;
  return { value: parsed.document.value, positionOf: (pointer) => positions.valueAt(pointer), diagnostics: [] };
}
