import type { KeptValues } from '../shared/bounded-collections.js';

/**
 * The join of two bounded lists of the smallest distinct values (a finding's principals, projects,
 * sample events…). Each list is read as "the smallest values of some set, and whether there are more":
 * when a side has more, only values up to its last one are known to be the smallest of its set, so the
 * result keeps the union's values up to the lowest such bound, then the `capacity` smallest of those.
 * That is exactly the `capacity` smallest of the union of the underlying sets whenever both sides are
 * untruncated, and never claims a value is among the smallest when it may not be; and it is
 * commutative, associative and idempotent. (A list cut short to fit a ProductFields value reads back
 * with `more`, so truncation on the way through Security Hub keeps these properties.)
 */
export function mergeKeptValues<T>(a: KeptValues<T>, b: KeptValues<T>, capacity: number, compare: (x: T, y: T) => number): KeptValues<T> {
  const bounds = [a, b].filter((side) => side.more).map((side) => side.values.at(-1));
  // A side with more and no values knows none of its smallest: nothing at all is known to be smallest.
  if (bounds.some((bound) => bound === undefined)) return { values: [], more: true };
  const lowest = (bounds as T[]).reduce<T | undefined>((low, bound) => (low === undefined || compare(bound, low) < 0 ? bound : low), undefined);
  const union = sortedDistinct([...a.values, ...b.values], compare).filter((value) => lowest === undefined || compare(value, lowest) <= 0);
  return { values: union.slice(0, capacity), more: a.more || b.more || union.length > capacity };
}

/** Ascending, with values that compare equal kept once: how a bounded list read from text is made canonical. */
export function sortedDistinct<T>(values: readonly T[], compare: (x: T, y: T) => number): T[] {
  const sorted = [...values].sort(compare);
  return sorted.filter((value, index) => index === 0 || compare(sorted[index - 1] as T, value) !== 0);
}
