import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';

/** What the index needs to know of a rule: its scope. */
export interface ScopedEntry {
  readonly scope: { readonly eventSource: readonly string[]; readonly eventName?: readonly string[] };
}

interface SourceEntries<T> {
  /** Per event name that some rule of this source names: the rules it can match, in the order given. */
  readonly byEventName: ReadonlyMap<string, readonly T[]>;
  /** The rules of this source without an eventName scope: what any other event name can match. */
  readonly anyEventName: readonly T[];
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Rules indexed by their scope, eventSource then eventName, so that a record meets only the rules it could
 * match: a DetectAnomalies record never sees the rules about deletions. Every list is precomputed in the
 * order the rules were given, so a lookup is two Map reads and no merging. Maps, not objects: an event
 * source or name such as `__proto__` from a record is just a key that is not there.
 */
export class RuleIndex<T extends ScopedEntry> {
  readonly #bySource: ReadonlyMap<string, SourceEntries<T>>;

  constructor(entries: readonly T[]) {
    const sources = new Set(entries.flatMap((entry) => entry.scope.eventSource));
    const bySource = new Map<string, SourceEntries<T>>();
    for (const source of sources) {
      const ofSource = entries.filter((entry) => entry.scope.eventSource.includes(source));
      const names = new Set(ofSource.flatMap((entry) => entry.scope.eventName ?? []));
      const byEventName = new Map<string, readonly T[]>();
      for (const name of names) {
        byEventName.set(name, ofSource.filter((entry) => entry.scope.eventName === undefined || entry.scope.eventName.includes(name)));
      }
      bySource.set(source, { byEventName, anyEventName: ofSource.filter((entry) => entry.scope.eventName === undefined) });
    }
    this.#bySource = bySource;
  }

  /** The entries whose scope the record's eventSource and eventName satisfy, in the order given. */
  candidatesFor(record: CloudTrailRecord): readonly T[] {
    const eventSource = stringField(record, 'eventSource');
    if (eventSource === undefined) return NONE;
    const entries = this.#bySource.get(eventSource);
    if (entries === undefined) return NONE;
    const eventName = stringField(record, 'eventName');
    if (eventName === undefined) return entries.anyEventName;
    return entries.byEventName.get(eventName) ?? entries.anyEventName;
  }
}
