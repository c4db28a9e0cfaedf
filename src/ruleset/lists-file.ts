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
  /** Empty when the file has errors. */
  readonly lists: readonly NamedList[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and shape-checks a lists.yaml (schema/lists.schema.json): `lists: {name: [values]}`. */
export async function loadListsFile(file: string, shape: RuleShapeCheck): Promise<ListsFileResult> {
  const text = await readSmallTextFile(file);
  if (typeof text !== 'string') return { lists: [], diagnostics: [text] };
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return { lists: [], diagnostics: parsed.diagnostics };
  const { value, positions } = parsed.document;
  const report = new PositionedDiagnostics(file, positions);
  if (!shape.check(value, report) || !isMapping(value)) return { lists: [], diagnostics: report.diagnostics };
  const lists = ownField(value, 'lists') as Readonly<Record<string, unknown[]>>;
  return {
    lists: Object.entries(lists).map(([name, values]) => ({ name, values: [...values], position: { file, ...positions.keyAt(childPointer('/lists', name)) } })),
    diagnostics: [],
  };
}
