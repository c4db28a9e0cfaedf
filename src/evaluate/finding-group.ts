import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { eventTimeOf } from '../records/event-time.js';
import { principalOf } from '../records/principal.js';
import { recordIdentity } from '../records/record-identity.js';
import type { ResolvedRule } from '../ruleset/rule.js';
import { EventCoverageBuilder, eventHashOf, type EventCoverage } from '../findings/event-coverage.js';
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
  /** A record usually matches several rules in a row: what the groups read from it is worked out once. */
  #lastRecord: CloudTrailRecord | undefined;
  #lastDetails: RecordDetails | undefined;

  add(rule: Pick<ResolvedRule, 'id' | 'groupBy'>, record: CloudTrailRecord): void {
    const key = groupKeyOf(rule, record);
    const canonicalKey = canonicalGroupKey(key);
    let group = this.#groups.get(canonicalKey);
    if (group === undefined) {
      group = new GroupAccumulator(key, canonicalKey);
      this.#groups.set(canonicalKey, group);
    }
    if (record !== this.#lastRecord || this.#lastDetails === undefined) {
      this.#lastRecord = record;
      this.#lastDetails = recordDetailsOf(record);
    }
    group.add(this.#lastDetails);
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

/** What a group takes from one record, independent of the group. */
interface RecordDetails {
  readonly identity: string;
  readonly eventHash: string;
  readonly time: number | undefined;
  readonly eventName: string;
  readonly errorCode: string | undefined;
  readonly eventSource: string | undefined;
  readonly principal: string;
  readonly caller: CallerResource | undefined;
  readonly project: string | undefined;
  readonly sourceAddress: string | undefined;
  readonly userAgent: string | undefined;
  readonly resources: readonly string[];
  readonly sampleId: string;
}

function recordDetailsOf(record: CloudTrailRecord): RecordDetails {
  const identity = recordIdentity(record);
  return {
    identity,
    eventHash: eventHashOf(identity),
    time: eventTimeOf(record),
    eventName: stringField(record, 'eventName') ?? '(no eventName)',
    errorCode: stringField(record, 'errorCode'),
    eventSource: stringField(record, 'eventSource'),
    principal: principalOf(record),
    caller: callerResourceOf(record),
    project: projectNameOf(record),
    sourceAddress: stringField(record, 'sourceIPAddress'),
    userAgent: stringField(record, 'userAgent'),
    resources: lookoutVisionResources(record),
    sampleId: stringField(record, 'eventID') ?? identity,
  };
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

  add(details: RecordDetails): void {
    const { identity, time } = details;
    if (this.#identities.has(identity)) return;
    this.#identities.add(identity);

    if (time !== undefined) {
      this.#firstEventTime = this.#firstEventTime === undefined ? time : Math.min(this.#firstEventTime, time);
      this.#lastEventTime = this.#lastEventTime === undefined ? time : Math.max(this.#lastEventTime, time);
    }
    this.#eventNames.add(details.eventName);
    addWhenPresent(this.#errorCodes, details.errorCode);
    this.#coverage.add({ time, eventName: details.eventName, errorCode: details.errorCode, identity, hash: details.eventHash });
    addWhenPresent(this.#eventSources, details.eventSource);
    this.#principals.add(details.principal);
    addWhenPresent(this.#callers, details.caller);
    addWhenPresent(this.#projects, details.project);
    addWhenPresent(this.#sourceAddresses, details.sourceAddress);
    addWhenPresent(this.#userAgents, details.userAgent);
    for (const arn of details.resources) this.#resources.add(arn);
    this.#sample.add({ time, id: details.sampleId });
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
