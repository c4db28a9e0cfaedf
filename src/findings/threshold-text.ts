import type { FindingGroup } from '../grouping/finding-group.js';
import type { RuleThreshold } from '../ruleset/rule.js';

const UNIT_WORDS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };

/** `10m` → `10 minutes`, `1h` → `1 hour`. */
export function spanWords(within: string): string {
  const amount = within.slice(0, -1);
  const unit = UNIT_WORDS[within.slice(-1)] ?? within.slice(-1);
  return `${amount} ${unit}${amount === '1' ? '' : 's'}`;
}

/**
 * `51 ListBuckets calls within 10 minutes (threshold 50)`, or `12 distinct eventName values within 1
 * hour (threshold 10)`: the fullest span of a threshold finding. Undefined when the rule has no
 * threshold or the group no span (a finding built from one test event).
 */
export function thresholdSummary(group: FindingGroup, threshold: RuleThreshold | undefined): string | undefined {
  const peak = group.threshold;
  if (threshold === undefined || peak === undefined) return undefined;
  const [onlyCall] = group.eventNames.counts;
  const what =
    threshold.distinct !== undefined
      ? `distinct ${threshold.distinct} value${peak.count === 1 ? '' : 's'}`
      : onlyCall !== undefined && group.eventNames.counts.length === 1 && group.eventNames.otherCount === 0
        ? `${onlyCall[0]} call${peak.count === 1 ? '' : 's'}`
        : `matching event${peak.count === 1 ? '' : 's'}`;
  return `${peak.count} ${what} within ${spanWords(threshold.within)} (threshold ${threshold.count})`;
}

/** `lfvaudit/Threshold` for the rule: `50 within 10m`, or `10 distinct eventName within 1h`. */
export function thresholdRuleText(threshold: Pick<RuleThreshold, 'count' | 'within' | 'distinct'>): string {
  return `${threshold.count}${threshold.distinct === undefined ? '' : ` distinct ${threshold.distinct}`} within ${threshold.within}`;
}
