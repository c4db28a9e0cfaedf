import type { KeptCounts } from '../shared/bounded-collections.js';
import { compareStrings } from '../shared/bounded-collections.js';
import { compareCallerResources, compareSampleEvents, GROUP_LIMITS, type FindingGroup } from '../grouping/finding-group.js';
import { coverageTotals, mergeCoverage, type EventCoverage } from '../coverage/event-coverage.js';
import { mergeKeptValues } from './kept.js';
import type { ThresholdPeak } from '../grouping/threshold-spans.js';

/**
 * The join of two groups with the same key, as seen by two runs (or two shards): coverage, bounded
 * lists and the sample merge as described in their modules, first and last event times by min and
 * max. Counts (EventCount, calls and errors by name) are then read off the merged coverage, so an event
 * both runs saw is counted once. Commutative, associative and idempotent.
 */
export function mergeFindingGroups(a: FindingGroup, b: FindingGroup): FindingGroup {
  if (a.canonicalKey !== b.canonicalKey) throw new Error(`bug: merging findings of different groups ${a.canonicalKey} and ${b.canonicalKey}`);
  const strings = (x: FindingGroup['principals'], y: FindingGroup['principals'], capacity: number = GROUP_LIMITS.distinctValues) =>
    mergeKeptValues(x, y, capacity, compareStrings);
  const sampleEvents = mergeKeptValues(a.sampleEvents, b.sampleEvents, GROUP_LIMITS.sampleEventIds, compareSampleEvents);
  const first = [a.firstEventTime, b.firstEventTime].filter((time) => time !== undefined);
  const last = [a.lastEventTime, b.lastEventTime].filter((time) => time !== undefined);
  return withCoverage(
    {
      ...a,
      ...(first.length === 0 ? {} : { firstEventTime: Math.min(...first) }),
      ...(last.length === 0 ? {} : { lastEventTime: Math.max(...last) }),
      eventSources: strings(a.eventSources, b.eventSources),
      principals: strings(a.principals, b.principals),
      callers: mergeKeptValues(a.callers, b.callers, GROUP_LIMITS.resources, compareCallerResources),
      projects: strings(a.projects, b.projects),
      sourceAddresses: strings(a.sourceAddresses, b.sourceAddresses),
      userAgents: strings(a.userAgents, b.userAgents),
      resources: strings(a.resources, b.resources, GROUP_LIMITS.resources),
      sampleEvents,
      sampleEventIds: sampleEvents.values.map((event) => event.id),
      ...thresholdOf(fullerSpan(a.threshold, b.threshold)),
    },
    mergeCoverage(a.coverage, b.coverage),
  );
}

/**
 * The fuller of two runs' fullest spans: the higher count, then the earlier start, then the later end (a
 * run that saw the span cut by its window's end saw fewer of its events). A total order, so the join is
 * commutative, associative and idempotent. Exact across runs whose windows overlap by at least the
 * rule's `within`: every span lies whole in one of them (src/grouping/threshold-spans.ts).
 */
export function fullerSpan(a: ThresholdPeak | undefined, b: ThresholdPeak | undefined): ThresholdPeak | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.count > a.count || (b.count === a.count && (b.start < a.start || (b.start === a.start && b.end > a.end))) ? b : a;
}

function thresholdOf(peak: ThresholdPeak | undefined): { threshold?: ThresholdPeak } {
  return peak === undefined ? {} : { threshold: peak };
}

/**
 * The group with this coverage, and EventCount (marked as a lower bound when the coverage's is one) and
 * the counts by call and error code read off it.
 */
export function withCoverage(
  group: Omit<FindingGroup, 'coverage' | 'eventCount' | 'eventCountIsLowerBound' | 'eventNames' | 'errorCodes'>,
  coverage: EventCoverage,
): FindingGroup {
  const totals = coverageTotals(coverage);
  // The mark is read off the coverage alone: one the group came with (a spread of another group) is dropped.
  const { eventCountIsLowerBound: _dropped, ...rest } = group as Partial<Pick<FindingGroup, 'eventCountIsLowerBound'>> & typeof group;
  return {
    ...rest,
    coverage,
    eventCount: totals.eventCount,
    ...(totals.lowerBound ? { eventCountIsLowerBound: true } : {}),
    eventNames: keptCounts(totals.eventNames, GROUP_LIMITS.eventNames, totals.otherCalls),
    errorCodes: keptCounts(totals.errorCodes, GROUP_LIMITS.errorCodes, 0),
  };
}

/** The `capacity` smallest keys with their counts, the rest summed up: what the group builder keeps. */
function keptCounts(counts: ReadonlyMap<string, number>, capacity: number, otherCount: number): KeptCounts {
  const sorted = [...counts.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => compareStrings(a, b));
  const kept = sorted.slice(0, capacity);
  const rest = sorted.slice(capacity).reduce((sum, [, count]) => sum + count, otherCount);
  return { counts: kept, otherCount: rest };
}
