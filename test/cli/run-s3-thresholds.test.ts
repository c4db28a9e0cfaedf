import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { isInShard, ownsAccountRegion, type Shard } from '../../src/sources/s3/shard.js';
import type { AsffFinding, AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvRecord } from '../support/lfv-record.js';
import { BURST_DETECT_ANOMALIES_RULE } from '../support/rule-fixtures.js';
import { logKey, ORG, trailBucket, trailLogBody, type TrailObject } from '../sources/s3/fixtures.js';
import {
  CALLER_ACCOUNT,
  completedWindows,
  DAY,
  findingsWithoutImportTimes,
  putObjects,
  REGION,
  S3RVER_CALLER,
  s3Project,
  withEmulator,
} from './s3-run-fixtures.js';

// Threshold rules over trail logs in S3, through main(): s3rver holds the logs, the emulator's Security
// Hub receives the findings. Shards split by object would each see part of a group's events and are
// refused; shards split by account and region each read whole the account-regions they own, so
// together they decide exactly what one unsharded run decides, and a record that sits where its group
// is not read whole makes its shard's run say it could not decide the rule.
const NOW = new Date('2025-10-02T03:00:00Z');
const window = ['--since', DAY.since, '--until', DAY.until];
const BURST_ID_PREFIX = 'lfvaudit/burst-detect-anomalies/';

/** A second threshold rule, counting distinct values: DetectAnomalies from 3 source addresses within an hour. */
const SPREAD_SOURCES_RULE = `id: spread-detect-anomalies
title: DetectAnomalies from many addresses
description: One principal called DetectAnomalies from several source addresses in a short span.
severity: LOW
types: [Unusual Behaviors/Network Flow]
remediation: { text: Find out why. }
scope: { eventSource: [lookoutvision.amazonaws.com], eventName: [DetectAnomalies] }
groupBy: [principal]
threshold: { count: 3, within: 1h, distinct: sourceIPAddress }
conditions:
  all:
    - { fact: userIdentity.type, operator: equal, value: AssumedRole }
tests:
  - { name: a call counts, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DetectAnomalies, userIdentity: { type: AssumedRole } } }
  - { name: a root call does not, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DetectAnomalies, userIdentity: { type: Root } } }
`;

/** A project whose rules folder holds the threshold rules; `config`: more top-level lines (after the securityHub block's). */
async function project(t: ExecutionContext, endpoint: string, config: string): Promise<string> {
  const dir = await s3Project(t, endpoint, config);
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'burst-detect-anomalies.yaml'), BURST_DETECT_ANOMALIES_RULE);
  await writeFile(path.join(dir, 'rules', 'spread-detect-anomalies.yaml'), SPREAD_SOURCES_RULE);
  return dir;
}

function jsonSummary(stdout: string): AuditSummary {
  return (JSON.parse(stdout) as { Summary: AuditSummary }).Summary;
}

/** A DetectAnomalies call by `name`, an assumed role of `account`, in that account and region. */
function call(account: string, region: string, name: string, eventID: string, eventTime: string, sourceIPAddress = '198.51.100.7'): CloudTrailRecord {
  return lfvRecord({
    eventID,
    eventTime,
    eventName: 'DetectAnomalies',
    awsRegion: region,
    recipientAccountId: account,
    sourceIPAddress,
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/Operator/${name}`, accountId: account },
  });
}

let uniqueCounter = 0;
function objectOf(account: string, region: string, delivered: string, records: readonly CloudTrailRecord[], organizationId?: string): TrailObject {
  uniqueCounter += 1;
  return {
    key: logKey({
      account,
      region,
      delivered,
      unique: `u${String(uniqueCounter).padStart(15, '0')}`,
      ...(organizationId === undefined ? {} : { organizationId }),
    }),
    body: trailLogBody(records),
  };
}

/** `2025-10-01THH:MM:00Z` for minutes after `hour`:00. */
function at(hour: number, minutes: number): string {
  return new Date(Date.UTC(2025, 9, 1, hour, minutes)).toISOString().replace('.000Z', 'Z');
}

/** `20251001THHMMZ`, a delivery time a few minutes after `at(hour, minutes)`. */
function deliveredAfter(hour: number, minutes: number): string {
  return new Date(Date.UTC(2025, 9, 1, hour, minutes + 5)).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
}

const MEMBERS = ['210987654321', '333333333333'];
const ROLE_TEMPLATE = 'arn:aws:iam::{accountId}:role/lfvaudit-import';
const ACCOUNTS = [CALLER_ACCOUNT, ...MEMBERS];
const REGIONS = ['us-east-1', 'eu-west-1'];

/**
 * A day of three accounts in two regions, the last account in an organisation trail's folder: per
 * account and region, a burst (6 calls in 10 minutes, over three objects), a near miss (4 calls), calls
 * from 3 addresses within an hour (over two objects) and CreateDataset calls the built-in pack matches.
 */
function organisationDay(): TrailObject[] {
  const objects: TrailObject[] = [];
  ACCOUNTS.forEach((account, accountIndex) => {
    const organizationId = accountIndex === 2 ? ORG : undefined;
    REGIONS.forEach((region, regionIndex) => {
      const hour = 2 + accountIndex * 4 + regionIndex * 2;
      const id = (what: string, n: number): string => `${account}-${region}-${what}-${n}`;
      const burst = [0, 1, 2, 3, 4, 5].map((n) => call(account, region, 'burst', id('burst', n), at(hour, 1 + n)));
      const nearMiss = [0, 1, 2, 3].map((n) => call(account, region, 'near-miss', id('near', n), at(hour, 2 + n * 3)));
      const spread = [0, 1, 2].map((n) => call(account, region, 'spread', id('spread', n), at(hour, 10 + n * 15), `203.0.113.${n + 1}`));
      const datasets = [0, 1].map((n) => lfvRecord({ eventID: id('dataset', n), eventTime: at(hour, 20 + n), awsRegion: region, recipientAccountId: account }));
      objects.push(
        objectOf(account, region, deliveredAfter(hour, 10), [...burst.slice(0, 2), ...nearMiss.slice(0, 2), spread[0] as CloudTrailRecord], organizationId),
        objectOf(account, region, deliveredAfter(hour, 21), [...burst.slice(2, 4), ...datasets], organizationId),
        objectOf(account, region, deliveredAfter(hour, 22), [...burst.slice(4), ...nearMiss.slice(2)], organizationId),
        objectOf(account, region, deliveredAfter(hour, 45), spread.slice(1), organizationId),
      );
    });
  });
  return objects;
}

/** Every account's findings as their Security Hubs hold them, without import times. */
function allFindings(emulator: AwsEmulator): AsffFinding[] {
  return findingsWithoutImportTimes(ACCOUNTS.flatMap((accountId) => emulator.state.securityHub.findings({ accountId, region: REGION })));
}

function withMemberRoles(emulator: AwsEmulator): void {
  for (const member of MEMBERS) emulator.state.sts.createRole({ arn: `arn:aws:iam::${member}:role/lfvaudit-import`, trustedAccounts: [CALLER_ACCOUNT] });
}

test.serial('shards split by object refuse threshold rules before reading, naming --shard-by account-region', async (t) => {
  const bucket = await trailBucket(t, organisationDay());
  const dir = await project(t, bucket.server.endpoint, 'rules:\n  paths: [rules]');
  await withEmulator([S3RVER_CALLER], async (emulator) => {
    for (const args of [
      ['--shard', '1/2'],
      ['--shard', '1/2', '--shard-by', 'object'],
    ]) {
      const io = capturedIo(dir, { now: NOW });
      t.is(await main(['run', ...window, ...args], io), 2, io.err());
      t.regex(io.err(), /--shard: rule burst-detect-anomalies has a threshold, which needs every event of a group in one run/);
      t.regex(io.err(), /--shard-by account-region/);
    }
    // Refused before reading: nothing imported, no shard's window recorded.
    t.deepEqual(emulator.state.securityHub.findings({ accountId: CALLER_ACCOUNT, region: REGION }), []);
    t.deepEqual(await completedWindows(dir), {});
  });
});

test.serial('1 to 4 shards split by account and region import exactly the findings of one unsharded run, thresholds included', async (t) => {
  const bucket = await trailBucket(t, organisationDay());
  const dir = await project(t, bucket.server.endpoint, `  assumeRole: "${ROLE_TEMPLATE}"\nrules:\n  paths: [rules]`);

  const whole = await withEmulator([S3RVER_CALLER], async (emulator) => {
    withMemberRoles(emulator);
    const io = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window], io), 0, io.err());
    return allFindings(emulator);
  });
  // Per account and region one burst (6 calls) and one spread (3 addresses); the near misses reach nothing.
  const bursts = whole.filter((finding) => String(finding['Id']).startsWith(BURST_ID_PREFIX));
  t.is(bursts.length, ACCOUNTS.length * REGIONS.length);
  t.true(bursts.every((finding) => (finding['ProductFields'] as Record<string, string>)['lfvaudit/ThresholdCount'] === '6'));
  t.is(whole.filter((finding) => String(finding['Id']).startsWith('lfvaudit/spread-detect-anomalies/')).length, ACCOUNTS.length * REGIONS.length);
  t.true(whole.some((finding) => String(finding['Id']).startsWith('lfvaudit/lfv-mfa-required/')));

  for (const count of [1, 2, 3, 4]) {
    const sharded = await withEmulator([S3RVER_CALLER], async (emulator) => {
      withMemberRoles(emulator);
      for (let index = 0; index < count; index += 1) {
        const io = capturedIo(dir, { now: NOW });
        t.is(await main(['run', ...window, '--shard', `${index}/${count}`, '--shard-by', 'account-region', '--format', 'json'], io), 0, io.err());
        t.regex(io.err(), new RegExp(`: coverage: shard ${index}/${count} by account and region: 3 accounts`));
        t.deepEqual(jsonSummary(io.out()).coverage?.[0]?.shard, { index, count, by: 'account-region' });
      }
      return allFindings(emulator);
    });
    t.deepEqual(sharded, whole, `${count} shards`);
  }
  // Each shard keeps its own window, apart from shards split by object.
  const keys = Object.keys(await completedWindows(dir));
  t.is(keys.filter((key) => key.includes(' shardBy=account-region ')).length, 1 + 2 + 3 + 4);
});

/** The first of these accounts whose `region` another shard of `count` owns than `account`'s. */
function accountOwnedElsewhere(account: string, region: string, count: number): { other: string; reader: Shard; owner: Shard } {
  const ownerOf = (of: string): Shard => {
    for (let index = 0; index < count; index += 1)
      if (ownsAccountRegion({ index, count, by: 'account-region' }, of, region)) return { index, count, by: 'account-region' };
    throw new Error('no owner');
  };
  const reader = ownerOf(account);
  for (let n = 10; n < 99; n += 1) {
    const other = `4444444444${n}`;
    const owner = ownerOf(other);
    if (owner.index !== reader.index) return { other, reader, owner };
  }
  throw new Error('every account in one shard');
}

test.serial('a threshold match in another account’s folder makes the shard reading it undecided: exit 2, named, its window not recorded', async (t) => {
  const { other, reader, owner } = accountOwnedElsewhere(CALLER_ACCOUNT, REGION, 2);
  // Another account's call, written into this account's folder (a trail delivering another account's events there).
  const misplaced = objectOf(CALLER_ACCOUNT, REGION, deliveredAfter(9, 0), [call(other, REGION, 'visitor', 'misplaced-1', at(9, 0))]);
  const own = objectOf(
    CALLER_ACCOUNT,
    REGION,
    deliveredAfter(9, 5),
    [0, 1, 2, 3, 4].map((n) => call(CALLER_ACCOUNT, REGION, 'burst', `own-${n}`, at(9, n))),
  );
  // The other account's own folder, which the other shard reads.
  const theirs = objectOf(other, REGION, deliveredAfter(10, 0), [call(other, REGION, 'visitor', 'theirs-1', at(10, 0))]);
  const bucket = await trailBucket(t, [misplaced, own, theirs]);
  t.true(isInShard({ key: misplaced.key, account: CALLER_ACCOUNT, region: REGION }, reader));
  const dir = await project(t, bucket.server.endpoint, 'rules:\n  builtIn: false\n  paths: [rules]');

  await withEmulator([S3RVER_CALLER], async () => {
    const whole = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window], whole), 0, whole.err());

    const readerRun = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window, '--shard', `${reader.index}/2`, '--shard-by', 'account-region', '--format', 'json'], readerRun), 2, readerRun.err());
    const reason =
      `1 matching event belongs to groups whose account and region (e.g. ${other}/${REGION}) shard ${reader.index}/2 by account and region does not read whole, ` +
      'so other events of its group may be in other shards: the records lie in another account’s or region’s folder, or carry no account or region; audit the rule in an unsharded run';
    t.true(readerRun.err().includes(`lfvaudit: error threshold-incomplete: rule burst-detect-anomalies: ${reason}`), readerRun.err());
    t.deepEqual(jsonSummary(readerRun.out()).thresholdsIncomplete, [
      { rule: 'burst-detect-anomalies', reason },
      { rule: 'spread-detect-anomalies', reason },
    ]);
    t.regex(readerRun.err(), /the audit is incomplete \(.*threshold/);

    const ownerRun = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window, '--shard', `${owner.index}/2`, '--shard-by', 'account-region'], ownerRun), 0, ownerRun.err());
  });
  const done = Object.keys(await completedWindows(dir));
  t.false(
    done.some((key) => key.includes(` shard=${reader.index}/2 `)),
    done.join('\n'),
  );
  t.true(
    done.some((key) => key.includes(` shard=${owner.index}/2 `)),
    done.join('\n'),
  );
});

test.serial('records without an account or region are weighed by the shard that owns "-/-": decided there, undecided in any other shard', async (t) => {
  const count = 2;
  const ownerOfMissing = [0, 1].find((index) => ownsAccountRegion({ index, count, by: 'account-region' }, '-', '-')) ?? -1;
  const folderOf = (wanted: boolean): string => {
    const region = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-south-1', 'sa-east-1'].find(
      (candidate) => ownsAccountRegion({ index: ownerOfMissing, count, by: 'account-region' }, CALLER_ACCOUNT, candidate) === wanted,
    );
    if (region === undefined) throw new Error('no such region');
    return region;
  };
  const anonymous = (eventID: string, eventTime: string): CloudTrailRecord =>
    lfvRecord({
      eventID,
      eventTime,
      eventName: 'DetectAnomalies',
      awsRegion: undefined,
      recipientAccountId: undefined,
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::role/anonymous' },
    });
  const ownedFolder = folderOf(true);
  const burst = objectOf(
    CALLER_ACCOUNT,
    ownedFolder,
    deliveredAfter(9, 0),
    [0, 1, 2, 3, 4].map((n) => anonymous(`anonymous-${n}`, at(9, n))),
  );
  const bucket = await trailBucket(t, [burst]);
  // Findings without an account go to the receiving account.
  const dir = await project(t, bucket.server.endpoint, `  accountId: "${CALLER_ACCOUNT}"\n  region: ${REGION}\nrules:\n  builtIn: false\n  paths: [rules]`);

  await withEmulator([S3RVER_CALLER], async (emulator) => {
    const whole = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window], whole), 0, whole.err());
    const wholeFindings = allFindings(emulator);
    t.is(wholeFindings.filter((finding) => String(finding['Id']).startsWith(BURST_ID_PREFIX)).length, 1);
    for (let index = 0; index < count; index += 1) {
      const io = capturedIo(dir, { now: NOW });
      t.is(await main(['run', ...window, '--shard', `${index}/${count}`, '--shard-by', 'account-region'], io), 0, io.err());
      // The shard the split gives no object reads nothing, and says why: its share is empty, not its input.
      if (index !== ownerOfMissing)
        t.regex(io.err(), new RegExp(`: notice: shard ${index}/2 by account and region holds none of the window's 1 log object: the other shards read them`));
    }
    t.deepEqual(allFindings(emulator), wholeFindings);
  });

  // One more such record in a folder the other shard reads: that shard cannot decide the rule.
  await putObjects(bucket, [objectOf(CALLER_ACCOUNT, folderOf(false), deliveredAfter(9, 10), [anonymous('anonymous-elsewhere', at(9, 10))])]);
  await withEmulator([S3RVER_CALLER], async () => {
    const owner = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window, '--shard', `${ownerOfMissing}/${count}`, '--shard-by', 'account-region'], owner), 0, owner.err());
    const other = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window, '--shard', `${1 - ownerOfMissing}/${count}`, '--shard-by', 'account-region'], other), 2, other.err());
    t.regex(
      other.err(),
      /error threshold-incomplete: rule burst-detect-anomalies: 1 matching event belongs to groups whose account and region \(e\.g\. -\/-\)/,
    );
  });
});

test.serial('--shard-by needs --shard and one of its splits; a window with no log object in any shard is still an empty source', async (t) => {
  const bucket = await trailBucket(t, []);
  const dir = await project(t, bucket.server.endpoint, 'rules:\n  paths: [rules]');
  const alone = capturedIo(dir, { now: NOW });
  t.is(await main(['run', ...window, '--shard-by', 'account-region'], alone), 2);
  t.regex(alone.err(), /--shard-by says how --shard splits the objects: give --shard I\/N too/);
  const unknown = capturedIo(dir, { now: NOW });
  t.is(await main(['run', ...window, '--shard', '0/2', '--shard-by', 'region'], unknown), 2);
  t.regex(unknown.err(), /--shard-by "region": expected object or account-region/);
  await withEmulator([S3RVER_CALLER], async () => {
    const empty = capturedIo(dir, { now: NOW });
    t.is(await main(['run', ...window, '--shard', '0/2', '--shard-by', 'account-region'], empty), 2, empty.err());
    t.regex(empty.err(), /error empty-source: no CloudTrail records in s3:\/\/trail-bucket\/logs\/ shard 0\/2 by account and region/);
  });
});
