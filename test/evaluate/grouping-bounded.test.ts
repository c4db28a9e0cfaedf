import test from 'ava';
import { SmallestDistinct, SmallestKeyCounts, compareStrings } from '../../src/evaluate/finding-group-bounded.js';

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
  t.deepEqual(counts.snapshot(), { counts: [['a', 3], ['b', 2]], otherCount: 3 });
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
  t.is(expected, JSON.stringify({ counts: [['a', 3], ['b', 2], ['c', 2]], otherCount: 3 }));
});
