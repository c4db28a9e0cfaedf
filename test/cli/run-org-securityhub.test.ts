import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { main } from '../../src/cli/main.js';
import type { AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { trailBucket } from '../sources/s3/fixtures.js';
import { auditedDay, CALLER_ACCOUNT, DAY, eventCountOf, putObjects, REGION, S3RVER_CALLER, s3Project, withEmulator } from './s3-run-fixtures.js';

// An organisation trail holds several accounts' events; Security Hub takes each finding only from its
// own account. With securityHub.assumeRole the sink imports each account's findings through that
// account's role; without it the other account's findings are refused and the run says what to do.
const MEMBER = '210987654321';
const ROLE_TEMPLATE = 'arn:aws:iam::{accountId}:role/lfvaudit-import';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/lfvaudit-import`;
const window = ['--since', DAY.since, '--until', DAY.until];

/** Both accounts' day, without the corrupt objects: a run that reads everything. */
async function organisationBucket(
  t: Parameters<typeof trailBucket>[0],
): Promise<{ endpoint: string; caller: ReturnType<typeof auditedDay>; member: ReturnType<typeof auditedDay> }> {
  const caller = auditedDay(CALLER_ACCOUNT);
  const member = auditedDay(MEMBER);
  const bucket = await trailBucket(t, []);
  await putObjects(
    bucket,
    [...caller.objects, ...member.objects].filter((object) => object.key !== caller.corruptKey && object.key !== member.corruptKey),
  );
  return { endpoint: bucket.server.endpoint, caller, member };
}

function accountsOf(emulator: AwsEmulator, accountId: string): string[] {
  return [...new Set(emulator.state.securityHub.findings({ accountId, region: REGION }).map((finding) => String(finding['AwsAccountId'])))];
}

test.serial('with securityHub.assumeRole each account’s findings are imported into its own Security Hub through its role', async (t) => {
  const { endpoint, caller, member } = await organisationBucket(t);
  const dir = await s3Project(t, endpoint, `  assumeRole: "${ROLE_TEMPLATE}"\n`);
  await withEmulator([S3RVER_CALLER], async (emulator) => {
    emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: [CALLER_ACCOUNT] });
    const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
    t.is(await main(['run', ...window], io), 0, io.err());

    const callerFindings = emulator.state.securityHub.findings({ accountId: CALLER_ACCOUNT, region: REGION });
    const memberFindings = emulator.state.securityHub.findings({ accountId: MEMBER, region: REGION });
    t.deepEqual(accountsOf(emulator, CALLER_ACCOUNT), [CALLER_ACCOUNT]);
    t.deepEqual(accountsOf(emulator, MEMBER), [MEMBER]);
    t.is(eventCountOf(callerFindings, 'lfv-mfa-required'), caller.eventIdsInDay.length);
    t.is(eventCountOf(memberFindings, 'lfv-mfa-required'), member.eventIdsInDay.length);
    t.true(memberFindings.every((finding) => finding['ProductArn'] === `arn:aws:securityhub:${REGION}:${MEMBER}:product/${MEMBER}/default`));
    t.deepEqual(emulator.state.sts.assumedRoles, [{ roleArn: MEMBER_ROLE, sessionName: 'lfvaudit-import', callerAccountId: CALLER_ACCOUNT }]);
    const log = JSON.parse(io.err().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    t.is(log['findingsCreated'], callerFindings.length + memberFindings.length);

    // The example policies grant what each side calls: the job's own calls, and the member role's.
    const granted = async (file: string): Promise<Set<string>> => {
      const policy = JSON.parse(await readFile(path.join(repoRoot(), 'examples', file), 'utf8')) as { Statement: { Action: string | string[] }[] };
      return new Set(policy.Statement.flatMap((statement) => [statement.Action].flat()));
    };
    const calls = (account: string): Set<string> =>
      new Set(emulator.state.requestLog.filter((entry) => entry.accountId === account).map((entry) => `${entry.service}:${entry.operation}`));
    const [jobPolicy, memberPolicy] = [await granted('iam-policy.json'), await granted('iam-policy-member-role.json')];
    t.true(calls(CALLER_ACCOUNT).has('sts:AssumeRole'));
    for (const action of calls(CALLER_ACCOUNT)) t.true(jobPolicy.has(action), `${action} is called but not in examples/iam-policy.json`);
    t.deepEqual([...calls(MEMBER)].sort(), ['securityhub:BatchImportFindings', 'securityhub:GetFindings']);
    for (const action of calls(MEMBER)) t.true(memberPolicy.has(action), `${action} is called but not in examples/iam-policy-member-role.json`);

    // Again: both accounts' findings are read back and left as they are.
    const again = capturedIo(dir, { now: new Date('2025-10-02T04:00:00Z') });
    t.is(await main(['run', ...window], again), 0, again.err());
    const againLog = JSON.parse(again.err().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    t.deepEqual(
      [againLog['findingsCreated'], againLog['findingsUpdated'], againLog['findingsUnchanged']],
      [0, 0, callerFindings.length + memberFindings.length],
    );
  });
});

test.serial('without securityHub.assumeRole the other account’s findings are refused: the run exits 2 and says how to import them', async (t) => {
  const { endpoint, caller } = await organisationBucket(t);
  const dir = await s3Project(t, endpoint);
  await withEmulator([S3RVER_CALLER], async (emulator) => {
    const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
    t.is(await main(['run', ...window], io), 2);
    t.regex(io.err(), /sink-failed: securityhub: \d+ of \d+ findings were not imported into Security Hub us-east-1 \(account 123456789012\)/);
    t.regex(io.err(), /AwsAccountId 210987654321 is not the calling account 123456789012/);
    t.regex(
      io.err(),
      /account 210987654321: Security Hub takes findings only from the account they are for, not from 123456789012; set securityHub\.assumeRole \(e\.g\. arn:aws:iam::\{accountId\}:role\/lfvaudit-import\)/,
    );
    t.deepEqual(accountsOf(emulator, CALLER_ACCOUNT), [CALLER_ACCOUNT]);
    t.is(eventCountOf(emulator.state.securityHub.findings({ accountId: CALLER_ACCOUNT, region: REGION }), 'lfv-mfa-required'), caller.eventIdsInDay.length);
    t.deepEqual(emulator.state.securityHub.findings({ accountId: MEMBER, region: REGION }), []);
  });
});

test.serial('a member role that cannot be assumed fails that account only: the others are imported, the run exits 2 naming the role', async (t) => {
  const { endpoint, caller } = await organisationBucket(t);
  const dir = await s3Project(t, endpoint, `  assumeRole: "${ROLE_TEMPLATE}"\n`);
  await withEmulator([S3RVER_CALLER], async (emulator) => {
    emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: ['999999999999'] });
    const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
    t.is(await main(['run', ...window], io), 2);
    t.regex(
      io.err(),
      new RegExp(
        `sink-failed: securityhub: cannot assume ${MEMBER_ROLE} \\(.*AccessDenied.*\\): the role must exist in that account and trust the account lfvaudit runs in`,
      ),
    );
    t.is(eventCountOf(emulator.state.securityHub.findings({ accountId: CALLER_ACCOUNT, region: REGION }), 'lfv-mfa-required'), caller.eventIdsInDay.length);
    t.deepEqual(emulator.state.securityHub.findings({ accountId: MEMBER, region: REGION }), []);
    // The window stays open for the next run.
    await t.throwsAsync(readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8'), { code: 'ENOENT' });
  });
});

test.serial('a dry run with securityHub.assumeRole shows what each account would get and imports nothing', async (t) => {
  const { endpoint } = await organisationBucket(t);
  const dir = await s3Project(t, endpoint, `  assumeRole: "${ROLE_TEMPLATE}"\n`);
  await withEmulator([S3RVER_CALLER], async (emulator) => {
    emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: [CALLER_ACCOUNT] });
    const io = capturedIo(dir, { now: new Date('2025-10-02T03:00:00Z') });
    t.is(await main(['run', ...window, '--dry-run'], io), 0, io.err());
    t.regex(io.out(), new RegExp(`Security Hub us-east-1 \\(account ${CALLER_ACCOUNT}\\), dry run: would create [1-9]\\d*`));
    t.regex(io.out(), new RegExp(`Security Hub us-east-1 \\(account ${MEMBER}\\), dry run: would create [1-9]\\d*`));
    t.deepEqual(
      emulator.state.requestLog.filter((entry) => entry.operation === 'BatchImportFindings'),
      [],
    );
  });
});
