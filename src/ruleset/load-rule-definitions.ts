import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Diagnostic } from '../shared/diagnostics.js';
import { isListsFile, loadListsFile } from './lists-file.js';
import { mergeNamedLists, type NamedList, type NamedLists } from './named-lists.js';
import { builtInRulesFolder } from './package-paths.js';
import type { RuleDefinition } from './rule.js';
import { loadRuleFile, readFailure, type RuleFileResult } from './rule-file.js';
import { linkSigmaCorrelations, type LoadedRuleItem } from './sigma/link-sigma-correlations.js';
import { RuleShapeCheck } from './rule-schema.js';

/** Which rules to load: the built-in pack, and rule files or folders (searched recursively for *.yaml, *.yml). */
export interface RuleSelection {
  readonly builtIn: boolean;
  readonly paths: readonly string[];
}

export interface LoadedRuleDefinitions {
  /** The rules without errors, built-in pack first, then by path. */
  readonly definitions: RuleDefinition[];
  /** The named lists: the config's and those of every lists.yaml found, for the config's params and suppressions. */
  readonly lists: NamedLists;
  /** Every mistake found in every file; a file with errors contributes no definition. */
  readonly diagnostics: Diagnostic[];
}

const RULE_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Finds, reads and validates rule files, reporting all mistakes at once. A file named lists.yaml (or
 * lists.yml) is no rule: it holds named lists, which every loaded rule may read, as it may read the
 * config's `configLists`. Throws only for I/O failures of the package itself.
 */
export async function loadRuleDefinitions(selection: RuleSelection, configLists: readonly NamedList[] = []): Promise<LoadedRuleDefinitions> {
  const shape = RuleShapeCheck.forRuleFiles();
  const listsShape = RuleShapeCheck.forListsFiles();
  const diagnostics: Diagnostic[] = [];
  const files: { readonly file: string; readonly builtIn: boolean }[] = [];
  const seen = new Set<string>();
  const add = (list: readonly string[], builtIn: boolean): void => {
    for (const file of list) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({ file, builtIn });
    }
  };

  if (selection.builtIn) add(await ruleFilesIn(builtInRulesFolder()), true);
  for (const path of selection.paths) {
    const found = await ruleFilesAt(resolve(path));
    if (typeof found === 'string') diagnostics.push({ file: path, code: 'rules-path', message: found, severity: 'error' });
    else add(found, false);
  }

  const listFiles = await Promise.all(files.filter(({ file }) => isListsFile(file)).map(({ file }) => loadListsFile(file, listsShape)));
  const merged = mergeNamedLists([configLists, ...listFiles.map((result) => result.lists)]);
  diagnostics.push(...listFiles.flatMap((result) => result.diagnostics), ...merged.diagnostics);
  const ruleFiles = files.filter(({ file }) => !isListsFile(file));
  const results = await Promise.all(ruleFiles.map(({ file, builtIn }) => loadRuleFile(file, builtIn, shape, merged.lists)));
  const items: LoadedRuleItem[] = [];
  const firstFileById = new Map<string, string>();
  for (const result of results) {
    diagnostics.push(...result.diagnostics);
    for (const item of result.items) {
      const duplicate = duplicateId(item, firstFileById);
      if (duplicate !== undefined) diagnostics.push(duplicate);
      else items.push(item);
    }
  }
  // Sigma correlations refer to rules of any file: linked once every file is read.
  const linked = linkSigmaCorrelations(items);
  diagnostics.push(...linked.diagnostics);
  return { definitions: linked.definitions, lists: merged.lists, diagnostics };
}

function duplicateId(item: RuleFileResult['items'][number], firstFileById: Map<string, string>): Diagnostic | undefined {
  const { id, file } = item.kind === 'rule' ? item.definition : { id: item.correlation.metadata.rule.id, file: item.correlation.file };
  const first = firstFileById.get(id);
  if (first === undefined) {
    firstFileById.set(id, file);
    return undefined;
  }
  return {
    file,
    ...item.idPosition,
    code: 'duplicate-id',
    message: `rule id '${id}' is already defined in ${first}; ids must be unique across all loaded rules`,
    severity: 'error',
  };
}

/** A file as given (whatever its extension), or the rule files of a folder; a string when the path is unusable. */
async function ruleFilesAt(path: string): Promise<readonly string[] | string> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return await ruleFilesIn(path);
    if (info.isFile()) return [path];
    return 'not a file or folder';
  } catch (error) {
    return `cannot read rules from this path: ${readFailure(error)}`;
  }
}

/** *.yaml and *.yml files under a folder, recursively, sorted by path; hidden entries are skipped. */
async function ruleFilesIn(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await ruleFilesIn(path)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && RULE_EXTENSIONS.has(extname(entry.name))) found.push(path);
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
