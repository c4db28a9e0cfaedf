import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import { isInShard } from '../../src/sources/s3/shard.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvRecord } from '../support/lfv-record.js';
import { BURST_DETECT_ANOMALIES_RULE } from '../support/rule-fixtures.js';
import { logKey, trailBucket, trailLogBody, type TrailObject } from '../sources/s3/fixtures.js';
import { CALLER_ACCOUNT, completedWindows, DAY, REGION, S3RVER_CALLER, s3Project, withEmulator } from './s3-run-fixtures.js';

// A threshold rule over trail logs in S3, through main(): s3rver holds the logs, the emulator's Security
// Hub receives the findings. One principal's burst is split over two log objects that two shards read.
test.serial.before(() => {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
});

const SHARDS = 2;

/** Two log objects of one account and region, each with three of the principal's six calls within ten minutes, in different shards. */
function splitBurst(): TrailObject[] {
  const calls = (from: number) =>
    [0, 1, 2].map((offset) =>
      lfvRecord({ eventID: `burst-${from + offset}`, eventName: 'DetectAnomalies', eventTime: `2025-10-01T09:0${from + offset}:00Z`, awsRegion: REGION }),
    );
  const keyIn = (shard: number, delivered: string): string => {
    for (let unique = 0; ; unique += 1) {
      const key = logKey({ account: CALLER_ACCOUNT, region: REGION, delivered, unique: `burst${String(unique).padStart(11, '0')}` });
      if (isInShard(key, { index: shard, count: SHARDS })) return key;
    }
  };
  return [
    { key: keyIn(0, '20251001T0905Z'), body: trailLogBody(calls(0)) },
    { key: keyIn(1, '20251001T0910Z'), body: trailLogBody(calls(3)) },
  ];
}

async function project(t: ExecutionContext, endpoint: string): Promise<string> {
  const dir = await s3Project(t, endpoint, 'rules:\n  paths: [rules]');
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'burst-detect-anomalies.yaml'), BURST_DETECT_ANOMALIES_RULE);
  return dir;
}

const window = ['--since', DAY.since, '--until', DAY.until];

test.serial('one run over both objects finds the burst; shards, which would each see half of it, refuse the threshold rule before reading', async (t) => {
  const bucket = await trailBucket(t, splitBurst());
  const dir = await project(t, bucket.server.endpoint);

  const whole = await withEmulator([S3RVER_CALLER], async (emulator) => {
    const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
    t.is(await main(['run', ...window], io), 0, io.err());
    return emulator.state.securityHub.findings({ accountId: CALLER_ACCOUNT, region: REGION });
  });
  const burst = whole.filter((finding) => String(finding['Id']).startsWith('lfvaudit/burst-detect-anomalies/'));
  t.is(burst.length, 1);
  t.like(burst[0]?.['ProductFields'], { 'lfvaudit/ThresholdCount': '6', 'lfvaudit/EventCount': '6' });
  t.regex(String(burst[0]?.['Title']), /: 6 DetectAnomalies calls within 10 minutes \(threshold 5\)$/);

  await withEmulator([S3RVER_CALLER], async (emulator) => {
    const before = await completedWindows(dir);
    for (let index = 0; index < SHARDS; index += 1) {
      const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
      t.is(await main(['run', ...window, '--shard', `${index}/${SHARDS}`], io), 2, io.err());
      t.regex(io.err(), /--shard: rule burst-detect-anomalies has a threshold, which needs every event of a group in one run/);
    }
    // Refused before reading: nothing imported, no shard's window recorded.
    t.deepEqual(emulator.state.securityHub.findings({ accountId: CALLER_ACCOUNT, region: REGION }), []);
    t.deepEqual(await completedWindows(dir), before);
  });
});
