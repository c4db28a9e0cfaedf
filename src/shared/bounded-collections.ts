/**
 * Bounded, order-independent collections for finding groups. "Keep the first N seen" would make a
 * finding depend on the order records arrive in (S3 delivers them in no particular order); keeping
 * the N smallest by a total order gives the same result for every order, in O(N) memory.
 */

/** Distinct values kept in ascending order, and whether others were left out. */
export interface KeptValues<T> {
  readonly values: readonly T[];
  /** True when more distinct values were seen than were kept. */
  readonly more: boolean;
}

/** Counts for the kept keys (ascending), and how many additions went to keys that were not kept. */
export interface KeptCounts {
  readonly counts: readonly (readonly [key: string, count: number])[];
  readonly otherCount: number;
}

/** The `capacity` smallest distinct items by `compare` (items comparing equal are one item). */
export class SmallestDistinct<T> {
  readonly #capacity: number;
  readonly #compare: (a: T, b: T) => number;
  /**
   * Ascending, and never longer than it holds: V8 grows an array extended in place (splice, push) to
   * 1.5 × its length + 16 slots, which for a run's many collections of a few items is mostly empty
   * room. Until it is full it is replaced by an exact copy with the item added; once full an item is
   * placed by shifting the larger ones, which drops the largest.
   */
  #items: T[] = [];
  #more = false;
  /** Adding an item again changes nothing; a group often meets the same (shared) value many times in a row. */
  #last: T | undefined;

  constructor(capacity: number, compare: (a: T, b: T) => number) {
    this.#capacity = capacity;
    this.#compare = compare;
  }

  add(item: T): void {
    if (item === this.#last) return;
    this.#last = item;
    // Full, and beyond the largest kept: what most additions to a busy group are (records come roughly in time order).
    const largest = this.#items.length === this.#capacity ? this.#items[this.#capacity - 1] : undefined;
    if (largest !== undefined && this.#compare(largest, item) < 0) {
      this.#more = true;
      return;
    }
    if (this.#items.length === 0 && this.#capacity > 0) {
      this.#items = [item];
      return;
    }
    const at = this.#insertionPoint(item);
    const existing = this.#items[at];
    if (existing !== undefined && this.#compare(existing, item) === 0) return;
    if (at >= this.#capacity) {
      this.#more = true;
      return;
    }
    if (this.#items.length < this.#capacity) {
      this.#items = this.#items.toSpliced(at, 0, item);
      return;
    }
    const items = this.#items;
    for (let index = items.length - 1; index > at; index -= 1) items[index] = items[index - 1] as T;
    items[at] = item;
    this.#more = true;
  }

  snapshot(): KeptValues<T> {
    return { values: [...this.#items], more: this.#more };
  }

  /** First index whose item is not smaller than `item` (binary search). */
  #insertionPoint(item: T): number {
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#compare(this.#items[middle] as T, item) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** What a {@link SmallestDistinct} keeps: how many items, by which order. Shared by every group's collection of one detail. */
export interface KeptOrder<T> {
  readonly capacity: number;
  readonly compare: (a: T, b: T) => number;
}

/**
 * One detail of a group as the group holds it: nothing yet, the only item seen so far, or from the
 * second distinct item on a {@link SmallestDistinct}. Most groups see one principal, one address, one
 * agent and so on, and a collection object with its array costs about 130 bytes of heap, eight a group.
 */
export type KeptSlot<T> = T | SmallestDistinct<T> | undefined;

/** The slot after adding `item`: the same slot when it holds a collection or already this item. */
export function addToSlot<T>(slot: KeptSlot<T>, item: T, order: KeptOrder<T>): KeptSlot<T> {
  if (slot === undefined && order.capacity > 0) return item;
  if (slot === undefined || slot instanceof SmallestDistinct) {
    const collection = (slot ?? new SmallestDistinct<T>(order.capacity, order.compare)) as SmallestDistinct<T>;
    collection.add(item);
    return collection;
  }
  if (slot === item || order.compare(slot, item) === 0) return slot;
  const collection = new SmallestDistinct<T>(order.capacity, order.compare);
  collection.add(slot);
  collection.add(item);
  return collection;
}

/** What {@link SmallestDistinct.snapshot} gives, for a slot. */
export function slotValues<T>(slot: KeptSlot<T>): KeptValues<T> {
  if (slot === undefined) return { values: [], more: false };
  if (slot instanceof SmallestDistinct) return slot.snapshot();
  return { values: [slot], more: false };
}

/**
 * Counts per key for the `capacity` smallest keys. A key among the smallest overall is never evicted
 * once seen (it stays among the smallest of every subset that holds it), so its count is exact; the
 * rest add up in `otherCount`.
 */
export class SmallestKeyCounts {
  readonly #capacity: number;
  /** The first key and its count stand alone until a second key comes: most groups see one event name. */
  #onlyKey: string | undefined;
  #onlyCount = 0;
  #counts: Map<string, number> | undefined;
  #total = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(key: string): void {
    this.#total += 1;
    if (this.#counts === undefined) {
      if (key === this.#onlyKey) {
        this.#onlyCount += 1;
        return;
      }
      if (this.#onlyKey === undefined) {
        if (this.#capacity > 0) {
          this.#onlyKey = key;
          this.#onlyCount = 1;
        }
        return;
      }
      this.#counts = new Map([[this.#onlyKey, this.#onlyCount]]);
    }
    const counts = this.#counts;
    const count = counts.get(key);
    if (count !== undefined) {
      counts.set(key, count + 1);
      return;
    }
    if (counts.size < this.#capacity) {
      counts.set(key, 1);
      return;
    }
    const largest = largestKey(counts.keys());
    if (largest !== undefined && compareStrings(key, largest) < 0) {
      counts.delete(largest);
      counts.set(key, 1);
    }
  }

  snapshot(): KeptCounts {
    const entries: [string, number][] =
      this.#counts !== undefined ? [...this.#counts.entries()] : this.#onlyKey === undefined ? [] : [[this.#onlyKey, this.#onlyCount]];
    const counts = entries.sort(([a], [b]) => compareStrings(a, b));
    const kept = counts.reduce((sum, [, count]) => sum + count, 0);
    return { counts, otherCount: this.#total - kept };
  }
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function largestKey(keys: Iterable<string>): string | undefined {
  let largest: string | undefined;
  for (const key of keys) if (largest === undefined || compareStrings(key, largest) > 0) largest = key;
  return largest;
}
