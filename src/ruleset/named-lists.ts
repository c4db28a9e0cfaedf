import { basename, dirname, relative } from 'node:path';
import { quoted, type Diagnostic } from '../shared/diagnostics.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { childPointer, type JsonPointer } from './json-pointer.js';
import type { PositionedDiagnostics } from './positioned-diagnostics.js';
import { isMapping, singleStringKey, type RawMapping } from './raw-value.js';
import { ELEMENT_QUANTIFIERS, type SourcePosition } from './rule.js';
import type { TextPosition } from './yaml-document.js';

/** A list defined once, under `lists:` in the config or in a rule pack's lists.yaml, and read by name. */
export interface NamedList {
  readonly name: string;
  /**
   * Undefined when the definition has errors (reported there): a reference to such a list is an error
   * too, so that no rule runs without the values it was written for.
   */
  readonly values: readonly unknown[] | undefined;
  /** Where the list was defined (its name), for messages about its use. */
  readonly position: SourcePosition;
}

/** Named lists by name. A Map: a name from a file (`constructor`, `__proto__`) is only a key. */
export type NamedLists = ReadonlyMap<string, NamedList>;

export const NO_LISTS: NamedLists = new Map();

/** `{list: NAME}` as written in a rule, a parameter or a suppression: a mapping with exactly the key `list`. */
export function listReferenceName(value: unknown): string | undefined {
  return singleStringKey(value, 'list');
}

/** `file:line:col`, how a message in the file `from` points at a list's definition: the path relative to `from`'s folder. */
export function listPlace(list: NamedList, from: string): string {
  const file = relative(dirname(from), list.position.file) || basename(list.position.file);
  return `${file}:${list.position.line}:${list.position.column}`;
}

/**
 * Merges lists from their sources (the config first, then each lists.yaml): a name defined twice is an
 * error at the second definition, naming the first. There is no overriding: a rule must read the same
 * values wherever it runs, and a config that needs other values sets the rule's parameter instead.
 */
export function mergeNamedLists(sources: readonly (readonly NamedList[])[]): { lists: NamedLists; diagnostics: Diagnostic[] } {
  const lists = new Map<string, NamedList>();
  const diagnostics: Diagnostic[] = [];
  for (const list of sources.flat()) {
    const first = lists.get(list.name);
    if (first === undefined) {
      lists.set(list.name, list);
      continue;
    }
    diagnostics.push({
      ...list.position,
      code: 'duplicate-list',
      message: `list ${quoted(list.name)} is already defined at ${listPlace(first, list.position.file)}; a list name is defined once, in the config or in one lists.yaml`,
      severity: 'error',
    });
  }
  return { lists, diagnostics };
}

/** The config's `lists:` (already shape-checked: each a list of strings, numbers or booleans) with their positions. */
export function configNamedLists(
  lists: Readonly<Record<string, readonly unknown[]>>,
  file: string,
  positionOf: (pointer: string, part?: 'key' | 'value') => TextPosition | undefined,
): NamedList[] {
  return Object.entries(lists).map(([name, values]) => ({
    name,
    values,
    position: { file, ...(positionOf(childPointer('/lists', name), 'key') ?? { line: 1, column: 1 }) },
  }));
}

/** For a reference to a list whose definition has errors, from the file `from`. */
function invalidListMessage(list: NamedList, from: string): string {
  return `list ${quoted(list.name)} has errors in its definition at ${listPlace(list, from)}: fix them first`;
}

function unknownListMessage(name: string, lists: NamedLists): string {
  const names = [...lists.keys()].sort();
  const known = names.length === 0 ? 'no lists are defined (lists: in the config, or a lists.yaml in a rules path)' : `lists: ${names.join(', ')}`;
  return `no list is named ${quoted(name)}${didYouMean(name, names)}; ${known}`;
}

/**
 * What a list reference is replaced with: its values, or undefined (reported, reference left in place)
 * when no list has the name. `notes` learns, per substituted pointer, which list the values came from,
 * so that a mistake found in them later says so.
 */
export class ListSubstitution {
  readonly #lists: NamedLists;
  readonly #report: PositionedDiagnostics;
  readonly #notes = new Map<JsonPointer, string>();
  readonly #file: string;

  /** `file`: the file the references are written in, from which messages point at the lists. */
  constructor(lists: NamedLists, report: PositionedDiagnostics, file: string) {
    this.#lists = lists;
    this.#report = report;
    this.#file = file;
  }

  /**
   * The value with `{list: NAME}` replaced by the list's values (a copy), when it is a reference. A
   * reference to an unknown list or to one with errors is reported and left in place.
   */
  value(value: unknown, pointer: JsonPointer): unknown {
    const name = listReferenceName(value);
    if (name === undefined) return value;
    const list = this.#lists.get(name);
    if (list === undefined) {
      this.#report.error(childPointer(pointer, 'list'), 'unknown-list', unknownListMessage(name, this.#lists));
      return value;
    }
    if (list.values === undefined) {
      this.#report.error(childPointer(pointer, 'list'), 'invalid-list', invalidListMessage(list, this.#file));
      return value;
    }
    this.#notes.set(pointer, `list ${list.name}, defined at ${listPlace(list, this.#file)}`);
    return [...list.values];
  }

  /** A condition tree with every comparison's `{list: NAME}` value replaced, through all, any, not and element conditions. */
  conditions(node: unknown, pointer: JsonPointer): unknown {
    if (!isMapping(node)) return node;
    return mapValues(node, (key, child) => {
      const at = childPointer(pointer, key);
      if ((key === 'all' || key === 'any') && Array.isArray(child)) return child.map((item: unknown, index) => this.conditions(item, childPointer(at, index)));
      if (key === 'not' || (ELEMENT_QUANTIFIERS as readonly string[]).includes(key)) return this.conditions(child, at);
      return key === 'value' ? this.value(child, at) : child;
    });
  }

  /** For a mistake at `pointer`: which list its value came from, when it came from one. */
  noteFor(pointer: JsonPointer): string | undefined {
    for (const [substituted, note] of this.#notes) {
      if (pointer === substituted || pointer.startsWith(`${substituted}/`)) return note;
    }
    return undefined;
  }
}

/**
 * A rule as parsed, with its list references replaced where a rule may have them: scope.eventSource,
 * scope.notEventSource, scope.eventName, a parameter's default, condition values, and the parameters a
 * test sets. Test events are data and are never touched.
 */
export function substituteRuleLists(rule: unknown, substitution: ListSubstitution): unknown {
  if (!isMapping(rule)) return rule;
  return mapValues(rule, (key, value) => {
    if (key === 'conditions') return substitution.conditions(value, '/conditions');
    if (key === 'tests' && Array.isArray(value))
      return value.map((test: unknown, index) => substituteTestParams(test, childPointer('/tests', index), substitution));
    if (key === 'scope' && isMapping(value)) {
      return mapValues(value, (scopeKey, scopeValue) =>
        LIST_VALUED_SCOPE_KEYS.includes(scopeKey) ? substitution.value(scopeValue, childPointer('/scope', scopeKey)) : scopeValue,
      );
    }
    if (key === 'params' && isMapping(value)) {
      return mapValues(value, (name, declaration) =>
        isMapping(declaration)
          ? mapValues(declaration, (field, fieldValue) =>
              field === 'default' ? substitution.value(fieldValue, childPointer(childPointer('/params', name), 'default')) : fieldValue,
            )
          : declaration,
      );
    }
    return value;
  });
}

/** A test's `params:`, each value a parameter's value as the config would set it: `{list: NAME}` is one. */
function substituteTestParams(test: unknown, pointer: JsonPointer, substitution: ListSubstitution): unknown {
  if (!isMapping(test)) return test;
  return mapValues(test, (key, params) =>
    key === 'params' && isMapping(params)
      ? mapValues(params, (name, value) => substitution.value(value, childPointer(childPointer(pointer, 'params'), name)))
      : params,
  );
}

const LIST_VALUED_SCOPE_KEYS: readonly string[] = ['eventSource', 'notEventSource', 'eventName'];

/** A copy of a mapping with each value mapped. Object.fromEntries makes every key an own property, `__proto__` included, as the parser did. */
function mapValues(mapping: RawMapping, map: (key: string, value: unknown) => unknown): RawMapping {
  return Object.fromEntries(Object.entries(mapping).map(([key, value]) => [key, map(key, value)]));
}

/** Where the config wrote what is at a JSON pointer, as the config loader knows it. */
export type PositionInConfig = (pointer: string, part?: 'key' | 'value') => TextPosition | undefined;

/**
 * The config's params with every `{list: NAME}` replaced by the list's values, and a position function
 * that places a mistake inside a substituted value at its reference. An unknown name is an error and the
 * reference stays, so that the rules reading the parameter find an invalid value and do not run; so
 * does a reference to a list whose definition has errors.
 */
export function substituteParamLists(
  params: Readonly<Record<string, unknown>>,
  lists: NamedLists,
  configFile: string,
  positionInConfig: PositionInConfig = () => undefined,
): { params: Readonly<Record<string, unknown>>; positionInConfig: PositionInConfig; diagnostics: Diagnostic[] } {
  const substituted = Object.create(null) as Record<string, unknown>;
  const fromLists = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const [name, value] of Object.entries(params)) {
    const listName = listReferenceName(value);
    const list = listName === undefined ? undefined : lists.get(listName);
    substituted[name] = list?.values === undefined ? value : [...list.values];
    if (list?.values !== undefined) fromLists.add(childPointer('/params', name));
    if (listName !== undefined && list?.values === undefined) {
      diagnostics.push({
        file: configFile,
        ...positionInConfig(childPointer(childPointer('/params', name), 'list')),
        code: list === undefined ? 'unknown-list' : 'invalid-list',
        message: `params.${name}: ${list === undefined ? unknownListMessage(listName, lists) : invalidListMessage(list, configFile)}`,
        severity: 'error',
      });
    }
  }
  const positions: PositionInConfig = (pointer, part) => {
    const reference = [...fromLists].find((at) => pointer.startsWith(`${at}/`));
    return positionInConfig(reference ?? pointer, reference === undefined ? part : 'value');
  };
  return { params: substituted, positionInConfig: positions, diagnostics };
}
