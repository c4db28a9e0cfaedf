import type { Diagnostic } from '../shared/diagnostics.js';
import { parseYamlDocument, YAML_LIMITS } from '../ruleset/yaml-document.js';
import type { PositionOf } from './validate-config.js';

export interface ParsedConfigText {
  readonly value?: unknown;
  readonly positionOf: PositionOf;
  readonly diagnostics: readonly Diagnostic[];
}

const NO_POSITIONS: PositionOf = () => undefined;

/**
 * YAML (JSON is a subset) with the rule files' parser: safe core schema, custom tags refused, aliases
 * and depth bounded, and every key's position kept so that config mistakes read `file:line:col`.
 * An empty file (or one of comments only) is a config with no settings, not a mistake.
 */
export function parseConfigText(text: string, file: string): ParsedConfigText {
  const parsed = parseYamlDocument(text, file, YAML_LIMITS);
  if (!parsed.ok) {
    const empty = parsed.diagnostics.every((d) => d.code === 'yaml-empty');
    return empty ? { value: {}, positionOf: NO_POSITIONS, diagnostics: [] } : { positionOf: NO_POSITIONS, diagnostics: parsed.diagnostics };
  }
  const { positions } = parsed.document;
  return {
    value: parsed.document.value,
    positionOf: (pointer, part) => (part === 'key' ? positions.keyAt(pointer) : positions.valueAt(pointer)),
    diagnostics: [],
  };
}
