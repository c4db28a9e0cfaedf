import test, { type ExecutionContext } from 'ava';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SecurityHubFindingsApi } from '../../src/securityhub/api.js';
import { BackoffRetryStrategy } from '../../src/aws/retry-strategy.js';
import { productArnOf } from '../../src/securityhub/scope.js';
import {
  emulatorClientConfig,
  maxRequestsInWindow,
  quickRetries,
  startAwsEmulator,
  TEST_CREDENTIAL,
  TEST_REGION,
  type AwsEmulator,
} from '../support/aws-emulator/index.js';
import { lfvEvents, simulateRun } from '../support/finding-runs.js';
import { testRule } from '../support/lfv-record.js';

const finding = simulateRun(lfvEvents(1, new Date('2025-10-01T00:00:00Z'), 1000), { rules: [testRule()], now: new Date() })[0];

async function emulatorAndClient(t: ExecutionContext, clientOptions: object = {}): Promise<{ emulator: AwsEmulator; client: SecurityHubClient }> {
  const emulator = await startAwsEmulator();
  const client = new SecurityHubClient({ ...emulatorClientConfig(emulator), maxAttempts: 1, ...clientOptions });
  t.teardown(async () => {
    client.destroy();
    await emulator.close();
  });
  return { emulator, client };
}

function arrivals(emulator: AwsEmulator, operation: string): number[] {
  return emulator.state.requestLog.filter((entry) => entry.operation === operation).map((entry) => entry.arrivedAt);
}

test('45 imports in a row stay within the documented 10 calls a second and burst of 30', async (t) => {
  const { emulator, client } = await emulatorAndClient(t);
  const api = new SecurityHubFindingsApi(client);
  if (finding === undefined) return t.fail('no finding');

  for (let call = 0; call < 45; call += 1) await api.importBatch([finding]);

  const log = emulator.state.requestLog;
  t.is(log.length, 45);
  t.false(log.some((entry) => entry.rateLimited));
  t.true(maxRequestsInWindow(log, 'BatchImportFindings', 1000) <= 30);
  // Beyond the burst, the average holds: at most 30 + 10 a second more in any longer window.
  for (const seconds of [2, 3]) t.true(maxRequestsInWindow(log, 'BatchImportFindings', seconds * 1000) <= 30 + 10 * (seconds - 1), `${seconds} s`);
});

test("reading 200 findings back by Id stays within GetFindings' 3 calls a second and burst of 6", async (t) => {
  const { emulator, client } = await emulatorAndClient(t);
  const api = new SecurityHubFindingsApi(client);
  const ids = Array.from({ length: 200 }, (_, index) => `lfvaudit/lfv-test-rule/${index}`);

  await api.findingsByIds(productArnOf(TEST_CREDENTIAL.accountId, TEST_REGION), ids);

  const log = emulator.state.requestLog;
  t.is(log.length, 10);
  t.false(log.some((entry) => entry.rateLimited));
  t.true(maxRequestsInWindow(log, 'GetFindings', 1000) <= 6);
});

/**
 * A virtual clock for the pacers: waiting advances it at once. The arrival times a loaded machine
 * measures jitter by tens of milliseconds, so what is asserted is the pacing decision itself: how long
 * the pacers made the calls wait, in the pacers' own time.
 */
function virtualClock(): { now: () => number; sleep: (ms: number) => Promise<void>; waited: () => number } {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    waited: () => now,
  };
}

test('every attempt is paced, retries included', async (t) => {
  const { emulator, client } = await emulatorAndClient(t, {
    maxAttempts: undefined,
    retryStrategy: new BackoffRetryStrategy({ baseDelayMs: 0, maxDelayMs: 0 }),
  });
  emulator.faults.inject({ operation: 'GetFindings', kind: 'http500', times: 3 });
  const clock = virtualClock();
  const api = new SecurityHubFindingsApi(client, { paces: { getFindings: { requests: 1, windowMs: 200 } }, now: clock.now, sleep: clock.sleep });

  await api.findingsByIds(productArnOf(TEST_CREDENTIAL.accountId, TEST_REGION), ['one']);

  t.is(arrivals(emulator, 'GetFindings').length, 4);
  // 1 per 200 ms: the first attempt goes at once, each of the 3 retries waits 200 ms for its turn.
  t.is(clock.waited(), 600);
});

test("the retries of a client handed in with the SDK's own retry strategy are paced too", async (t) => {
  const { emulator, client } = await emulatorAndClient(t, { maxAttempts: undefined, retryStrategy: quickRetries(4, 0) });
  emulator.faults.inject({ operation: 'GetFindings', kind: 'http500', times: 3 });
  const clock = virtualClock();
  const api = new SecurityHubFindingsApi(client, { paces: { getFindings: { requests: 1, windowMs: 200 } }, now: clock.now, sleep: clock.sleep });

  await api.findingsByIds(productArnOf(TEST_CREDENTIAL.accountId, TEST_REGION), ['one']);

  t.is(arrivals(emulator, 'GetFindings').length, 4);
  t.is(clock.waited(), 600);
});
