import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import type { RuleScope } from '../ruleset/rule.js';
import { eventSourceInScope } from '../ruleset/rule-scope.js';

/** What the index needs to know of a rule: its scope. */
export interface ScopedEntry {
  readonly scope: RuleScope;
}

interface SourceEntries<T> {
  /** Per event name that some rule of this source names: the rules it can match, in the order given. */
  readonly byEventName: ReadonlyMap<string, readonly T[]>;
  /** The rules of this source without an eventName scope: what any other event name can match. */
  readonly anyEventName: readonly T[];
}

/**
 * Rules indexed by their scope, eventSource then eventName, so that a record meets only the rules it could
 * match: a DetectAnomalies record never sees the rules about deletions. A rule scoped to `any` source is
 * in the lists of every source the index knows and in those for every other source (and for records
 * without an eventSource), less the sources its `notEventSource` leaves out, which the index therefore
 * knows too. Every list is precomputed in the order the rules were given, so a lookup is two Map reads and
 * no merging, whatever mix of scoped and any-source rules. Maps, not objects: an event source or name such
 * as `__proto__` from a record is just a key that is not there.
 */
export class RuleIndex<T extends ScopedEntry> {
  readonly #bySource: ReadonlyMap<string, SourceEntries<T>>;
  /** For a source no rule names or leaves out, and for a record without one: the any-source rules. */
  readonly #otherSources: SourceEntries<T>;

  constructor(entries: readonly T[]) {
    const sources = new Set(
      entries.flatMap((entry) => (Array.isArray(entry.scope.eventSource) ? entry.scope.eventSource : (entry.scope.notEventSource ?? []))),
    );
    const bySource = new Map<string, SourceEntries<T>>();
    for (const source of sources) bySource.set(source, byEventName(entries.filter((entry) => eventSourceInScope(entry.scope, source))));
    this.#bySource = bySource;
    this.#otherSources = byEventName(entries.filter((entry) => eventSourceInScope(entry.scope, undefined)));
  }

  /** The entries whose scope the record's eventSource and eventName satisfy, in the order given. */
  candidatesFor(record: CloudTrailRecord): readonly T[] {
    const eventSource = stringField(record, 'eventSource');
    const entries = (eventSource === undefined ? undefined : this.#bySource.get(eventSource)) ?? this.#otherSources;
    const eventName = stringField(record, 'eventName');
    if (eventName === undefined) return entries.anyEventName;
    return entries.byEventName.get(eventName) ?? entries.anyEventName;
  }
}

function byEventName<T extends ScopedEntry>(ofSource: readonly T[]): SourceEntries<T> {
  const names = new Set(ofSource.flatMap((entry) => entry.scope.eventName ?? []));
  const byName = new Map<string, readonly T[]>();
  for (const name of names) {
    byName.set(
      name,
      ofSource.filter((entry) => entry.scope.eventName === undefined || entry.scope.eventName.includes(name)),
    );
  }
  return { byEventName: byName, anyEventName: ofSource.filter((entry) => entry.scope.eventName === undefined) };
}
