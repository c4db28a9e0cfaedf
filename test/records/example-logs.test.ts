import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import test from 'ava';

import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { eventTimeOf } from '../../src/records/event-time.js';
import { recordIdentity } from '../../src/records/record-identity.js';
import type { SourceItem } from '../../src/sources/event-source.js';
import { FileSource } from '../../src/sources/file/file-source.js';
import { repoRoot } from '../support/repo-root.js';

/** examples/logs is what `npx lfvaudit run` audits; its README describes each event. These tests keep the two honest. */
const LOGS = join(repoRoot(), 'examples', 'logs');
const US_EAST_1_LOG = 'AWSLogs/123456789012/CloudTrail/us-east-1/2025/10/20/123456789012_CloudTrail_us-east-1_20251020T1200Z_Xk3p9Q.json.gz';
const EU_WEST_1_LOG = 'AWSLogs/123456789012/CloudTrail/eu-west-1/2025/10/21/123456789012_CloudTrail_eu-west-1_20251021T0915Z_q7Lm2W.json.gz';
const DIGEST =
  'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2025/10/20/123456789012_CloudTrail-Digest_us-east-1_lfv-audit-trail_us-east-1_20251020T130512Z.json.gz';
const SEED = join(repoRoot(), '..', 'shared', 'seed', 'lookout-for-vision-cloudtrail-logging.md');

let cachedItems: Promise<SourceItem[]> | undefined;

function exampleItems(): Promise<SourceItem[]> {
  cachedItems ??= (async () => {
    const items: SourceItem[] = [];
    for await (const item of new FileSource(LOGS).read(undefined)) items.push(item);
    return items;
  })();
  return cachedItems;
}

async function recordsByFile(): Promise<Map<string, readonly CloudTrailRecord[]>> {
  const byFile = new Map<string, readonly CloudTrailRecord[]>();
  for (const item of await exampleItems()) if (item.kind === 'records') byFile.set(item.origin.slice(LOGS.length + 1), item.records);
  return byFile;
}

async function allRecords(): Promise<CloudTrailRecord[]> {
  return [...(await recordsByFile()).values()].flat();
}

/** A dotted path into a record, own properties only. */
function field(record: CloudTrailRecord, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const LFV = 'lookoutvision.amazonaws.com';
const isLfv = (record: CloudTrailRecord): boolean => record['eventSource'] === LFV;

test('the example logs read without problems: every file yields records except the README and the digest', async (t) => {
  const items = await exampleItems();
  t.deepEqual(
    items.filter((item) => item.kind !== 'records').map((item) => `${item.kind} ${item.origin.slice(LOGS.length + 1)}`),
    [`skipped ${DIGEST}`, 'skipped README.md'],
  );
  t.deepEqual(
    [...(await recordsByFile()).keys()],
    [EU_WEST_1_LOG, US_EAST_1_LOG, 'eventbridge.json', 'events.jsonl', 'lookup-events.json', 'single-record.json'],
  );
});

test('the example logs hold 27 records of 26 events: one event is delivered twice, in two files', async (t) => {
  const byFile = await recordsByFile();
  const records = await allRecords();
  t.is(records.length, 27);
  t.is(new Set(records.map(recordIdentity)).size, 26);
  const inTrail = new Set(byFile.get(US_EAST_1_LOG)?.map(recordIdentity));
  const repeated = byFile.get('events.jsonl')?.filter((record) => inTrail.has(recordIdentity(record)));
  t.deepEqual(
    repeated?.map((record) => record['eventName']),
    ['DetectAnomalies'],
  );
});

(existsSync(SEED) ? test : test.skip)("the us-east-1 trail file holds the developer guide's CreateDataset record verbatim", async (t) => {
  const seedJson = /```\n(\{[\s\S]*?\n\})\n```/.exec(readFileSync(SEED, 'utf8'))?.[1];
  t.not(seedJson, undefined);
  t.deepEqual((await recordsByFile()).get(US_EAST_1_LOG)?.[0], JSON.parse(seedJson ?? 'null'));
});

test('every invented event is from October 2025, before end of support, for account 123456789012', async (t) => {
  const invented = (await allRecords()).filter((record) => !String(record['eventID']).startsWith('EXAMPLE-'));
  for (const record of invented) {
    const time = eventTimeOf(record) ?? Number.NaN;
    t.true(time >= Date.UTC(2025, 9, 1) && time < Date.UTC(2025, 9, 31), String(record['eventTime']));
    t.is(record['recipientAccountId'], '123456789012');
  }
});

test('a trail file holds only its own region, and lookup-events only the region it was run in', async (t) => {
  const byFile = await recordsByFile();
  t.deepEqual(new Set(byFile.get(US_EAST_1_LOG)?.map((record) => record['awsRegion'])), new Set(['us-east-1']));
  t.deepEqual(new Set(byFile.get(EU_WEST_1_LOG)?.map((record) => record['awsRegion'])), new Set(['eu-west-1']));
  t.deepEqual(new Set(byFile.get('lookup-events.json')?.map((record) => record['awsRegion'])), new Set(['eu-west-1']));
});

/** The situations the README promises, each as a predicate that some record must satisfy. */
const SCENARIOS: readonly (readonly [string, (record: CloudTrailRecord) => boolean])[] = [
  ['a Root call to Lookout for Vision', (r) => isLfv(r) && r['eventName'] === 'CreateProject' && field(r, 'userIdentity.type') === 'Root'],
  [
    'CreateDataset by an AssumedRole without MFA',
    (r) =>
      r['eventName'] === 'CreateDataset' &&
      field(r, 'userIdentity.type') === 'AssumedRole' &&
      field(r, 'userIdentity.sessionContext.attributes.mfaAuthenticated') === 'false',
  ],
  ['CreateDataset with MFA', (r) => r['eventName'] === 'CreateDataset' && field(r, 'userIdentity.sessionContext.attributes.mfaAuthenticated') === 'true'],
  ['a call from 198.51.100.7', (r) => isLfv(r) && r['sourceIPAddress'] === '198.51.100.7'],
  ['a call from an IPv6 address outside 2001:db8:1::/48', (r) => isLfv(r) && r['sourceIPAddress'] === '2001:db8::1234'],
  ['a call from an IPv6 address inside 2001:db8:1::/48', (r) => isLfv(r) && r['sourceIPAddress'] === '2001:db8:1::25'],
  ['a call from inside 10.0.0.0/8', (r) => isLfv(r) && String(r['sourceIPAddress']).startsWith('10.')],
  ['a call from inside 203.0.113.0/24', (r) => isLfv(r) && String(r['sourceIPAddress']).startsWith('203.0.113.')],
  ['a call from AWS Internal', (r) => isLfv(r) && r['sourceIPAddress'] === 'AWS Internal'],
  ['a call from the service itself', (r) => isLfv(r) && r['sourceIPAddress'] === LFV],
  [
    'DescribeProject by an IAM user with a long-term access key',
    (r) =>
      r['eventName'] === 'DescribeProject' && field(r, 'userIdentity.type') === 'IAMUser' && String(field(r, 'userIdentity.accessKeyId')).startsWith('AKIA'),
  ],
  ['DeleteProject', (r) => isLfv(r) && r['eventName'] === 'DeleteProject'],
  [
    'a DeleteModel denied with an error message',
    (r) => r['eventName'] === 'DeleteModel' && r['errorCode'] === 'AccessDeniedException' && typeof r['errorMessage'] === 'string',
  ],
  ['a DeleteModel that succeeded', (r) => r['eventName'] === 'DeleteModel' && r['errorCode'] === undefined],
  ['packaging to exfil-bucket-999', (r) => field(r, 'requestParameters.configuration.greengrass.s3OutputLocation.bucket') === 'exfil-bucket-999'],
  [
    'packaging to approved-packaging-bucket',
    (r) => field(r, 'requestParameters.configuration.greengrass.s3OutputLocation.bucket') === 'approved-packaging-bucket',
  ],
  [
    'a caller from account 999988887777',
    (r) => isLfv(r) && field(r, 'userIdentity.accountId') === '999988887777' && r['recipientAccountId'] === '123456789012',
  ],
  ['a TLSv1 call', (r) => isLfv(r) && field(r, 'tlsDetails.tlsVersion') === 'TLSv1'],
  ['a TLSv1.3 call', (r) => isLfv(r) && field(r, 'tlsDetails.tlsVersion') === 'TLSv1.3'],
  ['a call in ap-southeast-2', (r) => isLfv(r) && r['awsRegion'] === 'ap-southeast-2'],
  ['DetectAnomalies', (r) => isLfv(r) && r['eventName'] === 'DetectAnomalies'],
  ['a read-only ListProjects', (r) => isLfv(r) && r['eventName'] === 'ListProjects' && r['readOnly'] === true],
  ['CreateModel without a KMS key', (r) => r['eventName'] === 'CreateModel' && field(r, 'requestParameters.kmsKeyId') === undefined],
  ['CreateModel with a KMS key', (r) => r['eventName'] === 'CreateModel' && typeof field(r, 'requestParameters.kmsKeyId') === 'string'],
  ['an S3 GetObject by Root', (r) => r['eventSource'] === 's3.amazonaws.com' && r['eventName'] === 'GetObject' && field(r, 'userIdentity.type') === 'Root'],
  ['an IAM CreateUser by Root', (r) => r['eventSource'] === 'iam.amazonaws.com' && r['eventName'] === 'CreateUser' && field(r, 'userIdentity.type') === 'Root'],
];

for (const [scenario, matches] of SCENARIOS) {
  test(`the example logs include ${scenario}`, async (t) => {
    t.true((await allRecords()).some(matches));
  });
}
