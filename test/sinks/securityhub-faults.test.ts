import test from 'ava';
import { SecurityHubImportError } from '../../src/sinks/securityhub-sink.js';
import { lfvEvents, simulateRun } from '../support/finding-runs.js';
import { testRule } from '../support/lfv-record.js';
import { securityHubFixture, writeRun } from './securityhub-fixtures.js';

const rule = testRule({ groupBy: ['principal'] });
/** Five findings, one per principal. */
const findings = simulateRun(lfvEvents(25, new Date('2025-10-01T00:00:00Z'), 60_000, { principals: 5 }), { rules: [rule], now: new Date() });
const ids = findings.map((finding) => finding.Id ?? '').sort();

function storedIds(aws: Awaited<ReturnType<typeof securityHubFixture>>): string[] {
  return aws.stored().map((finding) => String(finding.Id));
}

test('throttled imports are retried with backoff and nothing is lost', async (t) => {
  const aws = await securityHubFixture(t);
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'throttle', times: 3 });

  await writeRun(aws.sink([rule]), findings);

  t.deepEqual(storedIds(aws), ids);
  t.is(aws.calls('BatchImportFindings'), 4);
  t.is(aws.backoffs.length, 3);
});

test('server errors and dropped connections are retried and nothing is lost', async (t) => {
  const aws = await securityHubFixture(t);
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'http500', times: 1 });
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'http503', times: 1 });
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'reset', times: 1 });

  await writeRun(aws.sink([rule]), findings);

  t.deepEqual(storedIds(aws), ids);
  t.is(aws.calls('BatchImportFindings'), 4);
});

test('an answer lost after the import happened is retried without duplicating anything', async (t) => {
  const aws = await securityHubFixture(t);
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'truncatedBody', times: 1 });

  await writeRun(aws.sink([rule]), findings);

  t.deepEqual(storedIds(aws), ids);
  t.is(aws.calls('BatchImportFindings'), 2);
});

test('reading the stored findings back rides out throttling, server errors and resets', async (t) => {
  const aws = await securityHubFixture(t);
  for (const kind of ['throttle', 'http500', 'reset'] as const) aws.emulator.faults.inject({ operation: 'GetFindings', kind, times: 1 });

  await writeRun(aws.sink([rule]), findings);

  t.deepEqual(storedIds(aws), ids);
  // Three failed attempts and the read before the import, then the read-back after the settle period.
  t.is(aws.calls('GetFindings'), 5);
});

test('findings answered as failed with a transient code are sent again', async (t) => {
  const aws = await securityHubFixture(t);
  aws.emulator.faults.inject({
    operation: 'BatchImportFindings',
    kind: 'failedFindings',
    errorCode: 'InternalException',
    findingIds: ids.slice(0, 2),
    times: 2,
  });

  await writeRun(aws.sink([rule]), findings);

  t.deepEqual(storedIds(aws), ids);
  t.is(aws.calls('BatchImportFindings'), 3);
});

test('findings answered as failed for good are reported with rule, Id, code and message, after the others were imported', async (t) => {
  const aws = await securityHubFixture(t);
  const [bad] = ids;
  aws.emulator.faults.inject({
    operation: 'BatchImportFindings',
    kind: 'failedFindings',
    errorCode: 'InvalidInput',
    errorMessage: 'Finding does not adhere to the format',
    findingIds: [bad ?? ''],
    times: 1,
  });

  const error = await t.throwsAsync(writeRun(aws.sink([rule]), findings), { instanceOf: SecurityHubImportError });

  t.deepEqual(error?.failures, [{ id: bad, ruleId: 'lfv-test-rule', errorCode: 'InvalidInput', errorMessage: 'Finding does not adhere to the format' }]);
  t.true(error?.message.includes(`lfv-test-rule ${bad ?? ''}: InvalidInput: Finding does not adhere to the format`));
  t.deepEqual(storedIds(aws), ids.slice(1));
  t.is(aws.calls('BatchImportFindings'), 1);
});

test('a transient failure that never clears is given up after a bounded number of rounds', async (t) => {
  const aws = await securityHubFixture(t);
  aws.emulator.faults.inject({
    operation: 'BatchImportFindings',
    kind: 'failedFindings',
    errorCode: 'ThrottlingException',
    findingIds: ids.slice(0, 1),
    times: Number.POSITIVE_INFINITY,
  });

  // Each finding gets the attempts a call gets: three sends in all.
  const error = await t.throwsAsync(
    writeRun(aws.sink([rule], { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, sleep: () => Promise.resolve() } }), findings),
    {
      instanceOf: SecurityHubImportError,
    },
  );

  t.is(aws.calls('BatchImportFindings'), 3);
  t.like(error?.failures, [{ id: ids[0], errorCode: 'ThrottlingException' }]);
  t.is(aws.stored().length, 4);
});

test('a call that keeps failing fails its findings after the last attempt, and the sink says why', async (t) => {
  const aws = await securityHubFixture(t);
  aws.emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'http500', times: Number.POSITIVE_INFINITY });

  const error = await t.throwsAsync(
    writeRun(aws.sink([rule], { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, sleep: () => Promise.resolve() } }), findings),
    {
      instanceOf: SecurityHubImportError,
    },
  );

  t.is(aws.calls('BatchImportFindings'), 3);
  t.is(error?.failures.length, 5);
  t.regex(error?.message ?? '', /CallFailed: BatchImportFindings failed after 3 attempts: InternalException \(HTTP 500\)/);
});

test('an error that retrying cannot fix is not retried', async (t) => {
  const aws = await securityHubFixture(t);

  // Findings of another account: the emulator, like Security Hub, refuses a ProductArn the caller does not own.
  const error = await t.throwsAsync(writeRun(aws.sink([rule], { accountId: '210987654321' }), findings), { instanceOf: SecurityHubImportError });

  t.is(aws.calls('BatchImportFindings'), 1);
  t.regex(error?.message ?? '', /InvalidInputException/);
});
