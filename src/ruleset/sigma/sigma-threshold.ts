import { durationMs } from '../rule-definition.js';
import { MAX_THRESHOLD_WITHIN_MS } from '../rule-semantics.js';
import type { RuleThreshold } from '../rule.js';

/**
 * What a Sigma count becomes: an lfvaudit threshold (docs/rules.md, "Thresholds"), which fires where at
 * least `count` matching events (or distinct values) lie in one span shorter than `within`.
 */
export interface SigmaThreshold {
  readonly threshold: RuleThreshold;
  /** The group of the count: the fields Sigma names (`by`, `group-by`), besides account and region. */
  readonly groupBy: readonly string[];
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * A Sigma `timeframe` or `timespan` (`10m`: a whole number and s, m, h or d) as a threshold's span. Sigma
 * also has `M` and `y`; no run holds events that long.
 */
export function sigmaSpan(text: unknown, key: string): Checked<{ readonly within: string; readonly withinMs: number }> {
  const withinMs = typeof text === 'string' ? durationMs(text) : Number.NaN;
  if (typeof text !== 'string' || Number.isNaN(withinMs)) {
    return { ok: false, message: `\`${key}\` is a whole number and a unit, s, m, h or d (\`10m\`)` };
  }
  if (withinMs > MAX_THRESHOLD_WITHIN_MS) return { ok: false, message: `\`${key}\` ${text} is longer than 7d, the longest span a run holds events for` };
  return { ok: true, value: { within: text, withinMs } };
}

/** The comparisons of a Sigma count, as Sigma writes them in an aggregation and in a correlation's condition. */
export type CountComparison = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';

/**
 * The least count that satisfies `count OP value`: `> N` is N + 1, `>= N` is N. A threshold fires on
 * many events, so a count that holds below a bound (`<`, `<=`) or only at one value (`=`) has no
 * threshold: it would hold in every quiet span, or stop holding as more events arrive.
 */
export function leastCount(comparison: CountComparison, value: number): Checked<number> {
  if (comparison === 'lt' || comparison === 'lte' || comparison === 'eq') {
    return {
      ok: false,
      message:
        `a count ${comparison === 'eq' ? 'equal to' : comparison === 'lt' ? 'below' : 'at most'} ${value} is not a threshold: lfvaudit fires where at least N events ` +
        '(or distinct values) lie within the span; write `>` or `>=` (`gt`, `gte`)',
    };
  }
  const count = comparison === 'gt' ? value + 1 : value;
  if (!Number.isSafeInteger(count) || count < 1)
    return { ok: false, message: `a count of at least ${count} holds everywhere, even where nothing happened: use a count of 1 or more` };
  return { ok: true, value: count };
}
