import test from 'ava';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  defaultProductArn,
  emulatorClientConfig,
  startAwsEmulator,
  TEST_CREDENTIAL,
  TEST_REGION,
  type EmulatorCredential,
} from '../support/aws-emulator/index.js';
import { asffFinding, emulatedAws } from './fixtures.js';

test('GetCallerIdentity answers the account, ARN and user id of the calling key', async (t) => {
  const aws = await emulatedAws(t);

  const identity = await aws.sts.send(new GetCallerIdentityCommand({}));

  t.like(identity, { Account: TEST_CREDENTIAL.accountId, Arn: 'arn:aws:iam::123456789012:user/lfvaudit-test', UserId: 'AIDAIOSFODNN7EXAMPLE' });
});

test('a credential can carry its own ARN and user id, such as an assumed role', async (t) => {
  const role: EmulatorCredential = {
    accessKeyId: 'ASIAAUDITORROLE00000',
    secretAccessKey: 'role-secret',
    accountId: '210987654321',
    arn: 'arn:aws:sts::210987654321:assumed-role/Auditor/lfvaudit',
    userId: 'AROAAUDITOR:lfvaudit',
  };
  const emulator = await startAwsEmulator({ credentials: [role] });
  t.teardown(() => emulator.close());
  const client = new STSClient({ ...emulatorClientConfig(emulator), maxAttempts: 1 });
  t.teardown(() => client.destroy());

  const identity = await client.send(new GetCallerIdentityCommand({}));

  t.like(identity, { Account: '210987654321', Arn: role.arn, UserId: role.userId });
});

const MEMBER = '210987654321';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/audit/lfvaudit-import`;

test('AssumeRole of a role that trusts the caller’s account answers temporary credentials that act in the role’s account', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: [TEST_CREDENTIAL.accountId] });

  const assumed = await aws.sts.send(new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: 'lfvaudit-import' }));

  t.regex(assumed.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
  t.is(assumed.Credentials?.Expiration?.getTime(), aws.clock.now() + 3_600_000);
  t.is(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${MEMBER}:assumed-role/lfvaudit-import/lfvaudit-import`);
  t.regex(assumed.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{16}:lfvaudit-import$/);
  const credentials = {
    accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
    secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
    sessionToken: assumed.Credentials?.SessionToken ?? '',
  };
  const config = { endpoint: aws.emulator.endpoint, region: TEST_REGION, credentials, maxAttempts: 1 };
  const sts = new STSClient(config);
  const securityHub = new SecurityHubClient(config);
  t.teardown(() => {
    sts.destroy();
    securityHub.destroy();
  });

  t.like(await sts.send(new GetCallerIdentityCommand({})), { Account: MEMBER, Arn: assumed.AssumedRoleUser?.Arn });
  const memberScope = { accountId: MEMBER, region: TEST_REGION };
  const imported = await securityHub.send(
    new BatchImportFindingsCommand({ Findings: [asffFinding({ AwsAccountId: MEMBER, ProductArn: defaultProductArn(memberScope) })] }),
  );
  t.is(imported.SuccessCount, 1);
  t.is(aws.emulator.state.securityHub.findings(memberScope).length, 1);
  t.deepEqual(aws.emulator.state.sts.assumedRoles, [{ roleArn: MEMBER_ROLE, sessionName: 'lfvaudit-import', callerAccountId: TEST_CREDENTIAL.accountId }]);
});

test('AssumeRole is denied alike for a role that does not trust the caller’s account and for one that does not exist', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: ['999999999999'] });
  for (const roleArn of [MEMBER_ROLE, `arn:aws:iam::${MEMBER}:role/missing`]) {
    const error = await t.throwsAsync(aws.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'lfvaudit-import' })));
    t.is(error?.name, 'AccessDenied');
    t.is(
      error?.message,
      `User: arn:aws:iam::${TEST_CREDENTIAL.accountId}:user/lfvaudit-test is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  t.deepEqual(aws.emulator.state.sts.assumedRoles, []);
});

test('AssumeRole checks its session name and duration', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: [TEST_CREDENTIAL.accountId] });
  const bad = [
    { RoleArn: MEMBER_ROLE, RoleSessionName: 'a' },
    { RoleArn: MEMBER_ROLE, RoleSessionName: 'has space' },
    { RoleArn: MEMBER_ROLE, RoleSessionName: 'lfvaudit', DurationSeconds: 7200 },
  ];
  for (const input of bad) {
    const error = await t.throwsAsync(aws.sts.send(new AssumeRoleCommand(input)));
    t.is(error?.name, 'ValidationError', JSON.stringify(input));
  }
});

test('temporary credentials are refused without their session token', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.sts.createRole({ arn: MEMBER_ROLE, trustedAccounts: [TEST_CREDENTIAL.accountId] });
  const assumed = await aws.sts.send(new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: 'lfvaudit-import' }));
  const sts = new STSClient({
    endpoint: aws.emulator.endpoint,
    region: TEST_REGION,
    credentials: {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: 'not-the-token',
    },
    maxAttempts: 1,
  });
  t.teardown(() => sts.destroy());
  const error = await t.throwsAsync(sts.send(new GetCallerIdentityCommand({})));
  t.is(error?.name, 'InvalidClientTokenId');
});
