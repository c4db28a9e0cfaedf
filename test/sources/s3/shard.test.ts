import test from 'ava';
import fc from 'fast-check';
import { isInShard, ownsAccountRegion, parseShard, type Shard, type ShardSplit } from '../../../src/sources/s3/shard.js';
import { collect, eventIdsOf, itemsOfKind } from '../cloudtrail/fixtures.js';
import { ACCOUNT, events, logKey, ORG, ORG_ACCOUNT, trailBucket, trailLogBody, trailSource, WINDOW, type TrailObject } from './fixtures.js';

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
  const parts = await Promise.all(
    [0, 1, 2].map(async (index) => eventIdsOf(await collect(trailSource(bucket, { shard: { index, count: 3, by: 'object' } }).read(WINDOW)))),
  );
  t.is(whole.length, 90);
  t.deepEqual(sorted(parts.flat()), sorted(whole));
  t.true(parts.every((part) => part.length > 0));
});

test('a shard reads the same objects on every run', async (t) => {
  const bucket = await trailBucket(t, busyDay());
  const origins = async (): Promise<string[]> =>
    itemsOfKind(await collect(trailSource(bucket, { shard: { index: 1, count: 3, by: 'object' } }).read(WINDOW)), 'records').map((item) => item.origin);
  t.deepEqual(await origins(), await origins());
});

test('a shard’s coverage counts its own objects read against the window’s objects of all shards', async (t) => {
  const bucket = await trailBucket(t, busyDay());
  const totals = await Promise.all(
    [0, 1, 2].map(async (index) => {
      const [report] = itemsOfKind(await collect(trailSource(bucket, { shard: { index, count: 3, by: 'object' } }).read(WINDOW)), 'coverage');
      t.deepEqual(report?.coverage.shard, { index, count: 3, by: 'object' });
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
    fc.property(
      fc.string(),
      fc.string(),
      fc.string(),
      fc.integer({ min: 1, max: 64 }),
      fc.constantFrom<ShardSplit>('object', 'account-region'),
      (key, account, region, count, by) => {
        const owners = Array.from({ length: count }, (_, index): Shard => ({ index, count, by })).filter((shard) => isInShard({ key, account, region }, shard));
        return owners.length === 1;
      },
    ),
  );
  t.pass();
});

test('the shard of a key is fixed: pinned, so that a change of hash (which would re-split running jobs) cannot go unnoticed', (t) => {
  const owners = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => {
    const key = `AWSLogs/111111111111/CloudTrail/us-east-1/2025/10/01/111111111111_CloudTrail_us-east-1_20251001T0005Z_${letter.repeat(16)}.json.gz`;
    return [0, 1, 2, 3, 4, 5, 6].find((index) => isInShard({ key, account: '111111111111', region: 'us-east-1' }, { index, count: 7, by: 'object' }));
  });
  t.deepEqual(owners, [0, 5, 1, 4, 6, 6]);
});

test('the shard of an account and region is fixed and depends on them alone, whatever the object', (t) => {
  const places = ['111111111111/us-east-1', '111111111111/eu-west-1', '222222222222/us-east-1', '222222222222/eu-west-1', '-/-', '333333333333/-'];
  const owners = places.map((place) => {
    const [account = '', region = ''] = place.split('/');
    const shardsOf = ['a', 'b', 'c'].map((letter) =>
      [0, 1, 2, 3, 4, 5, 6].find((index) => isInShard({ key: `${place}/${letter}.json.gz`, account, region }, { index, count: 7, by: 'account-region' })),
    );
    t.is(new Set(shardsOf).size, 1, place);
    t.true(ownsAccountRegion({ index: shardsOf[0] ?? -1, count: 7, by: 'account-region' }, account, region));
    return shardsOf[0];
  });
  t.deepEqual(owners, [0, 1, 5, 3, 0, 4]);
});

test('no shard split by object owns an account and region whole', (t) => {
  t.false([0, 1].some((index) => ownsAccountRegion({ index, count: 2, by: 'object' }, '111111111111', 'us-east-1')));
  t.true(ownsAccountRegion({ index: 0, count: 1, by: 'account-region' }, '111111111111', 'us-east-1'));
});

test('parses INDEX/COUNT counting from 0', (t) => {
  t.deepEqual(parseShard('0/3', 'object'), { index: 0, count: 3, by: 'object' });
  t.deepEqual(parseShard(' 2/3 ', 'account-region'), { index: 2, count: 3, by: 'account-region' });
});

test('rejects a shard outside its count, a zero count and other text, saying what is expected', (t) => {
  t.is(parseShard('3/3', 'object'), 'a shard index must be a whole number from 0 to 2, got 3');
  t.is(parseShard('0/0', 'object'), 'a shard count must be a whole number ≥ 1, got 0');
  t.is(parseShard('1 of 3', 'object'), "a shard is INDEX/COUNT with 0 ≤ INDEX < COUNT (e.g. 0/4), got '1 of 3'");
});

/** Log objects of three accounts (one in the organisation trail's folder, one in both layouts) in two regions, four per account and region. */
function organisationDay(): TrailObject[] {
  const objects: TrailObject[] = [];
  const places = [
    { account: ACCOUNT, organizationId: undefined },
    { account: ORG_ACCOUNT, organizationId: ORG },
    { account: '333333333333', organizationId: undefined },
    { account: '333333333333', organizationId: ORG },
  ];
  for (const [placeIndex, place] of places.entries()) {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (let slot = 0; slot < 2; slot += 1) {
        const hour = String(3 + slot * 6 + placeIndex).padStart(2, '0');
        const ids = [0, 1].map((n): readonly [string, string] => [
          `${place.account}-${place.organizationId ?? 'plain'}-${region}-${slot}-${n}`,
          `2025-10-01T${hour}:0${n}:00Z`,
        ]);
        objects.push({
          key: logKey({
            account: place.account,
            region,
            delivered: `20251001T${hour}05Z`,
            unique: `p${placeIndex}s${slot}`.padEnd(16, '0'),
            ...(place.organizationId === undefined ? {} : { organizationId: place.organizationId }),
          }),
          body: trailLogBody(events(place.account, region, ...ids)),
        });
      }
    }
  }
  return objects;
}

/** `ACCOUNT/REGION` of a log object's key, either layout. */
function accountRegionOf(uri: string): string {
  const match = /AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([^/]+)\//.exec(uri);
  return match === null ? uri : `${match[1]}/${match[2]}`;
}

test('shards split by account and region read together exactly the records of one run, each account’s region (both layouts) in one shard', async (t) => {
  const bucket = await trailBucket(t, organisationDay());
  const whole = eventIdsOf(await collect(trailSource(bucket).read(WINDOW)));
  t.is(whole.length, 32);
  for (const count of [1, 2, 3, 4]) {
    const parts = await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const items = await collect(trailSource(bucket, { shard: { index, count, by: 'account-region' } }).read(WINDOW));
        const [report] = itemsOfKind(items, 'coverage');
        // Every shard lists the whole window: its coverage counts the objects of all shards together.
        t.is(
          report?.coverage.days.reduce((sum, day) => sum + day.objectsInWindow, 0),
          16,
        );
        return { ids: eventIdsOf(items), places: itemsOfKind(items, 'records').map((item) => accountRegionOf(item.origin)) };
      }),
    );
    t.deepEqual(sorted(parts.flatMap((part) => part.ids)), sorted(whole), `${count} shards`);
    const owners = new Map<string, number>();
    parts.forEach((part, index) => {
      for (const place of part.places) {
        t.is(owners.get(place) ?? index, index, `${place} is read by one shard of ${count}`);
        owners.set(place, index);
      }
    });
    t.is(owners.size, 6);
  }
});

test('a shard split by account and region says so in its description and coverage', async (t) => {
  const bucket = await trailBucket(t, organisationDay());
  const source = trailSource(bucket, { shard: { index: 1, count: 4, by: 'account-region' } });
  t.regex(source.description, / shard 1\/4 by account and region$/);
  const [report] = itemsOfKind(await collect(source.read(WINDOW)), 'coverage');
  t.deepEqual(report?.coverage.shard, { index: 1, count: 4, by: 'account-region' });
});
