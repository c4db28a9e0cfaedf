import test from 'ava';
import { runAudit } from '../../../src/audit/run-audit.js';
import type { SourceItem } from '../../../src/sources/event-source.js';
import { collect, eventIdsOf, itemsOfKind } from '../cloudtrail/fixtures.js';
import { ACCOUNT, BUCKET, coverageDay as day, ORG, ORG_ACCOUNT, PREFIX, TRAIL_DAY_EVENT_IDS, trailBucket, trailSource, WINDOW } from './fixtures.js';

const sorted = (values: readonly string[]): string[] => [...values].sort();

test('reads the log objects of both layouts that can hold the window’s events, in key order', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket).read(WINDOW));
  t.deepEqual(sorted(eventIdsOf(items)), sorted(TRAIL_DAY_EVENT_IDS));
  const origins = itemsOfKind(items, 'records').map((item) => item.origin);
  t.deepEqual(origins, [...origins].sort());
  t.true(origins.every((origin) => origin.startsWith(`s3://${BUCKET}/${PREFIX}/AWSLogs/`)));
  t.true(origins.some((origin) => origin.includes(`/AWSLogs/${ORG}/${ORG_ACCOUNT}/CloudTrail/`)));
});

test('lists only the day folders the window and its late deliveries touch, and never CloudTrail-Digest/', async (t) => {
  const bucket = await trailBucket(t);
  await collect(trailSource(bucket).read(WINDOW));
  const dayListings = bucket.requests
    .filter((request) => request.operation === 'ListObjectsV2' && request.input['Delimiter'] === undefined)
    .map((request) => String(request.input['Prefix']));
  t.deepEqual(dayListings, [
    `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2025/10/01/`,
    `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2025/10/02/`,
    `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2025/10/01/`,
    `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2025/10/02/`,
    `${PREFIX}/AWSLogs/${ORG}/${ORG_ACCOUNT}/CloudTrail/us-east-1/2025/10/01/`,
    `${PREFIX}/AWSLogs/${ORG}/${ORG_ACCOUNT}/CloudTrail/us-east-1/2025/10/02/`,
  ]);
  t.false(bucket.requests.some((request) => String(request.input['Prefix']).includes('CloudTrail-Digest')));
});

test('does not read objects delivered after the window’s late-delivery slack', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket).read(WINDOW));
  t.false(eventIdsOf(items).includes('use1-much-later'));
  const fetched = bucket.requests.filter((request) => request.operation === 'GetObject').map((request) => String(request.input['Key']));
  t.false(fetched.some((key) => key.includes('20251002T0500Z')));
});

test('reports a digest file met in a day folder as skipped', async (t) => {
  const bucket = await trailBucket(t);
  const skipped = itemsOfKind(await collect(trailSource(bucket).read(WINDOW)), 'skipped');
  t.deepEqual(
    skipped.map((item) => [item.origin.replace(/^.*\/CloudTrail\//, ''), item.reason]),
    [[`eu-west-1/2025/10/01/CloudTrail-Digest/${ACCOUNT}_CloudTrail-Digest_eu-west-1_20251001T0905Z.json.gz`, 'CloudTrail digest file']],
  );
});

test('reports a corrupt object unreadable with its s3:// URI and still reads the rest', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket).read(WINDOW));
  const unreadable = itemsOfKind(items, 'unreadable');
  t.is(unreadable.length, 1);
  t.regex(
    unreadable[0]?.origin ?? '',
    /^s3:\/\/trail-bucket\/logs\/AWSLogs\/o-abcdefghij\/222222222222\/CloudTrail\/us-east-1\/2025\/10\/01\/.*corruptcorruptco\.json\.gz$/,
  );
  t.regex(unreadable[0]?.reason ?? '', /gzip/);
  t.true(eventIdsOf(items).includes('org-3'));
});

test('needs a window: without one it reports the location unreadable and lists nothing', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket).read(undefined));
  t.deepEqual(
    items.map((item) => item.kind),
    ['unreadable'],
  );
  t.is(bucket.requests.length, 0);
});

test('reads only the configured accounts and regions, and notices a configured one that has no logs', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket, { accounts: [ACCOUNT, '333333333333'], regions: ['eu-west-1', 'ap-south-1'] }).read(WINDOW));
  t.deepEqual(eventIdsOf(items), ['euw1-1']);
  const notices = itemsOfKind(items, 'notice').map((item) => item.message);
  t.true(notices.some((message) => message.includes('account 333333333333 has no CloudTrail logs')));
  t.true(notices.some((message) => message.includes(`account ${ACCOUNT} has no CloudTrail logs for region ap-south-1`)));
});

test('reads only the named organisation’s folder when an organization id is given', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket, { organizationId: ORG }).read(WINDOW));
  t.deepEqual(sorted(eventIdsOf(items)), ['org-1', 'org-2', 'org-3']);
});

test('reports its coverage: accounts, regions, days, objects and records per day, and the gaps', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket).read(WINDOW));
  // One report, after the last records.
  t.is(items.at(-1)?.kind, 'coverage');
  const reports = itemsOfKind(items, 'coverage');
  t.is(reports.length, 1);
  const coverage = reports[0]?.coverage;
  t.deepEqual(coverage, {
    location: `s3://${BUCKET}/${PREFIX}/AWSLogs/`,
    window: { start: '2025-10-01T00:00:00.000Z', end: '2025-10-02T00:00:00.000Z' },
    accounts: [ACCOUNT, ORG_ACCOUNT],
    regions: ['eu-west-1', 'us-east-1'],
    days: [
      // The digest in eu-west-1's day folder is skipped, not counted as a log object.
      day(ACCOUNT, 'eu-west-1', '2025-10-01', [1, 1, 1, 0, 1, 1]),
      day(ACCOUNT, 'eu-west-1', '2025-10-02', [0, 0, 0, 0, 0, 0]),
      day(ACCOUNT, 'us-east-1', '2025-10-01', [2, 2, 2, 0, 3, 3]),
      day(ACCOUNT, 'us-east-1', '2025-10-02', [2, 1, 1, 0, 2, 1]),
      day(ORG_ACCOUNT, 'us-east-1', '2025-10-01', [3, 3, 2, 1, 3, 3], ORG),
      day(ORG_ACCOUNT, 'us-east-1', '2025-10-02', [0, 0, 0, 0, 0, 0], ORG),
    ],
    gaps: [
      {
        kind: 'unreadable-object',
        uri: `s3://${BUCKET}/${PREFIX}/AWSLogs/${ORG}/${ORG_ACCOUNT}/CloudTrail/us-east-1/2025/10/01/${ORG_ACCOUNT}_CloudTrail_us-east-1_20251001T1000Z_corruptcorruptco.json.gz`,
        reason: (coverage?.gaps[0] as { reason: string } | undefined)?.reason ?? '',
      },
    ],
  });
});

test('reports a day of the window with no log objects as a gap notice, without failing the run', async (t) => {
  const bucket = await trailBucket(t);
  const window = { start: new Date('2025-09-30T00:00:00Z'), end: new Date('2025-10-01T00:00:00Z') };
  const items = await collect(trailSource(bucket, { accounts: [ACCOUNT] }).read(window));
  t.deepEqual(eventIdsOf(items), ['before-1', 'use1-1', 'use1-2']);
  t.deepEqual(itemsOfKind(items, 'unreadable'), []);
  t.true(itemsOfKind(items, 'notice').some((item) => item.message.includes(`account ${ACCOUNT}, region eu-west-1: no log objects delivered on 2025-09-30`)));
});

test('notices an empty location as not audited', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket, { prefix: 'elsewhere' }).read(WINDOW));
  t.deepEqual(
    items.map((item) => item.kind),
    ['notice', 'coverage'],
  );
  t.regex(
    (items[0] as Extract<SourceItem, { kind: 'notice' }>).message,
    /no account folders under s3:\/\/trail-bucket\/elsewhere\/AWSLogs\/: nothing was audited/,
  );
});

test('follows listing pages to the end', async (t) => {
  const bucket = await trailBucket(t);
  const items = await collect(trailSource(bucket, { listPageSize: 1 }).read(WINDOW));
  t.deepEqual(sorted(eventIdsOf(items)), sorted(TRAIL_DAY_EVENT_IDS));
});

test('through the audit: only events inside the window are evaluated, and the corrupt object makes the run incomplete', async (t) => {
  const bucket = await trailBucket(t);
  const result = await runAudit({
    sources: [trailSource(bucket)],
    rules: [],
    evaluator: { matchingRules: () => Promise.resolve([]) },
    sinks: [],
    window: WINDOW,
    now: () => new Date(),
  });
  t.is(result.summary.recordsRead, TRAIL_DAY_EVENT_IDS.length);
  t.is(result.summary.outsideWindow, 1);
  t.is(result.summary.recordsEvaluated, TRAIL_DAY_EVENT_IDS.length - 1);
  t.false(result.complete);
  t.deepEqual(
    result.summary.unreadable.map((entry) => entry.origin.slice(entry.origin.lastIndexOf('_') + 1)),
    ['corruptcorruptco.json.gz'],
  );
});
