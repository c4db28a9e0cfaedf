import test from 'ava';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  emulatorClientConfig,
  ManualClock,
  quickRetries,
  startAwsEmulator,
  TEST_CREDENTIAL,
  TEST_REGION,
  type AwsEmulator,
  type EmulatorCredential,
} from '../support/aws-emulator/index.js';
import { emulatedAws } from './fixtures.js';
import { lookupEventsRequest, sendRaw, signRequest } from './raw-request.js';

const WRONG_SECRET: EmulatorCredential = { ...TEST_CREDENTIAL, secretAccessKey: 'not-the-secret' };
const UNKNOWN_KEY: EmulatorCredential = { ...TEST_CREDENTIAL, accessKeyId: 'AKIAUNKNOWNKEY000000' };

function clientConfig(emulator: AwsEmulator, credential: EmulatorCredential) {
  return { ...emulatorClientConfig(emulator, { credential }), maxAttempts: 1 };
}

test('CloudTrail rejects a wrong secret with 403 InvalidSignatureException', async (t) => {
  const aws = await emulatedAws(t);
  const client = new CloudTrailClient(clientConfig(aws.emulator, WRONG_SECRET));
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new LookupEventsCommand({})));

  t.is(error?.name, 'InvalidSignatureException');
  t.like(error, { $metadata: { httpStatusCode: 403 } });
});

test('Security Hub rejects a wrong secret with 403 InvalidSignatureException', async (t) => {
  const aws = await emulatedAws(t);
  const client = new SecurityHubClient(clientConfig(aws.emulator, WRONG_SECRET));
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new GetFindingsCommand({})));

  t.is(error?.name, 'InvalidSignatureException');
  t.like(error, { $metadata: { httpStatusCode: 403 } });
});

test('STS rejects a wrong secret with 403 SignatureDoesNotMatch', async (t) => {
  const aws = await emulatedAws(t);
  const client = new STSClient(clientConfig(aws.emulator, WRONG_SECRET));
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new GetCallerIdentityCommand({})));

  t.is(error?.name, 'SignatureDoesNotMatch');
  t.like(error, { $metadata: { httpStatusCode: 403 } });
});

test('an access key the emulator does not know is rejected with UnrecognizedClientException', async (t) => {
  const aws = await emulatedAws(t);
  const client = new CloudTrailClient(clientConfig(aws.emulator, UNKNOWN_KEY));
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new LookupEventsCommand({})));

  t.is(error?.name, 'UnrecognizedClientException');
});

test('STS rejects an unknown access key with InvalidClientTokenId', async (t) => {
  const aws = await emulatedAws(t);
  const client = new STSClient(clientConfig(aws.emulator, UNKNOWN_KEY));
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new GetCallerIdentityCommand({})));

  t.is(error?.name, 'InvalidClientTokenId');
});

test('a signature scoped to another service is rejected with InvalidSignatureException', async (t) => {
  const aws = await emulatedAws(t);
  // The client's auth scheme provider decides the signing name; this one signs CloudTrail calls as securityhub.
  const client = new CloudTrailClient({
    ...clientConfig(aws.emulator, TEST_CREDENTIAL),
    httpAuthSchemeProvider: () => [
      {
        schemeId: 'aws.auth#sigv4',
        signingProperties: { signingName: 'securityhub', signingRegion: TEST_REGION },
        propertiesExtractor: (config: object, context: object) => ({ signingProperties: { config, context } }),
      },
    ],
  });
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new LookupEventsCommand({})));

  t.is(error?.name, 'InvalidSignatureException');
  t.regex(error?.message ?? '', /scoped to correct service: 'cloudtrail'/);
});

test('a request without an Authorization header is rejected with MissingAuthenticationTokenException', async (t) => {
  const aws = await emulatedAws(t);

  const response = await sendRaw(aws.emulator.endpoint, lookupEventsRequest({}));

  t.is(response.status, 403);
  t.like(JSON.parse(response.body), { __type: 'MissingAuthenticationTokenException' });
});

test('a correctly signed hand-made request is accepted', async (t) => {
  const aws = await emulatedAws(t);
  const signed = await signRequest(aws.emulator.endpoint, lookupEventsRequest({}), { service: 'cloudtrail', region: TEST_REGION, credential: TEST_CREDENTIAL });

  const response = await sendRaw(aws.emulator.endpoint, signed);

  t.is(response.status, 200);
});

test('a body changed after signing is rejected with InvalidSignatureException', async (t) => {
  const aws = await emulatedAws(t);
  const signed = await signRequest(aws.emulator.endpoint, lookupEventsRequest({ MaxResults: 5 }), {
    service: 'cloudtrail',
    region: TEST_REGION,
    credential: TEST_CREDENTIAL,
  });
  const body = JSON.stringify({ MaxResults: 6 });

  const response = await sendRaw(aws.emulator.endpoint, { ...signed, body });

  t.is(response.status, 403);
  t.like(JSON.parse(response.body), { __type: 'InvalidSignatureException' });
});

test('a request signed more than 15 minutes before the server clock is rejected as expired', async (t) => {
  const emulator = await startAwsEmulator({ clock: new ManualClock(Date.now() + 20 * 60 * 1000) });
  t.teardown(() => emulator.close());
  const client = new CloudTrailClient(clientConfig(emulator, TEST_CREDENTIAL));
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new LookupEventsCommand({})));

  t.is(error?.name, 'InvalidSignatureException');
  t.regex(error?.message ?? '', /^Signature expired/);
});

test('the SDK corrects its clock from the Date header and succeeds on its retry', async (t) => {
  const emulator = await startAwsEmulator({ clock: new ManualClock(Date.now() + 20 * 60 * 1000) });
  t.teardown(() => emulator.close());
  const client = new CloudTrailClient({ ...emulatorClientConfig(emulator), retryStrategy: quickRetries(2) });
  t.teardown(() => client.destroy());

  const output = await client.send(new LookupEventsCommand({}));

  t.is(output.$metadata.attempts, 2);
});

test('the caller account comes from the access key: each configured credential is its own account', async (t) => {
  const second: EmulatorCredential = { accessKeyId: 'AKIASECONDACCOUNT000', secretAccessKey: 'second-secret', accountId: '210987654321' };
  const emulator = await startAwsEmulator({ credentials: [TEST_CREDENTIAL, second] });
  t.teardown(() => emulator.close());
  const client = new STSClient(clientConfig(emulator, second));
  t.teardown(() => client.destroy());

  const identity = await client.send(new GetCallerIdentityCommand({}));

  t.is(identity.Account, '210987654321');
  t.is(identity.Arn, 'arn:aws:iam::210987654321:user/lfvaudit-test');
  t.is(emulator.state.requestLog[0]?.accountId, '210987654321');
});

test('the request log never holds a secret', async (t) => {
  const aws = await emulatedAws(t);
  await aws.sts.send(new GetCallerIdentityCommand({}));

  t.false(JSON.stringify(aws.emulator.state.requestLog).includes(TEST_CREDENTIAL.secretAccessKey));
});
