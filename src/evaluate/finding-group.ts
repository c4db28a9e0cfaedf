import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { eventTimeOf } from '../records/event-time.js';
import { principalOf } from '../records/principal.js';
import { recordIdentity } from '../records/record-identity.js';
import type { ResolvedRule } from '../ruleset/rule.js';
import { EventCoverageBuilder, type EventCoverage } from '../findings/event-coverage.js';
import { callerResourceOf, lookoutVisionResources, type CallerResource } from '../findings/resources.js';
import { SmallestDistinct, SmallestKeyCounts, compareStrings, type KeptCounts, type KeptValues } from './finding-group-bounded.js';
import { canonicalGroupKey, groupKeyOf, projectNameOf, type GroupKey } from './group-key.js';

/** How many of each kind of detail a group keeps: enough for a finding, bounded whatever the volume. */
export const GROUP_LIMITS = {
  sampleEventIds: 10,
  eventNames: 50,
  errorCodes: 20,
  distinctValues: 20,
  /** ASFF allows 32 resources per finding; keeping more of either kind could never be shown. */
  resources: 32,
} as const;

/** Everything one finding says about the events a rule matched for one group key. Plain data. */
export interface FindingGroup extends GroupKey {
  /** {@link canonicalGroupKey} of this group: stable, unique per group, the input to the finding's Id. */
  readonly canonicalKey: string;
  /** Distinct events (a record delivered twice counts once). */
  readonly eventCount: number;
  /** Epoch milliseconds; undefined when no event had a readable eventTime. */
  readonly firstEventTime?: number;
  readonly lastEventTime?: number;
  readonly eventNames: KeptCounts;
  /** Only events that carry an errorCode are counted. */
  readonly errorCodes: KeptCounts;
  readonly eventSources: KeptValues<string>;
  readonly principals: KeptValues<string>;
  readonly callers: KeptValues<CallerResource>;
  readonly projects: KeptValues<string>;
  readonly sourceAddresses: KeptValues<string>;
  readonly userAgents: KeptValues<string>;
  /** Lookout for Vision project and model ARNs. */
  readonly resources: KeptValues<string>;
  /** eventIDs of the earliest events (by eventTime, then id; undated last), at most {@link GROUP_LIMITS}.sampleEventIds. */
  readonly sampleEventIds: readonly string[];
  /** The same sample with each event's time: what merging findings across runs orders them by. */
  readonly sampleEvents: KeptValues<SampleEvent>;
  /** The events as hashes per UTC hour and kind of call: what lets findings of different runs merge without counting an event twice. */
  readonly coverage: EventCoverage;
}

/**
 * Accumulates a run's matches into one group per rule, account, region and `groupBy` values. The
 * groups do not depend on the order matches arrive in, and a record seen twice counts once.
 */
export class FindingGroupBuilder {
  readonly #groups = new Map<string, GroupAccumulator>();

  add(rule: Pick<ResolvedRule, 'id' | 'groupBy'>, record: CloudTrailRecord): void {
    const key = groupKeyOf(rule, record);
    const canonicalKey = canonicalGroupKey(key);
    let group = this.#groups.get(canonicalKey);
    if (group === undefined) {
      group = new GroupAccumulator(key, canonicalKey);
      this.#groups.set(canonicalKey, group);
    }
    group.add(record);
  }

  /** The groups so far, ordered by canonical key. */
  groups(): FindingGroup[] {
    return [...this.#groups.values()].map((group) => group.snapshot()).sort((a, b) => compareStrings(a.canonicalKey, b.canonicalKey));
  }
}

/** An event of a group's sample: its eventID (or identity) and eventTime in epoch ms. */
export interface SampleEvent {
  readonly time: number | undefined;
  readonly id: string;
}

class GroupAccumulator {
  readonly #key: GroupKey;
  readonly #canonicalKey: string;
  /**
   * Unbounded on purpose: exact event counts and dedupe need every identity. One short string per
   * matched event; every other detail below is bounded.
   */
  readonly #identities = new Set<string>();
  #firstEventTime: number | undefined;
  #lastEventTime: number | undefined;
  readonly #eventNames = new SmallestKeyCounts(GROUP_LIMITS.eventNames);
  readonly #errorCodes = new SmallestKeyCounts(GROUP_LIMITS.errorCodes);
  readonly #eventSources = distinctStrings(GROUP_LIMITS.distinctValues);
  readonly #principals = distinctStrings(GROUP_LIMITS.distinctValues);
  readonly #callers = new SmallestDistinct<CallerResource>(GROUP_LIMITS.resources, compareCallerResources);
  readonly #projects = distinctStrings(GROUP_LIMITS.distinctValues);
  readonly #sourceAddresses = distinctStrings(GROUP_LIMITS.distinctValues);
  readonly #userAgents = distinctStrings(GROUP_LIMITS.distinctValues);
  readonly #resources = distinctStrings(GROUP_LIMITS.resources);
  readonly #sample = new SmallestDistinct<SampleEvent>(GROUP_LIMITS.sampleEventIds, compareSampleEvents);
  readonly #coverage = new EventCoverageBuilder();

  constructor(key: GroupKey, canonicalKey: string) {
    this.#key = key;
    this.#canonicalKey = canonicalKey;
  }

  add(record: CloudTrailRecord): void {
    const identity = recordIdentity(record);
    if (this.#identities.has(identity)) return;
    this.#identities.add(identity);

    const time = eventTimeOf(record);
    if (time !== undefined) {
      this.#firstEventTime = this.#firstEventTime === undefined ? time : Math.min(this.#firstEventTime, time);
      this.#lastEventTime = this.#lastEventTime === undefined ? time : Math.max(this.#lastEventTime, time);
    }
    const eventName = stringField(record, 'eventName') ?? '(no eventName)';
    const errorCode = stringField(record, 'errorCode');
    this.#eventNames.add(eventName);
    addWhenPresent(this.#errorCodes, errorCode);
    this.#coverage.add({ time, eventName, errorCode, identity });
    addWhenPresent(this.#eventSources, stringField(record, 'eventSource'));
    this.#principals.add(principalOf(record));
    addWhenPresent(this.#callers, callerResourceOf(record));
    addWhenPresent(this.#projects, projectNameOf(record));
    addWhenPresent(this.#sourceAddresses, stringField(record, 'sourceIPAddress'));
    addWhenPresent(this.#userAgents, stringField(record, 'userAgent'));
    for (const arn of lookoutVisionResources(record)) this.#resources.add(arn);
    this.#sample.add({ time, id: stringField(record, 'eventID') ?? identity });
  }

  snapshot(): FindingGroup {
    const sample = this.#sample.snapshot();
    return {
      ...this.#key,
      canonicalKey: this.#canonicalKey,
      eventCount: this.#identities.size,
      ...(this.#firstEventTime === undefined ? {} : { firstEventTime: this.#firstEventTime }),
      ...(this.#lastEventTime === undefined ? {} : { lastEventTime: this.#lastEventTime }),
      eventNames: this.#eventNames.snapshot(),
      errorCodes: this.#errorCodes.snapshot(),
      eventSources: this.#eventSources.snapshot(),
      principals: this.#principals.snapshot(),
      callers: this.#callers.snapshot(),
      projects: this.#projects.snapshot(),
      sourceAddresses: this.#sourceAddresses.snapshot(),
      userAgents: this.#userAgents.snapshot(),
      resources: this.#resources.snapshot(),
      sampleEventIds: sample.values.map((event) => event.id),
      sampleEvents: sample,
      coverage: this.#coverage.snapshot(),
    };
  }
}

function distinctStrings(capacity: number): SmallestDistinct<string> {
  return new SmallestDistinct<string>(capacity, compareStrings);
}

function addWhenPresent<T>(collection: { add(value: T): void }, value: T | undefined): void {
  if (value !== undefined && value !== '') collection.add(value);
}

/** By id, then type: the order a group keeps its callers in. */
export function compareCallerResources(a: CallerResource, b: CallerResource): number {
  return compareStrings(a.id, b.id) || compareStrings(a.type, b.type);
}

/** Earliest first; events without a time after all dated ones; ties broken by id so the order is total. */
export function compareSampleEvents(a: SampleEvent, b: SampleEvent): number {
  if (a.time !== b.time) {
    if (a.time === undefined) return 1;
    if (b.time === undefined) return -1;
    return a.time - b.time;
  }
  return compareStrings(a.id, b.id);
}
