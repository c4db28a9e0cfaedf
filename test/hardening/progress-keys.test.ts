import test, { type ExecutionContext } from 'ava';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import type { SourceSpec } from '../../src/config/config.js';
import { runScheduledAudit } from '../../src/audit/scheduled-audit.js';
import { FileSource } from '../../src/sources/file/file-source.js';
import { scheduledProgressKey, sourceProgressKey } from '../../src/state/progress-key.js';
import { BUCKET, PREFIX, trailBucket, trailDay, type TrailBucket } from '../sources/s3/fixtures.js';
import { tempFolder } from '../support/temp-folder.js';
import { runWithS3Credentials, s3SourceLines, type CliRun, type S3TrailLocation } from '../support/s3-trail-run.js';
import { KeepingSink, scheduledOptions, trailFolder } from './scheduled-library.js';

// The saved progress identifies what was read (issue 16, point 10): the source and its filters, so a
// source read differently starts its own window; the state file is versioned, and `lfvaudit state`
// shows and resets the saved windows.

async function s3Project(t: ExecutionContext, bucket: TrailBucket, regions: string): Promise<string> {
  const dir = tempFolder(t, 'state');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeS3Config(dir, bucket, regions);
  return dir;
}

/** The trail day's bucket, as a config's S3 source reads it. */
function trailLocation(bucket: TrailBucket): S3TrailLocation {
  return { server: bucket.server, bucket: BUCKET, prefix: PREFIX };
}

async function writeS3Config(dir: string, bucket: TrailBucket, regions: string): Promise<void> {
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    [
      ...s3SourceLines(trailLocation(bucket), `    regions: ${regions}`),
      'scheduled: true',
      'sinks:',
      '  - type: stdout',
      'state:',
      '  lookbackHours: 48',
      '',
    ].join('\n'),
  );
}

async function lfvaudit(dir: string, bucket: TrailBucket, argv: readonly string[], now: string): Promise<CliRun> {
  return runWithS3Credentials(trailLocation(bucket), dir, argv, new Date(now));
}

function summaryOf(stdout: string): AuditSummary {
  return (JSON.parse(stdout) as { Summary: AuditSummary }).Summary;
}

const FIRST_NOW = '2025-10-02T00:40:00Z';
const LATER_NOW = '2025-10-02T03:40:00Z';

test.serial('a changed region filter starts its own window: the hours the narrower run recorded are audited for the new region', async (t) => {
  const bucket = await trailBucket(
    t,
    trailDay().filter((object) => !object.key.includes('corrupt')),
  );
  const dir = await s3Project(t, bucket, '[eu-west-1]');
  const first = await lfvaudit(dir, bucket, ['run', '--format', 'json'], FIRST_NOW);
  t.is(first.status, 0, first.stderr);
  t.is(summaryOf(first.stdout).recordsEvaluated, 1); // euw1-1

  await writeS3Config(dir, bucket, '[us-east-1, eu-west-1]');
  const widened = await lfvaudit(dir, bucket, ['run', '--format', 'json'], LATER_NOW);
  t.is(widened.status, 0, widened.stderr);
  const summary = summaryOf(widened.stdout);
  // The first-run look-back of the new key, not the narrower key's resumed window (1 October 23:00 onwards).
  t.deepEqual(summary.window, { start: '2025-09-30T03:00:00.000Z', end: '2025-10-02T03:00:00.000Z' });
  // before-1, use1-1, use1-2, use1-3, use1-late, use1-next-day, euw1-1, and org-1 to org-3 (the organisation's folder, us-east-1).
  t.is(summary.recordsEvaluated, 10);

  const state = JSON.parse(await readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8')) as { version: number; scopes: Record<string, unknown> };
  t.is(state.version, 2);
  const location = `s3://${BUCKET}/${PREFIX}/AWSLogs/ organizationId=any accounts=any`;
  t.deepEqual(Object.keys(state.scopes).sort(), [
    `${location} regions=eu-west-1 endpoint=${bucket.server.endpoint}`,
    `${location} regions=eu-west-1,us-east-1 endpoint=${bucket.server.endpoint}`,
  ]);
});

test.serial('state show lists every saved window (table and JSON), and state reset forgets one key or all', async (t) => {
  const bucket = await trailBucket(
    t,
    trailDay().filter((object) => !object.key.includes('corrupt')),
  );
  const dir = await s3Project(t, bucket, '[eu-west-1]');
  t.is((await lfvaudit(dir, bucket, ['run', '--format', 'json'], FIRST_NOW)).status, 0);
  await writeS3Config(dir, bucket, '[us-east-1]');
  t.is((await lfvaudit(dir, bucket, ['run', '--format', 'json'], FIRST_NOW)).status, 0);
  const location = `s3://${BUCKET}/${PREFIX}/AWSLogs/ organizationId=any accounts=any`;
  const euKey = `${location} regions=eu-west-1 endpoint=${bucket.server.endpoint}`;
  const usKey = `${location} regions=us-east-1 endpoint=${bucket.server.endpoint}`;

  const table = await lfvaudit(dir, bucket, ['state', 'show'], LATER_NOW);
  t.is(table.status, 0, table.stderr);
  t.regex(table.stdout, /LAST COMPLETED END +RUNS +UPDATED +KEY/);
  t.true(table.stdout.includes(`2025-10-02T00:00:00.000Z       1  2025-10-02T00:40:00.000Z  ${usKey} (this config)\n`), table.stdout);
  t.true(table.stdout.includes(`  ${euKey}\n`), table.stdout);

  const json = await lfvaudit(dir, bucket, ['state', 'show', '--format', 'json'], LATER_NOW);
  const shown = JSON.parse(json.stdout) as { configKey: string; windows: { key: string; lastCompletedEnd: string; runs: number }[] };
  t.is(shown.configKey, usKey);
  t.deepEqual(
    shown.windows.map(({ key, lastCompletedEnd, runs }) => ({ key, lastCompletedEnd, runs })),
    [euKey, usKey].sort().map((key) => ({ key, lastCompletedEnd: '2025-10-02T00:00:00.000Z', runs: 1 })),
  );

  const unknown = await lfvaudit(dir, bucket, ['state', 'reset', 's3://trail-bucket/logs/'], LATER_NOW);
  t.is(unknown.status, 2);
  t.regex(unknown.stderr, /no window is recorded for "s3:\/\/trail-bucket\/logs\/"; recorded keys: /);

  t.is((await lfvaudit(dir, bucket, ['state', 'reset', usKey], LATER_NOW)).status, 0);
  const afterReset = JSON.parse((await lfvaudit(dir, bucket, ['state', 'show', '--format', 'json'], LATER_NOW)).stdout) as { windows: { key: string }[] };
  t.deepEqual(
    afterReset.windows.map((window) => window.key),
    [euKey],
  );
  // The reset key starts again with the first-run look-back.
  const rerun = await lfvaudit(dir, bucket, ['run', '--format', 'json'], LATER_NOW);
  t.is(summaryOf(rerun.stdout).window?.start, '2025-09-30T03:00:00.000Z');

  t.is((await lfvaudit(dir, bucket, ['state', 'reset', '--all'], LATER_NOW)).status, 0);
  const afterAll = JSON.parse((await lfvaudit(dir, bucket, ['state', 'show', '--format', 'json'], LATER_NOW)).stdout) as { windows: unknown[] };
  t.deepEqual(afterAll.windows, []);
});

test.serial(
  'a version 1 state file’s S3 window, keyed without its filters, is not continued silently: the run names it, and --since continues from it',
  async (t) => {
    const bucket = await trailBucket(
      t,
      trailDay().filter((object) => !object.key.includes('corrupt')),
    );
    const dir = await s3Project(t, bucket, '[us-east-1]');
    const stateFile = path.join(dir, '.lfvaudit/state.json');
    await mkdir(path.dirname(stateFile), { recursive: true });
    // What lfvaudit wrote before: the bucket and prefix alone, perhaps after a run whose filters matched nothing.
    await writeFile(
      stateFile,
      JSON.stringify({
        version: 1,
        scopes: { 's3://trail-bucket/logs/': { lastCompletedEnd: '2025-10-01T12:00:00.000Z', updatedAt: '2025-10-01T12:40:00.000Z', runs: 4 } },
      }),
    );

    const refused = await lfvaudit(dir, bucket, ['run', '--format', 'json'], LATER_NOW);
    t.is(refused.status, 2, refused.stderr);
    t.true(refused.stderr.includes(`${stateFile}: no window is recorded for `), refused.stderr);
    t.regex(
      refused.stderr,
      /the file holds "version-1 s3:\/\/trail-bucket\/logs\/", recorded by an older lfvaudit under a key without the S3 source's filters .*ending 2025-10-01T12:00:00\.000Z/,
    );
    t.is(refused.stdout, '');

    const shown = await lfvaudit(dir, bucket, ['state', 'show'], LATER_NOW);
    t.regex(shown.stdout, /version-1 s3:\/\/trail-bucket\/logs\/ \(version 1: without the S3 filters\)/);

    const continued = await lfvaudit(dir, bucket, ['run', '--format', 'json', '--since', '2025-10-01T12:00:00Z'], LATER_NOW);
    t.is(continued.status, 0, continued.stderr);
    const next = await lfvaudit(dir, bucket, ['run', '--format', 'json'], '2025-10-02T05:40:00Z');
    t.is(next.status, 0, next.stderr);
    t.is(summaryOf(next.stdout).window?.start, '2025-10-02T02:00:00.000Z');
  },
);

test('a shard split by account and region keeps a window of its own; a shard split by object keeps the key it had before splits could differ', (t) => {
  const spec: SourceSpec = { type: 's3', bucket: 'org-trail-logs', prefix: '' };
  t.is(
    sourceProgressKey(spec, { shard: { index: 0, count: 4, by: 'object' } }),
    's3://org-trail-logs/AWSLogs/ organizationId=any accounts=any regions=any shard=0/4',
  );
  t.is(
    sourceProgressKey(spec, { shard: { index: 0, count: 4, by: 'account-region' } }),
    's3://org-trail-logs/AWSLogs/ organizationId=any accounts=any regions=any shard=0/4 shardBy=account-region',
  );
});

test('every filter of an S3 source is part of its progress key; the order of lists and of sources is not', (t) => {
  const base: SourceSpec = { type: 's3', bucket: 'org-trail-logs', prefix: '' };
  const keys = [
    base,
    { ...base, prefix: 'other' },
    { ...base, organizationId: 'o-abcdefghij' },
    { ...base, accounts: ['111111111111'] },
    { ...base, regions: ['us-east-1'] },
    { ...base, endpoint: 'http://127.0.0.1:9000' },
  ].map((spec) => sourceProgressKey(spec));
  t.is(new Set(keys).size, keys.length, keys.join('\n'));
  t.not(sourceProgressKey(base, { shard: { index: 0, count: 4, by: 'object' } }), sourceProgressKey(base, { shard: { index: 1, count: 4, by: 'object' } }));
  t.not(
    sourceProgressKey(base, { shard: { index: 0, count: 4, by: 'object' } }),
    sourceProgressKey(base, { shard: { index: 0, count: 4, by: 'account-region' } }),
  );
  t.is(sourceProgressKey({ ...base, regions: ['us-east-1', 'eu-west-1'] }), sourceProgressKey({ ...base, regions: ['eu-west-1', 'us-east-1', 'eu-west-1'] }));
  t.is(sourceProgressKey({ ...base, prefix: 'logs' }), sourceProgressKey({ ...base, prefix: '/logs/AWSLogs/' }));
  const cloudtrail: SourceSpec = { type: 'cloudtrail', regions: ['us-east-1'] };
  t.is(
    scheduledProgressKey([sourceProgressKey(base), sourceProgressKey(cloudtrail)]),
    scheduledProgressKey([sourceProgressKey(cloudtrail), sourceProgressKey(base)]),
  );
});

test('runScheduledAudit keeps one window per progress key', async (t) => {
  const folder = tempFolder(t, 'state');
  const logs = await trailFolder(folder, new Date('2025-10-19T00:30:00Z'), 40);
  const stateFile = path.join(folder, 'state.json');
  const run = async (progressKey: string, now: string): Promise<string | undefined> => {
    const outcome = await runScheduledAudit(
      scheduledOptions({ sources: [new FileSource(logs)], stateFile, now: new Date(now), sink: new KeepingSink(), progressKey }),
    );
    return outcome.outcome === 'audited' ? outcome.result.summary.window?.start : undefined;
  };
  t.is(await run('narrow', '2025-10-20T00:40:00Z'), '2025-10-19T00:00:00.000Z');
  t.is(await run('narrow', '2025-10-20T03:40:00Z'), '2025-10-19T23:00:00.000Z');
  t.is(await run('wide', '2025-10-20T03:40:00Z'), '2025-10-19T03:00:00.000Z');
});
