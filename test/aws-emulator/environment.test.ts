import test from 'ava';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorEnvironment, startAwsEmulator, TEST_CREDENTIAL } from '../support/aws-emulator/index.js';

// These tests change process.env (a copy private to this test file's worker), so they run one at a time.

async function withEnvironment<T>(variables: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, variables);
  try {
    return await run();
  } finally {
    for (const name of Object.keys(variables)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

test.serial('clients built with no configuration reach the emulator through AWS_ENDPOINT_URL and the key variables', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());

  const identity = await withEnvironment(emulatorEnvironment(emulator, { region: 'eu-west-1' }), async () => {
    const cloudTrail = new CloudTrailClient({});
    const securityHub = new SecurityHubClient({});
    const sts = new STSClient({});
    try {
      await cloudTrail.send(new LookupEventsCommand({}));
      await securityHub.send(new GetFindingsCommand({}));
      return await sts.send(new GetCallerIdentityCommand({}));
    } finally {
      for (const client of [cloudTrail, securityHub, sts]) client.destroy();
    }
  });

  t.is(identity.Account, TEST_CREDENTIAL.accountId);
  t.deepEqual(
    emulator.state.requestLog.map((entry) => [entry.operation, entry.region, entry.status]),
    [
      ['LookupEvents', 'eu-west-1', 200],
      ['GetFindings', 'eu-west-1', 200],
      ['GetCallerIdentity', 'eu-west-1', 200],
    ],
  );
});

test.serial('a per-service variable such as AWS_ENDPOINT_URL_STS overrides AWS_ENDPOINT_URL', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());
  const environment = { ...emulatorEnvironment(emulator), AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_STS: emulator.endpoint };

  const identity = await withEnvironment(environment, async () => {
    const sts = new STSClient({ maxAttempts: 1 });
    try {
      return await sts.send(new GetCallerIdentityCommand({}));
    } finally {
      sts.destroy();
    }
  });

  t.is(identity.Account, TEST_CREDENTIAL.accountId);
});
