import test from 'ava';
import fc from 'fast-check';
import { SmallestDistinct, SmallestKeyCounts, addToSlot, compareStrings, slotValues, type KeptSlot } from '../../src/shared/bounded-collections.js';

test('a bounded set keeps the smallest distinct values and says that others were seen', (t) => {
  const kept = new SmallestDistinct<string>(3, compareStrings);
  for (const value of ['d', 'b', 'e', 'b', 'a', 'c']) kept.add(value);
  t.deepEqual(kept.snapshot(), { values: ['a', 'b', 'c'], more: true });
});

test('a bounded set that never overflows says nothing more was seen', (t) => {
  const kept = new SmallestDistinct<string>(3, compareStrings);
  for (const value of ['b', 'a', 'b', 'c']) kept.add(value);
  t.deepEqual(kept.snapshot(), { values: ['a', 'b', 'c'], more: false });
});

test('bounded counts are exact for the kept keys and sum the rest as other', (t) => {
  const counts = new SmallestKeyCounts(2);
  for (const key of ['z', 'b', 'z', 'a', 'b', 'y', 'a', 'a']) counts.add(key);
  t.deepEqual(counts.snapshot(), {
    counts: [
      ['a', 3],
      ['b', 2],
    ],
    otherCount: 3,
  });
});

test('bounded counts come out the same for every order of the same additions', (t) => {
  const keys = ['z', 'b', 'z', 'a', 'b', 'y', 'a', 'a', 'c', 'c'];
  const snapshotOf = (order: readonly string[]): string => {
    const counts = new SmallestKeyCounts(3);
    for (const key of order) counts.add(key);
    return JSON.stringify(counts.snapshot());
  };
  const expected = snapshotOf(keys);
  t.is(snapshotOf([...keys].reverse()), expected);
  t.is(snapshotOf([...keys].sort()), expected);
  t.is(
    expected,
    JSON.stringify({
      counts: [
        ['a', 3],
        ['b', 2],
        ['c', 2],
      ],
      otherCount: 3,
    }),
  );
});

test('bounded sets and counts keep exactly what sorting everything would, for any additions and capacity (fast paths included)', (t) => {
  // Few distinct keys, long runs of the same key: the paths for one key, a repeat and a full set all get taken.
  const additions = fc
    .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 1, max: 4 })), { maxLength: 30 })
    .map((runs) => runs.flatMap(([key, times]) => Array<string>(times).fill(key)));
  let overflowed = 0;
  fc.assert(
    fc.property(additions, fc.integer({ min: 0, max: 5 }), (keys, capacity) => {
      const distinct = new SmallestDistinct<string>(capacity, compareStrings);
      const counts = new SmallestKeyCounts(capacity);
      // A group's slot, over strings, and over a fresh object per addition (equal by order, never the same object).
      let slot: KeptSlot<string>;
      let objectSlot: KeptSlot<{ readonly key: string }>;
      const objectOrder = { capacity, compare: (a: { readonly key: string }, b: { readonly key: string }) => compareStrings(a.key, b.key) };
      for (const key of keys) {
        distinct.add(key);
        counts.add(key);
        slot = addToSlot(slot, key, { capacity, compare: compareStrings });
        objectSlot = addToSlot(objectSlot, { key }, objectOrder);
      }
      const sorted = [...new Set(keys)].sort(compareStrings);
      const kept = sorted.slice(0, capacity);
      const expectedCounts = kept.map((key) => [key, keys.filter((other) => other === key).length] as const);
      const keptTotal = expectedCounts.reduce((sum, [, count]) => sum + count, 0);
      if (sorted.length > capacity) overflowed += 1;
      t.deepEqual(distinct.snapshot(), { values: kept, more: sorted.length > capacity });
      t.deepEqual(slotValues(slot), { values: kept, more: sorted.length > capacity });
      t.deepEqual(slotValues(objectSlot), { values: kept.map((key) => ({ key })), more: sorted.length > capacity });
      t.deepEqual(counts.snapshot(), { counts: expectedCounts, otherCount: keys.length - keptTotal });
    }),
    { numRuns: 400, seed: 20251125 },
  );
  t.true(overflowed > 50, `${overflowed}`);
});
