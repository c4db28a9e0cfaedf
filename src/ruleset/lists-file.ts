import { basename } from 'node:path';
import type { Diagnostic } from '../shared/diagnostics.js';
import { childPointer } from './json-pointer.js';
import type { NamedList } from './named-lists.js';
import { PositionedDiagnostics } from './positioned-diagnostics.js';
import { isMapping, ownField } from './raw-value.js';
import { readSmallTextFile } from './rule-file.js';
import type { RuleShapeCheck } from './rule-schema.js';
import { parseYamlDocument } from './yaml-document.js';

/** The file name that holds a rule pack's named lists, in any folder of a rules path; it is not a rule. */
export const LISTS_FILE_NAMES: readonly string[] = ['lists.yaml', 'lists.yml'];

export function isListsFile(file: string): boolean {
  return LISTS_FILE_NAMES.includes(basename(file));
}

export interface ListsFileResult {
  /**
   * Every list the file defines with a valid name, a list with errors without its values; empty when
   * the file is not a mapping with a `lists:` mapping.
   */
  readonly lists: readonly NamedList[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads and shape-checks a lists.yaml (schema/lists.schema.json): `lists: {name: [values]}`. One bad
 * list does not take the others with it: each list is checked alone, and the file's mistakes are
 * reported as a whole, each at its position.
 */
export async function loadListsFile(file: string, shape: RuleShapeCheck): Promise<ListsFileResult> {
  const text = await readSmallTextFile(file);
  if (typeof text !== 'string') return { lists: [], diagnostics: [text] };
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return { lists: [], diagnostics: parsed.diagnostics };
  const { value, positions } = parsed.document;
  const report = new PositionedDiagnostics(file, positions);
  const fileValid = shape.check(value, report);
  const lists = isMapping(value) ? ownField(value, 'lists') : undefined;
  if (!isMapping(lists)) return { lists: [], diagnostics: report.diagnostics };
  const shapeHolds = (name: string, values: unknown): boolean =>
    fileValid || shape.check({ lists: Object.fromEntries([[name, values]]) }, new PositionedDiagnostics(file, positions));
  return {
    // A name the schema refuses (`__proto__`) defines nothing: no reference can name it.
    lists: Object.entries(lists)
      .filter(([name]) => shapeHolds(name, []))
      .map(([name, values]) => ({
        name,
        values: shapeHolds(name, values) ? [...(values as unknown[])] : undefined,
        position: { file, ...positions.keyAt(childPointer('/lists', name)) },
      })),
    diagnostics: report.diagnostics,
  };
}
