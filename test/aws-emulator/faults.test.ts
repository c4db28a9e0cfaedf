import test from 'ava';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorClientConfig, quickRetries, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { asffFinding, emulatedAws, recordAt } from './fixtures.js';

function retryingSecurityHub(t: { teardown(fn: () => void): void }, emulator: AwsEmulator, maxAttempts = 3): SecurityHubClient {
  const client = new SecurityHubClient({ ...emulatorClientConfig(emulator), retryStrategy: quickRetries(maxAttempts) });
  t.teardown(() => client.destroy());
  return client;
}

test('throttle answers CloudTrail with 400 ThrottlingException without spending the rate limit', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'LookupEvents', kind: 'throttle', times: 1 });

  await t.throwsAsync(aws.cloudTrail.send(new LookupEventsCommand({})), { name: 'ThrottlingException' });
  await t.notThrowsAsync(aws.cloudTrail.send(new LookupEventsCommand({})));
  await t.notThrowsAsync(aws.cloudTrail.send(new LookupEventsCommand({})));

  t.like(aws.emulator.state.requestLog[0], { fault: 'throttle', rateLimited: false, status: 400 });
});

test('throttle answers Security Hub with 429 TooManyRequestsException and the SDK retries past it', async (t) => {
  const aws = await emulatedAws(t);
  const fault = aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'throttle', times: 2 });

  const output = await retryingSecurityHub(t, aws.emulator).send(new GetFindingsCommand({}));

  t.is(output.$metadata.attempts, 3);
  t.is(fault.triggered, 2);
  t.deepEqual(
    aws.emulator.state.requestLog.map((entry) => entry.status),
    [429, 429, 200],
  );
});

test('throttle answers STS with 400 Throttling', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'GetCallerIdentity', kind: 'throttle', times: 1 });

  const error = await t.throwsAsync(aws.sts.send(new GetCallerIdentityCommand({})));

  t.like(error, { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
});

for (const [kind, status, code] of [
  ['http500', 500, 'InternalException'],
  ['http503', 503, 'ServiceUnavailable'],
] as const) {
  test(`${kind} answers ${status} ${code}, which a single-attempt client sees as is`, async (t) => {
    const aws = await emulatedAws(t);
    aws.emulator.faults.inject({ operation: 'GetFindings', kind, times: 1 });

    const error = await t.throwsAsync(aws.securityHub.send(new GetFindingsCommand({})));

    t.like(error, { name: code, $metadata: { httpStatusCode: status } });
  });

  test(`${kind} is retried by the SDK as a transient error`, async (t) => {
    const aws = await emulatedAws(t);
    aws.emulator.faults.inject({ operation: 'GetFindings', kind, times: 1 });

    const output = await retryingSecurityHub(t, aws.emulator).send(new GetFindingsCommand({}));

    t.is(output.$metadata.attempts, 2);
  });
}

test('reset drops the connection without an answer', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'LookupEvents', kind: 'reset', times: 1 });

  const error = await t.throwsAsync(aws.cloudTrail.send(new LookupEventsCommand({})));

  t.is((error as { code?: string }).code, 'ECONNRESET');
  t.like(aws.emulator.state.requestLog[0], { fault: 'reset', status: undefined });
});

test('reset is retried by the SDK', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'reset', times: 1 });

  const output = await retryingSecurityHub(t, aws.emulator).send(new GetFindingsCommand({}));

  t.is(output.$metadata.attempts, 2);
});

test('slow delays the answer past a client request timeout', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'slow', delayMs: 300, times: 1 });
  const client = new SecurityHubClient({
    ...emulatorClientConfig(aws.emulator),
    maxAttempts: 1,
    requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
  });
  t.teardown(() => client.destroy());

  const error = await t.throwsAsync(client.send(new GetFindingsCommand({})));

  t.is(error?.name, 'TimeoutError');
});

test('slow still answers a patient client in full', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'GetCallerIdentity', kind: 'slow', delayMs: 50, times: 1 });
  const started = performance.now();

  const identity = await aws.sts.send(new GetCallerIdentityCommand({}));

  t.is(identity.Account, aws.scope.accountId);
  t.true(performance.now() - started >= 45); // timers may fire a millisecond or so early
  t.like(aws.emulator.state.requestLog[0], { fault: 'slow', status: 200 });
});

test('truncatedBody cuts the answer short, so the client fails to read it', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'truncatedBody', times: 1 });

  const error = await t.throwsAsync(aws.securityHub.send(new GetFindingsCommand({})));

  t.is((error as { code?: string }).code, 'ECONNRESET');
});

test('truncatedBody keeps the effects of the call: the import happened even though the answer was lost', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'truncatedBody', times: 1 });

  await t.throwsAsync(aws.importFindings([asffFinding()]));

  t.is(aws.emulator.state.securityHub.findings(aws.scope).length, 1);
});

test('failedFindings answers every finding of the call as failed with the given code', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'failedFindings', errorCode: 'InternalException', times: 1 });

  const output = await aws.importFindings([asffFinding({ Id: 'a' }), asffFinding({ Id: 'b' })]);

  t.like(output, { SuccessCount: 0, FailedCount: 2 });
  t.deepEqual(
    output.FailedFindings?.map((failure) => [failure.Id, failure.ErrorCode]),
    [
      ['a', 'InternalException'],
      ['b', 'InternalException'],
    ],
  );
  t.deepEqual(aws.emulator.state.securityHub.findings(aws.scope), []);
});

test('failedFindings with findingIds fails only those findings and imports the others', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({
    operation: 'BatchImportFindings',
    kind: 'failedFindings',
    errorCode: 'InvalidInput',
    errorMessage: 'permanent',
    findingIds: ['b'],
    times: 1,
  });

  const output = await aws.importFindings([asffFinding({ Id: 'a' }), asffFinding({ Id: 'b' })]);

  t.deepEqual(output.FailedFindings, [{ Id: 'b', ErrorCode: 'InvalidInput', ErrorMessage: 'permanent' }]);
  t.deepEqual(
    aws.emulator.state.securityHub.findings(aws.scope).map((finding) => finding.Id),
    ['a'],
  );
});

test('repeatNextToken hands the request token back, which would loop a naive paginator', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10), recordAt(aws.clock, 20), recordAt(aws.clock, 30)]);
  aws.emulator.faults.inject({ operation: 'LookupEvents', kind: 'repeatNextToken', times: 1 });

  const first = await aws.lookupEvents({ MaxResults: 1 });
  const second = await aws.lookupEvents({ MaxResults: 1, NextToken: first.NextToken });
  const third = await aws.lookupEvents({ MaxResults: 1, NextToken: second.NextToken });

  t.is(second.NextToken, first.NextToken);
  t.deepEqual(
    [first, second, third].map((page) => page.Events?.[0]?.EventId),
    ['event-000010', 'event-000020', 'event-000020'],
  );
});

test('repeatNextToken leaves first pages (no NextToken in the request) alone', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ Id: 'a' }), asffFinding({ Id: 'b' })]);
  const fault = aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'repeatNextToken', times: 1 });

  const first = await aws.getFindings({ MaxResults: 1 });

  t.not(first.NextToken, undefined);
  t.is(fault.triggered, 0);
});

test('a fault hits only its operation and only as many times as asked', async (t) => {
  const aws = await emulatedAws(t);
  const fault = aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'http500', times: 2 });

  await t.notThrowsAsync(aws.sts.send(new GetCallerIdentityCommand({})));
  await t.throwsAsync(aws.getFindings({}));
  await t.throwsAsync(aws.getFindings({}));
  await t.notThrowsAsync(aws.getFindings({}));

  t.is(fault.triggered, 2);
});

test('a removed fault no longer fires', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.faults.inject({ operation: 'GetFindings', kind: 'http500', times: Number.POSITIVE_INFINITY }).remove();

  await t.notThrowsAsync(aws.getFindings({}));
});

test('probability faults follow their seed: the same seed fails the same calls', async (t) => {
  const pattern = async (seed: number): Promise<boolean[]> => {
    const emulator = await startAwsEmulator();
    const client = new STSClient({ ...emulatorClientConfig(emulator), maxAttempts: 1 });
    emulator.faults.inject({ operation: 'GetCallerIdentity', kind: 'http503', probability: 0.5, seed });
    const outcomes: boolean[] = [];
    for (let call = 0; call < 20; call += 1) {
      outcomes.push(
        await client.send(new GetCallerIdentityCommand({})).then(
          () => true,
          () => false,
        ),
      );
    }
    client.destroy();
    await emulator.close();
    return outcomes;
  };

  const [first, again, other] = await Promise.all([pattern(7), pattern(7), pattern(8)]);

  t.deepEqual(first, again);
  t.notDeepEqual(first, other);
  t.true(first.includes(true) && first.includes(false));
});

test('a fault needs times or a probability with a seed', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());

  t.throws(() => emulator.faults.inject({ operation: 'GetFindings', kind: 'http500' } as unknown as Parameters<typeof emulator.faults.inject>[0]), {
    instanceOf: TypeError,
  });
});

test('a CloudTrail client with standard retries rides out one of each transient fault', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10)]);
  for (const kind of ['http500', 'reset', 'truncatedBody'] as const) aws.emulator.faults.inject({ operation: 'LookupEvents', kind, times: 1 });
  const client = new CloudTrailClient({ ...emulatorClientConfig(aws.emulator), retryStrategy: quickRetries(4) });
  t.teardown(() => client.destroy());

  // http500 and reset spend no rate-limit tokens; truncatedBody and the final attempt fit LookupEvents' burst of 2.
  const output = await client.send(new LookupEventsCommand({}));

  t.is(output.$metadata.attempts, 4);
  t.is(output.Events?.length, 1);
});
