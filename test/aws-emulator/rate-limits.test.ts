import test from 'ava';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { BatchImportFindingsCommand, GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { emulatorClientConfig, maxRequestsInWindow, quickRetries, type RequestLogEntry } from '../support/aws-emulator/index.js';
import { asffFinding, emulatedAws } from './fixtures.js';

test('a third LookupEvents call within one second is throttled with HTTP 400 ThrottlingException', async (t) => {
  const aws = await emulatedAws(t);
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  aws.clock.advance(100);
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  aws.clock.advance(100);

  const error = await t.throwsAsync(aws.cloudTrail.send(new LookupEventsCommand({})));

  t.like(error, { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
});

test('LookupEvents refills at two calls a second', async (t) => {
  const aws = await emulatedAws(t);
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  aws.clock.advance(500);

  await t.notThrowsAsync(aws.cloudTrail.send(new LookupEventsCommand({})));
  await t.throwsAsync(aws.cloudTrail.send(new LookupEventsCommand({})), { name: 'ThrottlingException' });
});

test('BatchImportFindings allows a burst of 30 calls, then answers 429 TooManyRequestsException', async (t) => {
  const aws = await emulatedAws(t);
  for (let call = 0; call < 30; call += 1) {
    await aws.securityHub.send(new BatchImportFindingsCommand({ Findings: [asffFinding({ Id: `f${call}` })] }));
  }

  const error = await t.throwsAsync(aws.securityHub.send(new BatchImportFindingsCommand({ Findings: [asffFinding({ Id: 'f30' })] })));

  t.like(error, { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
});

test('after its burst, BatchImportFindings admits ten calls a second', async (t) => {
  const aws = await emulatedAws(t);
  const importOne = (id: string) => aws.securityHub.send(new BatchImportFindingsCommand({ Findings: [asffFinding({ Id: id })] }));
  for (let call = 0; call < 30; call += 1) await importOne(`burst-${call}`);
  aws.clock.advance(100);

  await t.notThrowsAsync(importOne('refilled'));
  await t.throwsAsync(importOne('too-soon'), { name: 'TooManyRequestsException' });
});

test('GetFindings allows a burst of 6 calls, then answers 429 TooManyRequestsException', async (t) => {
  const aws = await emulatedAws(t);
  for (let call = 0; call < 6; call += 1) await aws.securityHub.send(new GetFindingsCommand({}));

  const error = await t.throwsAsync(aws.securityHub.send(new GetFindingsCommand({})));

  t.like(error, { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
});

test('limits are kept per region: another region is not throttled', async (t) => {
  const aws = await emulatedAws(t);
  const europe = new CloudTrailClient({ ...emulatorClientConfig(aws.emulator, { region: 'eu-west-1' }), maxAttempts: 1 });
  t.teardown(() => europe.destroy());
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  await aws.cloudTrail.send(new LookupEventsCommand({}));

  await t.notThrowsAsync(europe.send(new LookupEventsCommand({})));
});

test('SDK retries do not help when the client does not slow down: it gives up with the throttle', async (t) => {
  const aws = await emulatedAws(t);
  const client = new CloudTrailClient({ ...emulatorClientConfig(aws.emulator), retryStrategy: quickRetries(3) });
  t.teardown(() => client.destroy());
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  await aws.cloudTrail.send(new LookupEventsCommand({}));

  const error = await t.throwsAsync(client.send(new LookupEventsCommand({})));

  t.like(error, { name: 'ThrottlingException', $metadata: { attempts: 3 } });
});

test('the request log records each request with its arrival time, account, region and outcome', async (t) => {
  const aws = await emulatedAws(t);
  const arrivedAt = aws.clock.now();
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  await aws.cloudTrail.send(new LookupEventsCommand({}));
  await t.throwsAsync(aws.cloudTrail.send(new LookupEventsCommand({})));

  t.like(aws.emulator.state.requestLog, [
    {
      sequence: 1,
      arrivedAt,
      service: 'cloudtrail',
      operation: 'LookupEvents',
      accountId: aws.scope.accountId,
      region: aws.scope.region,
      status: 200,
      rateLimited: false,
    },
    { sequence: 2, status: 200, rateLimited: false },
    { sequence: 3, status: 400, errorCode: 'ThrottlingException', rateLimited: true, fault: undefined },
  ]);
});

test('maxRequestsInWindow finds the busiest window of an operation', (t) => {
  const entry = (operation: string, arrivedAt: number) => ({ operation, arrivedAt }) as RequestLogEntry;
  const log = [entry('LookupEvents', 0), entry('LookupEvents', 400), entry('GetFindings', 500), entry('LookupEvents', 999), entry('LookupEvents', 1400)];

  t.is(maxRequestsInWindow(log, 'LookupEvents', 1000), 3);
  t.is(maxRequestsInWindow(log, 'LookupEvents', 500), 2);
  t.is(maxRequestsInWindow(log, 'GetFindings', 1000), 1);
});
