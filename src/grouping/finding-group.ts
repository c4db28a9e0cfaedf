import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { eventTimeOf } from '../records/event-time.js';
import { principalOf } from '../records/principal.js';
import { redactSecrets } from '../records/secret-text.js';
import { identityDigest, recordIdentity } from '../records/record-identity.js';
import { readFactPath } from '../ruleset/fact-path.js';
import type { ResolvedRule, RuleThreshold } from '../ruleset/rule.js';
import { thresholdSpans, type ThresholdPeak } from './threshold-spans.js';
import { CoverageEventStore } from '../coverage/event-store.js';
import { CoverageKinds, EventCoverageBuilder, eventHashNumberOf, type EventCoverage, type NumberedCoverageKind } from '../coverage/event-coverage.js';
import { callerResourceOfPrincipal, lookoutVisionResources, sessionIssuerRoleOf, type CallerResource } from './record-resources.js';
import {
  SmallestKeyCounts,
  addToSlot,
  compareStrings,
  slotValues,
  type KeptCounts,
  type KeptOrder,
  type KeptSlot,
  type KeptValues,
} from '../shared/bounded-collections.js';
import {
  canonicalGroupKey,
  eventAccountOf,
  eventRegionOf,
  groupByValueOf,
  groupKeyValuesOf,
  MISSING_KEY_VALUE,
  projectNameOf,
  type GroupKey,
  type RecordKeyValues,
} from './group-key.js';

/** How many of each kind of detail a group keeps: enough for a finding, bounded whatever the volume. */
export const GROUP_LIMITS = {
  sampleEventIds: 10,
  eventNames: 50,
  errorCodes: 20,
  distinctValues: 20,
  /** ASFF allows 32 resources per finding; keeping more of either kind could never be shown. */
  resources: 32,
  /**
   * Matching events of threshold rules held until the run ends, all rules together: whether an event is
   * evidence depends on events that may come later (records and files come in any order). A held event
   * keeps its details alive, about 460 bytes, so at most about 230 MB.
   */
  thresholdEvents: 500_000,
} as const;

/** A rule as the builder reads it. */
export type GroupedRule = Pick<ResolvedRule, 'id' | 'groupBy'> & { readonly threshold?: RuleThreshold | undefined };

/** Threshold matches a run could not weigh: each makes a threshold verdict uncertain, so the run must say so. */
export interface ThresholdShortfall {
  readonly ruleId: string;
  /** Matching events without a readable eventTime: no span can hold them. */
  readonly undated: number;
  /** Matching events past {@link GROUP_LIMITS}.thresholdEvents, not held: the verdict may miss spans. */
  readonly notHeld: number;
  /** Matching events of groups this run does not weigh whole (another shard owns their account and region): the verdict may miss spans. */
  readonly elsewhere: number;
  /** Of those groups' accounts and regions, the first in sort order (`ACCOUNT/REGION`, `-` for none): an example that does not depend on the order of the records. */
  readonly elsewhereExample?: string;
}

/** Everything one finding says about the events a rule matched for one group key. Plain data. */
export interface FindingGroup extends GroupKey {
  /** {@link canonicalGroupKey} of this group: stable, unique per group, the input to the finding's Id. */
  readonly canonicalKey: string;
  /** Distinct events (a record delivered twice counts once). */
  readonly eventCount: number;
  /**
   * True when `eventCount` is only a lower bound: a merge met a count compaction had made with events it
   * cannot tell apart from those counted (docs/findings-lifecycle.md). A run's own groups are exact.
   */
  readonly eventCountIsLowerBound?: true;
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
  /** For a rule with a threshold: its fullest span (src/grouping/threshold-spans.ts). */
  readonly threshold?: ThresholdPeak;
}

/** A record's identity and {@link identityDigest}, when the caller has worked them out already. */
export interface RecordFingerprint {
  readonly identity: string;
  readonly digest: Uint8Array;
}

export interface FindingGroupBuilderOptions {
  /**
   * True when the caller guarantees each record reaches the builder at most once per rule (the audit
   * dedupes run-wide before evaluating): groups then count additions instead of holding every identity
   * in a Set, which is what makes a run's memory independent of its volume. Default false: a record
   * added twice counts once.
   */
  readonly distinctRecords?: boolean;
  /** Default {@link GROUP_LIMITS}.thresholdEvents. */
  readonly thresholdEventLimit?: number;
  /**
   * Whether this run sees every event of a threshold group of this account and region (as the group key
   * reads them, {@link MISSING_KEY_VALUE} when a record has none); default every group. A run reading one
   * shard of a split by account and region weighs only its own: any other group's matches are counted as
   * {@link ThresholdShortfall}.elsewhere, since its other events may be in another shard.
   */
  readonly weighsAccountRegion?: (account: string, region: string) => boolean;
}

/**
 * Accumulates a run's matches into one group per rule, account, region and `groupBy` values. The
 * groups do not depend on the order matches arrive in, and a record seen twice counts once.
 */
export class FindingGroupBuilder {
  /**
   * By the record's key values (account, region, then the `groupBy` values), one Map level a value,
   * then by rule (its place in #ruleSlots): a match costs an array read, its key a few Map reads of
   * short or shared strings per record and `groupBy` list. Rules with other `groupBy` lists of the same
   * length may meet the same node, but each rule only ever reads its own slot.
   */
  readonly #root = new GroupKeyNode();
  readonly #ruleSlots = new Map<string, number>();
  readonly #all: GroupAccumulator[] = [];
  /** The same groups by canonical key: several paths of the key tree lead to one group when their values redact alike. */
  readonly #byCanonicalKey = new Map<string, GroupAccumulator>();
  readonly #distinctRecords: boolean;
  /** A record usually matches several rules in a row: what the groups read from it is worked out once. */
  #lastRecord: CloudTrailRecord | undefined;
  #lastDetails: RecordDetails | undefined;
  /** Counts records, so that #keyGroups entries of an earlier record are known stale without clearing anything. */
  #recordStamp = 0;
  /** The `groupBy` lists met so far (rules of a pack share a few), numbered by first use. */
  readonly #listNumbers = new Map<readonly string[], number>();
  /**
   * By list number: the groups (by rule slot) at #lastRecord's key for that list, valid when its
   * stamp is #recordStamp. Nothing is made per record here (the key's values are not even gathered
   * into a list): per-record lists would live until the next record, and V8 would promote them out of
   * its young generation, where they wait for a full collection.
   */
  readonly #keyGroups: (GroupAccumulator | undefined)[][] = [];
  readonly #keyStamps: number[] = [];
  /** Coverage buckets' kinds and the strings groups keep, one copy each, shared by every group. */
  readonly #shared = new SharedValues();

  readonly #thresholdEventLimit: number;
  #thresholdEventsHeld = 0;
  readonly #weighsAccountRegion: ((account: string, region: string) => boolean) | undefined;
  readonly #shortfalls = new Map<string, { undated: number; notHeld: number; elsewhere: number; elsewhereExample?: string }>();
  #settled = false;

  constructor(options: FindingGroupBuilderOptions = {}) {
    this.#distinctRecords = options.distinctRecords === true;
    this.#thresholdEventLimit = options.thresholdEventLimit ?? GROUP_LIMITS.thresholdEvents;
    this.#weighsAccountRegion = options.weighsAccountRegion;
  }

  add(rule: GroupedRule, record: CloudTrailRecord, fingerprint?: RecordFingerprint): void {
    if (this.#settled) throw new Error('bug: a match added after the groups were settled');
    if (record !== this.#lastRecord || this.#lastDetails === undefined) {
      this.#lastRecord = record;
      this.#lastDetails = recordDetailsOf(record, fingerprint, this.#shared);
      this.#recordStamp += 1;
    }
    const details = this.#lastDetails;
    let list = this.#listNumbers.get(rule.groupBy);
    if (list === undefined) {
      list = this.#listNumbers.size;
      this.#listNumbers.set(rule.groupBy, list);
      this.#keyGroups.push([]);
      this.#keyStamps.push(0);
    }
    let groups = this.#keyGroups[list];
    if (groups === undefined || this.#keyStamps[list] !== this.#recordStamp) {
      groups = GroupKeyNode.groupsAtKeyOf(this.#root, rule.groupBy, record, details.keyValues);
      this.#keyGroups[list] = groups;
      this.#keyStamps[list] = this.#recordStamp;
    }
    let slot = this.#ruleSlots.get(rule.id);
    if (slot === undefined) {
      slot = this.#ruleSlots.size;
      this.#ruleSlots.set(rule.id, slot);
    }
    let group = groups[slot];
    if (group === undefined) {
      group = this.#groupOf(rule, record, details);
      // Holes are filled so the array stays packed.
      while (groups.length < slot) groups.push(undefined);
      groups[slot] = group;
    }
    if (rule.threshold === undefined) {
      group.add(details);
      return;
    }
    this.#hold(rule.id, rule.threshold, group, record, details);
  }

  /** A threshold rule's match waits for the end of the run, when every event of its span is known. */
  #hold(ruleId: string, threshold: RuleThreshold, group: GroupAccumulator, record: CloudTrailRecord, details: RecordDetails): void {
    const shortfall = (): { undated: number; notHeld: number; elsewhere: number; elsewhereExample?: string } => {
      let entry = this.#shortfalls.get(ruleId);
      if (entry === undefined) {
        entry = { undated: 0, notHeld: 0, elsewhere: 0 };
        this.#shortfalls.set(ruleId, entry);
      }
      return entry;
    };
    if (!group.weighedHere) {
      // Still held: the spans this run finds are real, only others may be missing (the run says so).
      const entry = shortfall();
      entry.elsewhere += 1;
      const place = `${group.key.account}/${group.key.region}`;
      if (entry.elsewhereExample === undefined || compareStrings(place, entry.elsewhereExample) < 0) entry.elsewhereExample = place;
    }
    if (details.time === undefined) {
      shortfall().undated += 1;
      return;
    }
    if (this.#thresholdEventsHeld >= this.#thresholdEventLimit) {
      shortfall().notHeld += 1;
      return;
    }
    const { distinct } = threshold;
    if (group.hold(details, details.time, distinct === undefined ? undefined : distinctValueOf(readFactPath(record, distinct)))) this.#thresholdEventsHeld += 1;
  }

  /** Threshold rules' matches that could not be weighed, by rule: empty when every verdict is exact. */
  thresholdShortfalls(): ThresholdShortfall[] {
    return [...this.#shortfalls.entries()].map(([ruleId, entry]) => ({ ruleId, ...entry })).sort((a, b) => compareStrings(a.ruleId, b.ruleId));
  }

  /**
   * The group a record joins, the first time its key values (as read, in the key tree) meet a rule.
   * The group key holds the values redacted, as the finding shows them and before they are hashed
   * into its Id (a short secret could be recovered from its hash by brute force): different values
   * that redact alike share one group, so the group is looked up by its canonical key.
   */
  #groupOf(rule: GroupedRule, record: CloudTrailRecord, details: RecordDetails): GroupAccumulator {
    const [account = '', region = '', ...values] = groupKeyValuesOf(rule.groupBy, record, details.keyValues);
    const groupKey: GroupKey = {
      ruleId: rule.id,
      account,
      region,
      parts: rule.groupBy.map((name, index) => ({ name, value: redactSecrets(values[index] ?? '') })),
    };
    const canonicalKey = canonicalGroupKey(groupKey);
    const known = this.#byCanonicalKey.get(canonicalKey);
    if (known !== undefined) return known;
    const weighedHere = rule.threshold === undefined || this.#weighsAccountRegion === undefined || this.#weighsAccountRegion(account, region);
    const group = new GroupAccumulator(
      groupKey,
      canonicalKey,
      this.#distinctRecords,
      this.#shared.coverageKinds,
      this.#shared.coverageEvents,
      rule.threshold,
      weighedHere,
    );
    this.#byCanonicalKey.set(group.canonicalKey, group);
    this.#all.push(group);
    return group;
  }

  /** The groups so far, ordered by canonical key. */
  groups(): FindingGroup[] {
    return this.lazyGroups().map((group) => group.snapshot());
  }

  /**
   * The groups so far, ordered by canonical key, each worked out only when its snapshot is asked for:
   * a caller that builds and writes one finding at a time holds one snapshot at a time.
   */
  lazyGroups(): LazyFindingGroup[] {
    this.#settle();
    return this.#all.filter((group) => group.hasEvidence).sort((a, b) => compareStrings(a.canonicalKey, b.canonicalKey));
  }

  /** Decides every threshold group once all matches are in; a group whose spans never reach its threshold has no evidence. */
  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    for (const group of this.#all) group.settle();
    this.#thresholdEventsHeld = 0;
  }
}

/**
 * A group known by its key, its details worked out on demand. Snapshots are fresh copies: asking twice
 * gives equal groups.
 */
export interface LazyFindingGroup {
  readonly key: GroupKey;
  readonly canonicalKey: string;
  snapshot(): FindingGroup;
}

/**
 * A level of the builder's key tree: the groups of the key values that lead here (by rule slot), and
 * the next level by the next value. A path of n values is exactly one list of n values, so keys of
 * different lengths or values never meet: as exact as a text of the whole list, without making and
 * hashing that text for every record.
 */
class GroupKeyNode {
  readonly groups: (GroupAccumulator | undefined)[] = [];
  #next: Map<string, GroupKeyNode> | undefined;

  /**
   * The groups at the end of the path of a record's {@link groupKeyValuesOf} values from `root`, made
   * on the way where new: the same node as walking that list, without making it.
   */
  static groupsAtKeyOf(root: GroupKeyNode, groupBy: readonly string[], record: CloudTrailRecord, known: RecordKeyValues): (GroupAccumulator | undefined)[] {
    let node = root.#child(known.account ?? MISSING_KEY_VALUE).#child(known.region ?? MISSING_KEY_VALUE);
    for (const name of groupBy) node = node.#child(groupByValueOf(name, record, known));
    return node.groups;
  }

  #child(value: string): GroupKeyNode {
    this.#next ??= new Map();
    let next = this.#next.get(value);
    if (next === undefined) {
      next = new GroupKeyNode();
      this.#next.set(value, next);
    }
    return next;
  }
}

/** An event of a group's sample: its eventID (or identity) and eventTime in epoch ms. */
export interface SampleEvent {
  readonly time: number | undefined;
  readonly id: string;
}

/** What a group takes from one record, independent of the group. */
interface RecordDetails {
  /** What the record's group keys read most: account and region (undefined when the record has none usable) and principal. */
  readonly keyValues: RecordKeyValues;
  readonly identity: string;
  readonly eventHash: number;
  readonly coverageKind: NumberedCoverageKind;
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
  /** The record as a group's sample holds it: one object however many groups it joins. */
  readonly sample: SampleEvent;
}

function recordDetailsOf(record: CloudTrailRecord, fingerprint: RecordFingerprint | undefined, shared: SharedValues): RecordDetails {
  const identity = fingerprint?.identity ?? recordIdentity(record);
  const time = eventTimeOf(record);
  const eventName = shared.text(stringField(record, 'eventName') ?? '(no eventName)');
  const errorCode = shared.optionalText(stringField(record, 'errorCode'));
  const principal = shared.text(principalOf(record));
  const account = eventAccountOf(record);
  const region = eventRegionOf(record);
  const project = shared.optionalText(projectNameOf(record));
  return {
    keyValues: { account, region, principal },
    identity,
    eventHash: eventHashNumberOf(fingerprint?.digest ?? identityDigest(identity)),
    coverageKind: shared.coverageKind(time, eventName, errorCode),
    time,
    eventName,
    errorCode,
    eventSource: shared.optionalText(stringField(record, 'eventSource')),
    principal,
    caller: shared.caller(record, principal),
    project,
    sourceAddress: shared.optionalText(stringField(record, 'sourceIPAddress')),
    userAgent: shared.optionalText(stringField(record, 'userAgent')),
    resources: lookoutVisionResources(record, { account, region, project }).map((arn) => shared.text(arn)),
    sample: { time, id: stringField(record, 'eventID') ?? identity },
  };
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * One copy of each value many groups keep, as findings may show it: event text is redacted
 * (src/records/secret-text.ts) the first time it is met, so a value that repeats costs one lookup per
 * record and its redaction once. JSON.parse makes a fresh string per record, so without this
 * thousands of groups would each hold their own copy of the same user agent or ARN. Past
 * {@link SharedValues.LIMIT} distinct values (untrusted data can make every value new) the table
 * starts over, so it never grows with the volume; a value met again is then redacted again.
 */
class SharedValues {
  static readonly LIMIT = 100_000;
  readonly #strings = new Map<string, string>();
  /** By hour (epoch hours; NaN when undated), then event name, or name and error code: no date formatting per record. */
  readonly #kinds = new Map<number, Map<string, NumberedCoverageKind>>();
  /** What the groups' coverage builders number the kinds by. */
  readonly coverageKinds = new CoverageKinds();
  /** Where the groups' coverage builders keep their events. */
  readonly coverageEvents = new CoverageEventStore();
  #kindCount = 0;
  readonly #callersByIssuer = new Map<string, CallerResource>();
  /** Null for a principal that names no caller (`unknown`). */
  readonly #callersByPrincipal = new Map<string, CallerResource | null>();

  /** Event text as a finding may show it: {@link redactSecrets}, one copy. */
  text(value: string): string {
    return shared(this.#strings, value, value, redactSecrets);
  }

  optionalText(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.text(value);
  }

  /** coverageKindOf(time, eventName, errorCode), one object per bucket: it depends on the hour, not the instant. */
  coverageKind(time: number | undefined, eventName: string, errorCode: string | undefined): NumberedCoverageKind {
    const hour = time === undefined ? Number.NaN : Math.floor(time / HOUR_MS);
    const name = errorCode === undefined || errorCode === '' ? eventName : `${eventName}\u0000${errorCode}`;
    let ofHour = this.#kinds.get(hour);
    if (ofHour === undefined) {
      ofHour = new Map();
      this.#kinds.set(hour, ofHour);
    }
    const known = ofHour.get(name);
    if (known !== undefined) return known;
    if (this.#kindCount >= SharedValues.LIMIT) {
      this.#kinds.clear();
      this.#kindCount = 0;
      this.#kinds.set(hour, ofHour);
      ofHour.clear();
    }
    const kind = this.coverageKinds.kindOf(time, eventName, errorCode);
    ofHour.set(name, kind);
    this.#kindCount += 1;
    return kind;
  }

  /**
   * callerResourceOf(record), one object per caller, its id redacted. It depends on the session
   * issuer's role when there is one, else on the (redacted) principal alone: worked out once per
   * issuer or principal, not per record.
   */
  caller(record: CloudTrailRecord, principal: string): CallerResource | undefined {
    const issuerRole = sessionIssuerRoleOf(record);
    if (issuerRole !== undefined) return shared(this.#callersByIssuer, issuerRole, issuerRole, (id) => ({ type: 'AwsIamRole', id: redactSecrets(id) }));
    return shared(this.#callersByPrincipal, principal, principal, callerResourceOfPrincipal) ?? undefined;
  }
}

/** The table's value for `key`, made from `input` (and remembered) the first time. */
function shared<T, I>(table: Map<string, T>, key: string, input: I, make: (input: I) => T): T;
function shared<T, I>(table: Map<string, T | null>, key: string, input: I, make: (input: I) => T | undefined): T | null;
function shared<T, I>(table: Map<string, T | null>, key: string, input: I, make: (input: I) => T | undefined): T | null {
  const known = table.get(key);
  if (known !== undefined) return known;
  if (table.size >= SharedValues.LIMIT) table.clear();
  const value = make(input) ?? null;
  table.set(key, value);
  return value;
}

class GroupAccumulator implements LazyFindingGroup {
  readonly key: GroupKey;
  readonly canonicalKey: string;
  /**
   * Unbounded on purpose when records may repeat: exact event counts need every identity. Undefined
   * when the caller guarantees distinct records; every other detail below is bounded (the coverage
   * keeps 8 bytes an event).
   */
  readonly #identities: Set<string> | undefined;
  #eventCount = 0;
  #firstEventTime: number | undefined;
  #lastEventTime: number | undefined;
  readonly #eventNames = new SmallestKeyCounts(GROUP_LIMITS.eventNames);
  readonly #errorCodes = new SmallestKeyCounts(GROUP_LIMITS.errorCodes);
  // Slots, not collections: see KeptSlot.
  #eventSources: KeptSlot<string>;
  #principals: KeptSlot<string>;
  #callers: KeptSlot<CallerResource>;
  #projects: KeptSlot<string>;
  #sourceAddresses: KeptSlot<string>;
  #userAgents: KeptSlot<string>;
  #resources: KeptSlot<string>;
  #sample: KeptSlot<SampleEvent>;
  readonly #coverage: EventCoverageBuilder;
  readonly #threshold: RuleThreshold | undefined;
  /** False for a threshold group whose account and region this run does not read whole (a shard's). */
  readonly weighedHere: boolean;
  /** A threshold rule's matches until {@link settle}: undefined after it, and for other rules. */
  #held: HeldEvent[] | undefined;
  #peak: ThresholdPeak | undefined;

  constructor(
    key: GroupKey,
    canonicalKey: string,
    distinctRecords: boolean,
    coverageKinds: CoverageKinds,
    coverageEvents: CoverageEventStore,
    threshold: RuleThreshold | undefined,
    weighedHere: boolean,
  ) {
    this.key = key;
    this.weighedHere = weighedHere;
    this.canonicalKey = canonicalKey;
    this.#coverage = new EventCoverageBuilder(coverageKinds, coverageEvents);
    this.#identities = distinctRecords ? undefined : new Set();
    this.#threshold = threshold;
    this.#held = threshold === undefined ? undefined : [];
  }

  /** Whether a finding can be made: some event counted (for a threshold rule, once settled, some event in a span that reached it). */
  get hasEvidence(): boolean {
    return this.#eventCount > 0;
  }

  add(details: RecordDetails): void {
    if (this.#isRepeat(details.identity)) return;
    this.#count(details);
  }

  /** Holds a threshold rule's match until {@link settle}; false for a record held already. */
  hold(details: RecordDetails, time: number, value: string | undefined): boolean {
    if (this.#held === undefined) throw new Error('bug: holding a match for a rule without a threshold, or after settling');
    if (this.#isRepeat(details.identity)) return false;
    this.#held.push({ details, time, value });
    return true;
  }

  /** Counts the held events that lie in a span reaching the threshold, and keeps the fullest span; idempotent. */
  settle(): void {
    const held = this.#held;
    const threshold = this.#threshold;
    if (held === undefined || threshold === undefined) return;
    this.#held = undefined;
    const spans = thresholdSpans(held, { count: threshold.count, withinMs: threshold.withinMs, distinct: threshold.distinct !== undefined });
    this.#peak = spans.peak;
    held.forEach((event, index) => {
      if (spans.inSpan[index] === true) this.#count(event.details);
    });
  }

  #isRepeat(identity: string): boolean {
    if (this.#identities === undefined) return false;
    if (this.#identities.has(identity)) return true;
    this.#identities.add(identity);
    return false;
  }

  #count(details: RecordDetails): void {
    const { time } = details;
    this.#eventCount += 1;

    if (time !== undefined) {
      this.#firstEventTime = this.#firstEventTime === undefined ? time : Math.min(this.#firstEventTime, time);
      this.#lastEventTime = this.#lastEventTime === undefined ? time : Math.max(this.#lastEventTime, time);
    }
    this.#eventNames.add(details.eventName);
    addWhenPresent(this.#errorCodes, details.errorCode);
    this.#coverage.addHash(details.coverageKind, details.eventHash);
    if (isPresent(details.eventSource)) this.#eventSources = addToSlot(this.#eventSources, details.eventSource, DISTINCT_VALUES);
    this.#principals = addToSlot(this.#principals, details.principal, DISTINCT_VALUES);
    if (details.caller !== undefined) this.#callers = addToSlot(this.#callers, details.caller, CALLERS);
    if (isPresent(details.project)) this.#projects = addToSlot(this.#projects, details.project, DISTINCT_VALUES);
    if (isPresent(details.sourceAddress)) this.#sourceAddresses = addToSlot(this.#sourceAddresses, details.sourceAddress, DISTINCT_VALUES);
    if (isPresent(details.userAgent)) this.#userAgents = addToSlot(this.#userAgents, details.userAgent, DISTINCT_VALUES);
    for (const arn of details.resources) this.#resources = addToSlot(this.#resources, arn, RESOURCES);
    this.#sample = addToSlot(this.#sample, details.sample, SAMPLE_EVENTS);
  }

  snapshot(): FindingGroup {
    const group = this.#withDetails(this.#coverage.snapshot());
    return this.#peak === undefined ? group : { ...group, threshold: this.#peak };
  }

  /**
   * The group's details with `coverage`, as one object literal of a fixed shape (two, with and without
   * event times). Spreading the key and the optional times into it would make each snapshot in the
   * findings phase through a generic copy whose objects V8 puts in the old generation, left for full
   * collections.
   */
  #withDetails<C>(coverage: C): Omit<FindingGroup, 'coverage'> & { readonly coverage: C } {
    const { ruleId, account, region, parts } = this.key;
    const sample = redactedSample(slotValues(this.#sample));
    const eventNames = this.#eventNames.snapshot();
    const errorCodes = this.#errorCodes.snapshot();
    const eventSources = slotValues(this.#eventSources);
    const principals = slotValues(this.#principals);
    const callers = slotValues(this.#callers);
    const projects = slotValues(this.#projects);
    const sourceAddresses = slotValues(this.#sourceAddresses);
    const userAgents = slotValues(this.#userAgents);
    const resources = slotValues(this.#resources);
    const sampleEventIds = sample.values.map((event) => event.id);
    const { canonicalKey } = this;
    const eventCount = this.#eventCount;
    const firstEventTime = this.#firstEventTime;
    const lastEventTime = this.#lastEventTime;
    // Both times are set together (by the same dated event) or neither is.
    if (firstEventTime === undefined || lastEventTime === undefined) {
      return {
        ruleId,
        account,
        region,
        parts,
        canonicalKey,
        eventCount,
        eventNames,
        errorCodes,
        eventSources,
        principals,
        callers,
        projects,
        sourceAddresses,
        userAgents,
        resources,
        sampleEventIds,
        sampleEvents: sample,
        coverage,
      };
    }
    return {
      ruleId,
      account,
      region,
      parts,
      canonicalKey,
      eventCount,
      firstEventTime,
      lastEventTime,
      eventNames,
      errorCodes,
      eventSources,
      principals,
      callers,
      projects,
      sourceAddresses,
      userAgents,
      resources,
      sampleEventIds,
      sampleEvents: sample,
      coverage,
    };
  }
}

const DISTINCT_VALUES: KeptOrder<string> = { capacity: GROUP_LIMITS.distinctValues, compare: compareStrings };
const RESOURCES: KeptOrder<string> = { capacity: GROUP_LIMITS.resources, compare: compareStrings };
const CALLERS: KeptOrder<CallerResource> = { capacity: GROUP_LIMITS.resources, compare: compareCallerResources };
const SAMPLE_EVENTS: KeptOrder<SampleEvent> = { capacity: GROUP_LIMITS.sampleEventIds, compare: compareSampleEvents };

/**
 * The sample with its event ids as a finding may show them: an eventID is event text too. Done per
 * snapshot, for the few ids kept, rather than for every record.
 */
function redactedSample(sample: KeptValues<SampleEvent>): KeptValues<SampleEvent> {
  if (sample.values.every((event) => redactSecrets(event.id) === event.id)) return sample;
  return { values: sample.values.map((event) => ({ time: event.time, id: redactSecrets(event.id) })), more: sample.more };
}

/** A threshold rule's match waiting for the end of the run. */
interface HeldEvent {
  readonly details: RecordDetails;
  readonly time: number;
  readonly value: string | undefined;
}

/** A field's value as `threshold.distinct` counts it: absent and null are no value; objects by their JSON. */
function distinctValueOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** An empty value says nothing about the events: it is not kept. */
function isPresent(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function addWhenPresent(counts: SmallestKeyCounts, value: string | undefined): void {
  if (isPresent(value)) counts.add(value);
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
