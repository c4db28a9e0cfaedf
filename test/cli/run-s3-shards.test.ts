import test from 'ava';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { main } from '../../src/cli/main.js';
import { isInShard } from '../../src/sources/s3/shard.js';
import { capturedIo } from '../support/captured-io.js';
import { BUCKET, PREFIX, trailBucket } from '../sources/s3/fixtures.js';
import {
  auditedDay,
  CALLER_ACCOUNT,
  completedWindows,
  DAY,
  eventCountOf,
  findingsWithoutImportTimes,
  putObjects,
  REGION,
  S3RVER_CALLER,
  s3Project,
  withEmulator,
} from './s3-run-fixtures.js';

// lfvaudit run against trail logs in S3 end to end, through main(): s3rver holds the logs (reached
// through the config's endpoint, path-style), the loopback emulator's Security Hub receives the findings.
const scope = { accountId: CALLER_ACCOUNT, region: REGION };
const window = ['--since', DAY.since, '--until', DAY.until];
const SHARDS = 3;

function jsonSummary(stdout: string): AuditSummary {
  return (JSON.parse(stdout) as { Summary: AuditSummary }).Summary;
}

test.serial('three shards imported into Security Hub leave exactly the findings of one unsharded run; the corrupt object fails only its shard', async (t) => {
  const day = auditedDay(CALLER_ACCOUNT);
  const bucket = await trailBucket(t, []);
  await putObjects(bucket, day.objects);
  const dir = await s3Project(t, bucket.server.endpoint);

  const whole = await withEmulator([S3RVER_CALLER], async (emulator) => {
    const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
    t.is(await main(['run', ...window, '--format', 'json'], io), 2, io.err());
    t.regex(io.err(), /corruptcorruptco\.json\.gz: error unreadable-input: .*gzip/);
    const summary = jsonSummary(io.out());
    t.is(summary.coverage?.length, 1);
    t.is(
      summary.coverage?.[0]?.days.reduce((sum, entry) => sum + entry.objectsUnreadable, 0),
      1,
    );
    return emulator.state.securityHub.findings(scope);
  });
  t.is(eventCountOf(whole, 'lfv-mfa-required'), day.eventIdsInDay.length);
  t.true(whole.length >= 4, `${whole.length} findings`);
  // Incomplete: the unsharded run does not mark its window done.
  t.deepEqual(await completedWindows(dir), {});

  const sharded = await withEmulator([S3RVER_CALLER], async (emulator) => {
    let objectsRead = 0;
    for (let index = 0; index < SHARDS; index += 1) {
      const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
      const holdsCorrupt = isInShard({ key: day.corruptKey, account: CALLER_ACCOUNT, region: 'us-west-2' }, { index, count: SHARDS, by: 'object' });
      t.is(await main(['run', ...window, '--shard', `${index}/${SHARDS}`, '--format', 'json'], io), holdsCorrupt ? 2 : 0, io.err());
      const [coverage] = jsonSummary(io.out()).coverage ?? [];
      t.deepEqual(coverage?.shard, { index, count: SHARDS, by: 'object' });
      t.is(coverage?.gaps.length, holdsCorrupt ? 1 : 0);
      objectsRead += coverage?.days.reduce((sum, entry) => sum + entry.objectsRead + entry.objectsUnreadable, 0) ?? 0;
    }
    // Every log object that can hold the day's events was read by exactly one shard (digests and the evening before's excluded).
    t.is(objectsRead, day.objects.length - 3);
    return emulator.state.securityHub.findings(scope);
  });
  t.deepEqual(findingsWithoutImportTimes(sharded), findingsWithoutImportTimes(whole));

  // Each shard has its own scope in the state file: the one that met the corrupt object left its window open.
  const done = await completedWindows(dir);
  for (let index = 0; index < SHARDS; index += 1) {
    const key = Object.keys(done).find((scopeKey) => scopeKey.includes(` shard=${index}/${SHARDS} `));
    if (isInShard({ key: day.corruptKey, account: CALLER_ACCOUNT, region: 'us-west-2' }, { index, count: SHARDS, by: 'object' })) t.is(key, undefined);
    else t.is(key === undefined ? undefined : done[key], '2025-10-02T00:00:00.000Z');
  }
  t.is(Object.keys(done).length, SHARDS - 1);
});

test.serial('a scheduled re-run after a corrupt object neither skips nor re-counts: the repaired object is read, the rest is counted once', async (t) => {
  const day = auditedDay(CALLER_ACCOUNT);
  const bucket = await trailBucket(t, []);
  await putObjects(bucket, day.objects);
  const dir = await s3Project(t, bucket.server.endpoint);
  // 40 minutes past midnight: with the 15-minute delivery lag and a 24-hour look-back, the first window is 1 October.
  const firstNow = new Date('2025-10-02T00:40:00Z');
  await withEmulator([S3RVER_CALLER], async (emulator) => {
    const first = capturedIo(dir, { now: firstNow });
    t.is(await main(['run'], first), 2, first.err());
    t.regex(first.err(), new RegExp(`s3://${BUCKET}/${PREFIX}/AWSLogs/: coverage: 1 account \\(${CALLER_ACCOUNT}\\), 3 regions .* 1 unreadable`));
    t.deepEqual(await completedWindows(dir), {});
    const firstLog = JSON.parse(
      first
        .err()
        .split('\n')
        .find((line) => line.startsWith('{"lfvaudit":"run"')) ?? '{}',
    ) as Record<string, unknown>;
    t.like(firstLog, { complete: false, unreadable: 1, coverageGaps: 1 });
    t.is(eventCountOf(emulator.state.securityHub.findings(scope), 'lfv-mfa-required'), day.eventIdsInDay.length);

    // The object is delivered again, readable: the same window is audited again, whole.
    await putObjects(bucket, [day.repaired]);
    const second = capturedIo(dir, { now: firstNow });
    t.is(await main(['run'], second), 0, second.err());
    const afterRepair = emulator.state.securityHub.findings(scope);
    t.is(eventCountOf(afterRepair, 'lfv-mfa-required'), day.eventIdsInDay.length + day.repairedEventIds.length);
    t.deepEqual(Object.values(await completedWindows(dir)), ['2025-10-02T00:00:00.000Z']);

    // Three hours later the window resumes an hour before midnight: the late delivery is read again, not counted again.
    const third = capturedIo(dir, { now: new Date(firstNow.getTime() + 3 * 3_600_000) });
    t.is(await main(['run'], third), 0, third.err());
    const log = JSON.parse(third.err().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    t.deepEqual(log['window'], { start: '2025-10-01T23:00:00.000Z', end: '2025-10-02T03:00:00.000Z' });
    // It evaluates the day's last hour again and the next day's event of the late delivery, which is new.
    t.true(Number(log['recordsEvaluated']) > day.nextDayEventIds.length);
    t.is(
      eventCountOf(emulator.state.securityHub.findings(scope), 'lfv-mfa-required'),
      day.eventIdsInDay.length + day.repairedEventIds.length + day.nextDayEventIds.length,
    );
    t.deepEqual(Object.values(await completedWindows(dir)), ['2025-10-02T03:00:00.000Z']);
  });
});
