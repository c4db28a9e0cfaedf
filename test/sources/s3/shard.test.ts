import test from 'ava';
import fc from 'fast-check';
import { isInShard, parseShard, type Shard } from '../../../src/sources/s3/shard.js';
import { collect, eventIdsOf, itemsOfKind } from '../cloudtrail/fixtures.js';
import { ACCOUNT, events, logKey, trailBucket, trailLogBody, trailSource, WINDOW, type TrailObject } from './fixtures.js';

const sorted = (values: readonly string[]): string[] => [...values].sort();

/** 30 log objects of 3 events each over the window, in two regions; object 7's first event is delivered again in object 8. */
function busyDay(): TrailObject[] {
  return Array.from({ length: 30 }, (_, index) => {
    const region = index % 2 === 0 ? 'us-east-1' : 'eu-west-1';
    const hour = String(Math.floor(index * 0.75)).padStart(2, '0');
    const minute = String((index * 7) % 60).padStart(2, '0');
    const ids = [0, 1, 2].map((n): readonly [string, string] => [index === 8 && n === 0 ? 'e7-0' : `e${index}-${n}`, `2025-10-01T${hour}:${minute}:0${n}Z`]);
    return {
      key: logKey({ account: ACCOUNT, region, delivered: `20251001T${hour}${minute}Z`, unique: `u${String(index).padStart(15, '0')}` }),
      body: trailLogBody(events(ACCOUNT, region, ...ids)),
    };
  });
}

test('three shards read together exactly the records of one run, duplicates included', async (t) => {
  const bucket = await trailBucket(t, busyDay());
  const whole = eventIdsOf(await collect(trailSource(bucket).read(WINDOW)));
  const parts = await Promise.all([0, 1, 2].map(async (index) => eventIdsOf(await collect(trailSource(bucket, { shard: { index, count: 3 } }).read(WINDOW)))));
  t.is(whole.length, 90);
  t.deepEqual(sorted(parts.flat()), sorted(whole));
  t.true(parts.every((part) => part.length > 0));
});

test('a shard reads the same objects on every run', async (t) => {
  const bucket = await trailBucket(t, busyDay());
  const origins = async (): Promise<string[]> =>
    itemsOfKind(await collect(trailSource(bucket, { shard: { index: 1, count: 3 } }).read(WINDOW)), 'records').map((item) => item.origin);
  t.deepEqual(await origins(), await origins());
});

test('a shard’s coverage counts its own objects read against the window’s objects of all shards', async (t) => {
  const bucket = await trailBucket(t, busyDay());
  const totals = await Promise.all(
    [0, 1, 2].map(async (index) => {
      const [report] = itemsOfKind(await collect(trailSource(bucket, { shard: { index, count: 3 } }).read(WINDOW)), 'coverage');
      t.deepEqual(report?.coverage.shard, { index, count: 3 });
      const days = report?.coverage.days ?? [];
      const read = days.reduce((sum, day) => sum + day.objectsRead, 0);
      const inWindow = days.reduce((sum, day) => sum + day.objectsInWindow, 0);
      return { read, inWindow };
    }),
  );
  t.deepEqual(
    totals.map((total) => total.inWindow),
    [30, 30, 30],
  );
  t.is(
    totals.reduce((sum, total) => sum + total.read, 0),
    30,
  );
});

test('every key belongs to exactly one shard of any count', (t) => {
  fc.assert(
    fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, count) => {
      const owners = Array.from({ length: count }, (_, index): Shard => ({ index, count })).filter((shard) => isInShard(key, shard));
      return owners.length === 1;
    }),
  );
  t.pass();
});

test('the shard of a key is fixed: pinned, so that a change of hash (which would re-split running jobs) cannot go unnoticed', (t) => {
  const owners = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => {
    const key = `AWSLogs/111111111111/CloudTrail/us-east-1/2025/10/01/111111111111_CloudTrail_us-east-1_20251001T0005Z_${letter.repeat(16)}.json.gz`;
    return [0, 1, 2, 3, 4, 5, 6].find((index) => isInShard(key, { index, count: 7 }));
  });
  t.deepEqual(owners, [0, 5, 1, 4, 6, 6]);
});

test('parses INDEX/COUNT counting from 0', (t) => {
  t.deepEqual(parseShard('0/3'), { index: 0, count: 3 });
  t.deepEqual(parseShard(' 2/3 '), { index: 2, count: 3 });
});

test('rejects a shard outside its count, a zero count and other text, saying what is expected', (t) => {
  t.is(parseShard('3/3'), 'a shard index must be a whole number from 0 to 2, got 3');
  t.is(parseShard('0/0'), 'a shard count must be a whole number ≥ 1, got 0');
  t.is(parseShard('1 of 3'), "a shard is INDEX/COUNT with 0 ≤ INDEX < COUNT (e.g. 0/4), got '1 of 3'");
});
