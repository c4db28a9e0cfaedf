import { EventCoverageBuilder, mergeCoverage, type EventCoverage } from '../findings/event-coverage.js';
import { compareStrings, type KeptCounts, type KeptValues } from './finding-group-bounded.js';
import { compareCallerResources, compareSampleEvents, GROUP_LIMITS, type FindingGroup, type PartialFindingGroup } from './finding-group.js';

/**
 * One group from two snapshots of the same group key built by different threads of one run over
 * disjoint records (a parallel audit dedupes run-wide before evaluating): what one builder would have
 * made from all the records. Counts add; bounded collections keep the smallest of the union, which is
 * exactly what one builder keeps (they are order-independent by design, finding-group-bounded.ts);
 * coverage hashes unite. Commutative and associative, so the result does not depend on which worker
 * read which file. (Joining findings of *different* runs, which may overlap, is finding-merge-group.ts.)
 */
export function joinRunGroups(a: FindingGroup, b: FindingGroup): FindingGroup {
  const sample = joinValues(a.sampleEvents, b.sampleEvents, GROUP_LIMITS.sampleEventIds, compareSampleEvents);
  const first = minDefined(a.firstEventTime, b.firstEventTime);
  const last = maxDefined(a.lastEventTime, b.lastEventTime);
  return {
    ruleId: a.ruleId,
    account: a.account,
    region: a.region,
    parts: a.parts,
    canonicalKey: a.canonicalKey,
    eventCount: a.eventCount + b.eventCount,
    ...(first === undefined ? {} : { firstEventTime: first }),
    ...(last === undefined ? {} : { lastEventTime: last }),
    eventNames: joinCounts(a.eventNames, b.eventNames, GROUP_LIMITS.eventNames),
    errorCodes: joinCounts(a.errorCodes, b.errorCodes, GROUP_LIMITS.errorCodes),
    eventSources: joinValues(a.eventSources, b.eventSources, GROUP_LIMITS.distinctValues, compareStrings),
    principals: joinValues(a.principals, b.principals, GROUP_LIMITS.distinctValues, compareStrings),
    callers: joinValues(a.callers, b.callers, GROUP_LIMITS.resources, compareCallerResources),
    projects: joinValues(a.projects, b.projects, GROUP_LIMITS.distinctValues, compareStrings),
    sourceAddresses: joinValues(a.sourceAddresses, b.sourceAddresses, GROUP_LIMITS.distinctValues, compareStrings),
    userAgents: joinValues(a.userAgents, b.userAgents, GROUP_LIMITS.distinctValues, compareStrings),
    resources: joinValues(a.resources, b.resources, GROUP_LIMITS.resources, compareStrings),
    sampleEventIds: sample.values.map((event) => event.id),
    sampleEvents: sample,
    coverage: mergeCoverage(a.coverage, b.coverage),
  };
}

const NO_COVERAGE: EventCoverage = new Map();

/**
 * One group from partials of the same group key that threads of one run built over disjoint records:
 * the details joined as {@link joinRunGroups} joins them, the coverage snapshot once over all their
 * events. Equal to what one builder would have made from all the records.
 */
export function joinPartialGroups(partials: readonly [PartialFindingGroup, ...PartialFindingGroup[]]): FindingGroup {
  const [first, ...rest] = partials;
  const details = rest.reduce<FindingGroup>((joined, partial) => joinRunGroups(joined, { ...partial, coverage: NO_COVERAGE }), { ...first, coverage: NO_COVERAGE });
  const coverage = new EventCoverageBuilder();
  for (const partial of partials) coverage.addRaw(partial.coverage);
  return { ...details, coverage: coverage.snapshot() };
}

/** The `capacity` smallest of the union; `more` when the union held more distinct values than kept. */
function joinValues<T>(a: KeptValues<T>, b: KeptValues<T>, capacity: number, compare: (x: T, y: T) => number): KeptValues<T> {
  const union = [...a.values, ...b.values].sort(compare).filter((value, index, sorted) => index === 0 || compare(sorted[index - 1] as T, value) !== 0);
  return { values: union.slice(0, capacity), more: a.more || b.more || union.length > capacity };
}

/**
 * Counts of the `capacity` smallest keys of the union. A key among the smallest overall is among the
 * smallest of each side that saw it, so each side kept its exact count and the sums are exact.
 */
function joinCounts(a: KeptCounts, b: KeptCounts, capacity: number): KeptCounts {
  const counts = new Map<string, number>();
  for (const [key, count] of [...a.counts, ...b.counts]) counts.set(key, (counts.get(key) ?? 0) + count);
  const kept = [...counts.entries()].sort(([x], [y]) => compareStrings(x, y)).slice(0, capacity);
  const total = totalOf(a) + totalOf(b);
  return { counts: kept, otherCount: total - kept.reduce((sum, [, count]) => sum + count, 0) };
}

function totalOf(counts: KeptCounts): number {
  return counts.counts.reduce((sum, [, count]) => sum + count, counts.otherCount);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
