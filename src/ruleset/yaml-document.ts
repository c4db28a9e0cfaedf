import { CORE_SCHEMA, EVENT_ID, SCALAR_STYLE, YAMLException, constructFromEvents, getScalarValue, parseEvents, type Event } from 'js-yaml';
import { excerpt, quoted, type Diagnostic } from '../shared/diagnostics.js';
import { childPointer, parentPointer, ROOT_POINTER, type JsonPointer } from './json-pointer.js';

/** 1-based, like editors show them. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Bounds on what a YAML file may make the loader do. `maxAliases` alone does not stop an alias bomb
 * (ten levels of ten aliases is 100 aliases but 10^10 nodes once anything walks the value), so the
 * number of nodes the document expands to is bounded too.
 */
export interface YamlLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxExpandedNodes: number;
}

export const YAML_LIMITS: YamlLimits = { maxDepth: 64, maxAliases: 100, maxExpandedNodes: 100_000 };

/** The explicit tags of YAML's core schema; any other tag (`!!js/function`, `!foo`) is refused. */
const CORE_TAGS = new Set(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!seq', '!!map']);

/** Where each node of a YAML document was written, by JSON pointer. */
export class YamlPositions {
  readonly #values = new Map<JsonPointer, TextPosition>();
  readonly #keys = new Map<JsonPointer, TextPosition>();

  /** @internal Used while the document is walked. */
  record(pointer: JsonPointer, value: TextPosition, key?: TextPosition): void {
    this.#values.set(pointer, value);
    if (key !== undefined) this.#keys.set(pointer, key);
  }

  /** Where the value at `pointer` starts, or the nearest enclosing node that was written (e.g. an alias). */
  valueAt(pointer: JsonPointer): TextPosition {
    for (let p = pointer; ; p = parentPointer(p)) {
      const found = this.#values.get(p);
      if (found !== undefined) return found;
      if (p === ROOT_POINTER) return { line: 1, column: 1 };
    }
  }

  /** Where the mapping key holding `pointer` was written; for list items and the root, where the value is. */
  keyAt(pointer: JsonPointer): TextPosition {
    return this.#keys.get(pointer) ?? this.valueAt(pointer);
  }
}

export interface YamlDocument {
  readonly value: unknown;
  readonly positions: YamlPositions;
}

export type YamlParseResult = { readonly ok: true; readonly document: YamlDocument } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export type YamlDocumentsParseResult =
  { readonly ok: true; readonly documents: readonly YamlDocument[] } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses one YAML document as plain data (YAML 1.2 core schema: no custom tags, no merge keys) and
 * records the position of every key and value. Every duplicate key, refused tag and alias problem is
 * reported, not only the first.
 */
export function parseYamlDocument(text: string, file: string, limits: YamlLimits = YAML_LIMITS): YamlParseResult {
  return onlyDocument(parseYamlDocuments(text, file, limits), file);
}

/** The one document of a parsed stream; several are an error. */
export function onlyDocument(parsed: YamlDocumentsParseResult, file: string): YamlParseResult {
  if (!parsed.ok) return parsed;
  const [document] = parsed.documents;
  if (document === undefined || parsed.documents.length > 1) {
    return {
      ok: false,
      diagnostics: [{ file, code: 'yaml-multiple-documents', message: 'a rule file holds one YAML document; remove the `---` separators', severity: 'error' }],
    };
  }
  return { ok: true, document };
}

/**
 * Parses the documents of a YAML stream (separated by `---`), as {@link parseYamlDocument} does one, each
 * with its own positions: a Sigma file may hold a correlation and the rules it refers to. The limits
 * bound the whole stream.
 */
export function parseYamlDocuments(text: string, file: string, limits: YamlLimits = YAML_LIMITS): YamlDocumentsParseResult {
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: limits.maxDepth });
  } catch (error) {
    return { ok: false, diagnostics: [yamlExceptionDiagnostic(error, file)] };
  }

  const walk = new DocumentWalk(text, file, new LineIndex(text), limits);
  for (const event of events) walk.visit(event);
  if (walk.diagnostics.length > 0) return { ok: false, diagnostics: walk.diagnostics };
  if (walk.positions.length === 0 || walk.isEmpty) {
    return { ok: false, diagnostics: [{ file, code: 'yaml-empty', message: 'the file holds no YAML document', severity: 'error' }] };
  }

  try {
    const values = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA, maxAliases: limits.maxAliases });
    return { ok: true, documents: values.map((value, index) => ({ value, positions: walk.positions[index] ?? new YamlPositions() })) };
  } catch (error) {
    return { ok: false, diagnostics: [yamlExceptionDiagnostic(error, file)] };
  }
}

function yamlExceptionDiagnostic(error: unknown, file: string): Diagnostic {
  if (!(error instanceof YAMLException)) throw error;
  const where = error.mark === undefined ? {} : { line: error.mark.line + 1, column: error.mark.column + 1 };
  return { file, ...where, code: 'yaml-syntax', message: error.reason, severity: 'error' };
}

class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  positionOf(offset: number): TextPosition {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 };
  }
}

/** Where a node goes: a key of the open mapping, or a value at a pointer (null: under a refused key). */
type NodeRole = { readonly kind: 'key' } | { readonly kind: 'value'; readonly pointer: JsonPointer | null };

interface OpenCollection {
  readonly role: NodeRole;
  readonly kind: 'mapping' | 'sequence';
  readonly anchor: string | undefined;
  /** The expanded-node count when the collection opened, to size its anchor. */
  readonly countAtStart: number;
  /** Sequences: the next item's index. */
  nextIndex: number;
  /** Mappings: keys seen so far, with where each was first written. */
  readonly keys: Map<string, number>;
  /** Mappings: the key whose value comes next; null when it was refused; undefined when a key comes next. */
  currentKey: { readonly name: string } | null | undefined;
}

/** Walks the parser's events once: positions by pointer, duplicate keys, tags, alias expansion. */
class DocumentWalk {
  /** One per document, in order. */
  readonly positions: YamlPositions[] = [];
  readonly diagnostics: Diagnostic[] = [];
  isEmpty = true;

  readonly #text: string;
  readonly #limits: YamlLimits;
  readonly #lines: LineIndex;
  readonly #file: string;
  readonly #stack: OpenCollection[] = [];
  /** Nodes each anchor expands to, so an alias is charged its full size. */
  readonly #anchorSizes = new Map<string, number>();
  #aliasCount = 0;
  /** Nodes the document expands to so far, counting each alias as a copy of its anchor. */
  #expandedNodes = 0;
  #expansionReported = false;

  constructor(text: string, file: string, lines: LineIndex, limits: YamlLimits) {
    this.#text = text;
    this.#file = file;
    this.#lines = lines;
    this.#limits = limits;
  }

  visit(event: Event): void {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        this.positions.push(new YamlPositions());
        return;
      case EVENT_ID.SCALAR: {
        const start = scalarStart(event);
        this.#checkTag(event.tagStart, event.tagEnd);
        const role = this.#place(start);
        if (role.kind === 'key') this.#takeKey(getScalarValue(this.#text, event), start);
        this.#count(1, start);
        this.#finish(role, this.#anchorName(event.anchorStart, event.anchorEnd), 1);
        return;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const start = firstSet(event.anchorStart, event.tagStart, event.start);
        this.#checkTag(event.tagStart, event.tagEnd);
        const role = this.#place(start);
        if (role.kind === 'key') this.#refuseKey(start, 'mapping keys must be plain strings');
        this.#stack.push({
          role,
          kind: event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence',
          anchor: this.#anchorName(event.anchorStart, event.anchorEnd),
          countAtStart: this.#expandedNodes,
          nextIndex: 0,
          keys: new Map(),
          currentKey: undefined,
        });
        this.#count(1, start);
        return;
      }
      case EVENT_ID.ALIAS: {
        const start = event.anchorStart - 1;
        const role = this.#place(start);
        this.#aliasCount += 1;
        if (this.#aliasCount === this.#limits.maxAliases + 1) {
          this.#report(start, 'yaml-aliases', `more than ${this.#limits.maxAliases} aliases (*name); rule and config files need few, if any`);
        }
        if (role.kind === 'key') this.#refuseKey(start, 'mapping keys must be plain strings, not aliases');
        this.#count(this.#anchorSizes.get(this.#text.slice(event.anchorStart, event.anchorEnd)) ?? 1, start);
        this.#finish(role, undefined, 0);
        return;
      }
      case EVENT_ID.POP: {
        const closed = this.#stack.pop();
        if (closed !== undefined) this.#finish(closed.role, closed.anchor, this.#expandedNodes - closed.countAtStart);
        return;
      }
    }
  }

  /** Decides where a new node goes, and records its position when it has a pointer. */
  #place(start: number): NodeRole {
    this.isEmpty = false;
    const parent = this.#stack.at(-1);
    if (parent === undefined) {
      this.#documentPositions().record(ROOT_POINTER, this.#lines.positionOf(start));
      return { kind: 'value', pointer: ROOT_POINTER };
    }
    const parentPointer = parent.role.kind === 'value' ? parent.role.pointer : null;
    if (parent.kind === 'sequence') {
      const index = parent.nextIndex;
      parent.nextIndex += 1;
      return this.#valueAt(parentPointer === null ? null : childPointer(parentPointer, index), start);
    }
    if (parent.currentKey === undefined) return { kind: 'key' };
    const key = parent.currentKey;
    if (key === null || parentPointer === null) return { kind: 'value', pointer: null };
    const pointer = childPointer(parentPointer, key.name);
    const keyOffset = parent.keys.get(key.name);
    this.#documentPositions().record(pointer, this.#lines.positionOf(start), keyOffset === undefined ? undefined : this.#lines.positionOf(keyOffset));
    return { kind: 'value', pointer };
  }

  /** The positions of the document being walked (the parser opens every document with an event). */
  #documentPositions(): YamlPositions {
    const current = this.positions.at(-1);
    if (current === undefined) throw new Error('bug: a YAML node outside a document');
    return current;
  }

  #valueAt(pointer: JsonPointer | null, start: number): NodeRole {
    if (pointer !== null) this.#documentPositions().record(pointer, this.#lines.positionOf(start));
    return { kind: 'value', pointer };
  }

  #takeKey(name: string, offset: number): void {
    const mapping = this.#stack.at(-1);
    if (mapping === undefined) return;
    const first = mapping.keys.get(name);
    if (first === undefined) {
      mapping.keys.set(name, offset);
      mapping.currentKey = { name };
      return;
    }
    const firstLine = this.#lines.positionOf(first).line;
    this.#report(offset, 'yaml-duplicate-key', `duplicate key ${quoted(name)} (first written on line ${firstLine})`);
    mapping.currentKey = null;
  }

  #refuseKey(offset: number, message: string): void {
    this.#report(offset, 'yaml-complex-key', message);
    const mapping = this.#stack.at(-1);
    if (mapping !== undefined) mapping.currentKey = null;
  }

  /** A node is complete: a key hands over to its value, a value hands over to the next key. */
  #finish(role: NodeRole, anchor: string | undefined, size: number): void {
    if (anchor !== undefined) this.#anchorSizes.set(anchor, size);
    const parent = this.#stack.at(-1);
    if (parent?.kind === 'mapping' && role.kind === 'value') parent.currentKey = undefined;
  }

  #count(nodes: number, offset: number): void {
    this.#expandedNodes += nodes;
    if (this.#expandedNodes > this.#limits.maxExpandedNodes && !this.#expansionReported) {
      this.#expansionReported = true;
      this.#report(offset, 'yaml-aliases', `aliases expand the document to more than ${this.#limits.maxExpandedNodes} nodes (an alias bomb?)`);
    }
  }

  #checkTag(tagStart: number, tagEnd: number): void {
    if (tagStart < 0) return;
    const tag = this.#text.slice(tagStart, tagEnd);
    if (CORE_TAGS.has(tag)) return;
    this.#report(tagStart, 'yaml-tag', `tag ${excerpt(tag)} is not allowed: rule and config files are plain data (allowed tags: ${[...CORE_TAGS].join(', ')})`);
  }

  #anchorName(start: number, end: number): string | undefined {
    return start >= 0 ? this.#text.slice(start, end) : undefined;
  }

  #report(offset: number, code: string, message: string): void {
    this.diagnostics.push({ file: this.#file, ...this.#lines.positionOf(offset), code, message, severity: 'error' });
  }
}

/** Where a scalar starts as the reader sees it: at its anchor, tag or opening quote. */
function scalarStart(event: Extract<Event, { type: typeof EVENT_ID.SCALAR }>): number {
  const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  return firstSet(event.anchorStart, event.tagStart, quoted ? event.valueStart - 1 : event.valueStart);
}

function firstSet(...offsets: number[]): number {
  return Math.min(...offsets.filter((offset) => offset >= 0));
}
