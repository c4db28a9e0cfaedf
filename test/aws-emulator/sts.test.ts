import test from 'ava';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorClientConfig, startAwsEmulator, TEST_CREDENTIAL, type EmulatorCredential } from '../support/aws-emulator/index.js';
import { emulatedAws } from './fixtures.js';

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
