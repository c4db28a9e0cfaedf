import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { BatchUpdateFindingsCommand } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { diffFindings } from '../../src/merge/diff.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { SecurityHubImportError } from '../../src/sinks/securityhub-sink.js';
import { defaultProductArn, type AsffFinding } from '../support/aws-emulator/index.js';
import { lfvEvents, simulateRun, type SimulatedRun } from '../support/finding-runs.js';
import { testRule } from '../support/lfv-record.js';
import { securityHubFixture, textBuffer, writeRun } from './securityhub-fixtures.js';

const HOUR = 60 * 60 * 1000;
const T0 = new Date('2025-10-01T00:00:00Z');
const rule = testRule({ groupBy: ['principal'] });
/** 60 events over 10 hours by three principals: three findings. */
const events = lfvEvents(60, T0, 10 * 60 * 1000, { principals: 3 });

function at(hours: number): Date {
  return new Date(T0.getTime() + hours * HOUR);
}

function run(records: readonly CloudTrailRecord[], options: Partial<SimulatedRun> = {}): AwsSecurityFinding[] {
  return simulateRun(records, { rules: [rule], now: new Date(), ...options });
}

/** The provider fields that differ between what two regions hold, other than how coverage is written down. */
function differences(expected: readonly AsffFinding[], actual: readonly AsffFinding[]): string[] {
  const diff = diffFindings(expected as unknown as AwsSecurityFinding[], actual as unknown as AwsSecurityFinding[]);
  return [
    ...diff.create.map((change) => `only in the second: ${change.id}`),
    ...diff.update.flatMap((change) => change.changedFields.filter((field) => field !== 'lfvaudit/Coverage').map((field) => `${change.id} ${field}`)),
    ...expected.filter((finding) => !actual.some((other) => other.Id === finding.Id)).map((finding) => `only in the first: ${String(finding.Id)}`),
  ];
}

function eventCounts(findings: readonly AsffFinding[]): string[] {
  return findings.map((finding) => (finding.ProductFields as Record<string, string>)['lfvaudit/EventCount'] ?? '');
}

test('250 findings are imported in three calls of at most 100', async (t) => {
  const aws = await securityHubFixture(t);
  const many = lfvEvents(250, T0, 60_000, { principals: 250 });

  await writeRun(aws.sink([rule]), run(many));

  t.is(aws.calls('BatchImportFindings'), 3);
  t.is(aws.stored().length, 250);
});

test('ProductArn names the account STS GetCallerIdentity reports', async (t) => {
  const aws = await securityHubFixture(t);

  await writeRun(aws.sink([rule]), run(events));

  t.is(aws.calls('GetCallerIdentity'), 1);
  t.true(aws.stored().every((finding) => finding.ProductArn === defaultProductArn(aws.scope)));
});

test('an account id in the config is used without asking STS', async (t) => {
  const aws = await securityHubFixture(t);

  await writeRun(aws.sink([rule], { accountId: aws.scope.accountId }), run(events));

  t.is(aws.calls('GetCallerIdentity'), 0);
  t.is(aws.stored().length, 3);
});

test('the region of the sink is the region findings are imported into, whatever region the events came from', async (t) => {
  const aws = await securityHubFixture(t);

  await writeRun(aws.sink([rule], { region: 'eu-west-1' }), run(events));

  t.is(aws.stored('eu-west-1').length, 3);
  t.deepEqual(aws.stored(), []);
  t.true(aws.stored('eu-west-1').every((finding) => finding.ProductArn === defaultProductArn({ accountId: aws.scope.accountId, region: 'eu-west-1' })));
});

test('re-running the same window leaves Security Hub as it was: same Ids, same counts, nothing imported', async (t) => {
  const aws = await securityHubFixture(t);
  const window = { start: at(1.5), end: at(8.25) };
  await writeRun(aws.sink([rule]), run(events, { window }));
  const before = aws.stored();
  const imports = aws.calls('BatchImportFindings');

  await writeRun(aws.sink([rule]), run(events, { window }));

  t.deepEqual(aws.stored(), before);
  t.is(aws.calls('BatchImportFindings'), imports);
});

test('two overlapping windows leave the findings and counts of one run over their union', async (t) => {
  const aws = await securityHubFixture(t);
  await writeRun(aws.sink([rule]), run(events, { window: { start: at(0.5), end: at(6.75) } }));
  await writeRun(aws.sink([rule]), run(events, { window: { start: at(4.25), end: at(9.5) } }));

  await writeRun(aws.sink([rule], { region: 'eu-west-1' }), run(events, { window: { start: at(0.5), end: at(9.5) } }));

  t.deepEqual(differences(aws.stored('eu-west-1'), aws.stored()), []);
  t.deepEqual(eventCounts(aws.stored()), eventCounts(aws.stored('eu-west-1')));
  const inUnion = events.filter(
    (record) => Date.parse(String(record['eventTime'])) >= at(0.5).getTime() && Date.parse(String(record['eventTime'])) < at(9.5).getTime(),
  );
  t.is(
    eventCounts(aws.stored()).reduce((sum, count) => sum + Number(count), 0),
    inUnion.length,
  );
});

test('three shards imported in any order leave the findings of one run', async (t) => {
  const aws = await securityHubFixture(t);
  const window = { start: at(0), end: at(10) };
  const shard = (index: number) => (record: CloudTrailRecord) => Number(String(record['eventID']).slice(-6)) % 3 === index;
  for (const index of [2, 0, 1]) await writeRun(aws.sink([rule]), run(events, { window, shard: shard(index) }));

  await writeRun(aws.sink([rule], { region: 'eu-west-1' }), run(events, { window }));

  t.deepEqual(differences(aws.stored('eu-west-1'), aws.stored()), []);
  t.deepEqual(eventCounts(aws.stored()), ['20', '20', '20']);
});

test('a run that crashed after importing, run again, leaves the counts unchanged', async (t) => {
  const aws = await securityHubFixture(t);
  const window = { start: at(0), end: at(5) };
  // The run imported, then died before writing its state: the next run reads the same window again.
  await writeRun(aws.sink([rule]), run(events, { window }));
  const counts = eventCounts(aws.stored());

  await writeRun(aws.sink([rule]), run(events, { window }));

  t.deepEqual(eventCounts(aws.stored()), counts);
  t.deepEqual(counts, ['10', '10', '10']);
});

test('findings of groups the run did not see are left untouched', async (t) => {
  const aws = await securityHubFixture(t);
  await writeRun(aws.sink([rule]), run(events, { window: { start: at(0), end: at(5) } }));
  const before = aws.stored();
  const onlyRole0 = events.filter((record) => JSON.stringify(record['userIdentity']).includes('Role0'));

  await writeRun(aws.sink([rule]), run(onlyRole0, { window: { start: at(0), end: at(10) } }));

  const after = aws.stored();
  const changed = after.filter((finding) => !before.some((earlier) => JSON.stringify(earlier) === JSON.stringify(finding)));
  t.is(after.length, 3);
  t.deepEqual(
    changed.map((finding) => (finding.ProductFields as Record<string, string>)['lfvaudit/Principals']),
    ['["arn:aws:sts::123456789012:assumed-role/Role0/session"]'],
  );
});

test('an update keeps what the reviewer set: workflow status and note', async (t) => {
  const aws = await securityHubFixture(t);
  await writeRun(aws.sink([rule]), run(events, { window: { start: at(0), end: at(5) } }));
  const [first] = aws.stored();
  const identifier = { Id: String(first?.Id), ProductArn: String(first?.ProductArn) };
  await aws.securityHub.send(
    new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier], Workflow: { Status: 'RESOLVED' }, Note: { Text: 'expected', UpdatedBy: 'reviewer' } }),
  );

  await writeRun(aws.sink([rule]), run(events, { window: { start: at(0), end: at(10) } }));

  const updated = aws.emulator.state.securityHub.finding(aws.scope, identifier);
  t.like(updated, { Workflow: { Status: 'RESOLVED' }, Note: { Text: 'expected' }, ProductFields: { 'lfvaudit/EventCount': '20' } });
});

test('a dry run prints what it would create and imports nothing', async (t) => {
  const aws = await securityHubFixture(t);
  const out = textBuffer();

  await writeRun(aws.sink([rule], { dryRun: { out, format: 'table', columns: 160 } }), run(events));

  t.deepEqual(aws.stored(), []);
  t.is(aws.calls('BatchImportFindings'), 0);
  t.true(out.text.startsWith('Security Hub us-east-1 (account 123456789012), dry run: would create 3, update 0, archive 0; 0 unchanged.\n'));
  t.is(out.text.split('\n').filter((line) => line.startsWith('create ')).length, 3);
});

test('a dry run shows how each update would change event count and last seen', async (t) => {
  const aws = await securityHubFixture(t);
  await writeRun(aws.sink([rule]), run(events, { window: { start: at(0), end: at(5) } }));
  const out = textBuffer();

  await writeRun(aws.sink([rule], { dryRun: { out, format: 'table', columns: 200 } }), run(events.slice(0, 33), { window: { start: at(4), end: at(6) } }));

  t.true(out.text.includes('would create 0, update 3, archive 0; 0 unchanged.'));
  const rows = out.text.split('\n').filter((line) => line.startsWith('update '));
  t.is(rows.length, 3);
  t.regex(rows[0] ?? '', /10 → 11 +2025-10-01 04:\d0 → 2025-10-01 05:\d0/);
});

test('a dry run in JSON lists the changes for scripts', async (t) => {
  const aws = await securityHubFixture(t);
  await writeRun(aws.sink([rule]), run(events, { window: { start: at(0), end: at(5) } }));
  const out = textBuffer();

  await writeRun(aws.sink([rule], { dryRun: { out, format: 'json', columns: 80 } }), run(events, { window: { start: at(0), end: at(5) } }));

  const report = JSON.parse(out.text) as { SecurityHub: { create: number; update: number; unchanged: number; archive: number; changes: unknown[] } };
  t.like(report.SecurityHub, { create: 0, update: 0, unchanged: 3, archive: 0, changes: [] });
});

test('a finding that breaks the format is reported with its rule, not sent, and the others are imported', async (t) => {
  const aws = await securityHubFixture(t);
  // Event data can no longer break a finding (an unusable account or region is unknown, and the receiving
  // account stands in): a rule whose type is outside the ASFF namespaces does, for one finding.
  const broken = testRule({ id: 'lfv-broken-type', groupBy: [], types: ['Bogus Namespace/Category/Classifier'] });
  const findings = [...run(events), ...simulateRun(events.slice(0, 1), { rules: [broken], now: new Date() })];

  const error = await t.throwsAsync(writeRun(aws.sink([rule, broken]), findings), { instanceOf: SecurityHubImportError });

  t.regex(
    error?.message ?? '',
    /^1 of 4 findings were not imported into Security Hub us-east-1 \(account 123456789012\):\n {2}lfv-broken-type lfvaudit\/lfv-broken-type\/123456789012\/us-east-1\/[0-9a-f]{32}: InvalidAsff: Types\[0\] namespace must be one of /,
  );
  t.is(aws.stored().length, 3);
});

test('a run without findings makes no call at all', async (t) => {
  const aws = await securityHubFixture(t);

  await writeRun(aws.sink([rule]), []);

  t.deepEqual(aws.emulator.state.requestLog, []);
});
