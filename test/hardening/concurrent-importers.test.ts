import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import test from 'ava';
import { BackoffRetryStrategy } from '../../src/aws/retry-strategy.js';
import { SecurityHubSink } from '../../src/sinks/securityhub-sink.js';
import { emulatorClientConfig, startAwsEmulator, TEST_CREDENTIAL, TEST_REGION, type AwsEmulator } from '../support/aws-emulator/index.js';
import { emptySummary } from '../support/audit-summary.js';
import { lfvEvents, simulateRun } from '../support/finding-runs.js';
import { testRule } from '../support/lfv-record.js';

// Four importers write findings with the same Ids into one Security Hub at once, each from its own
// input (disjoint events of the same hours: four shards, or four folders), through the real SDK against
// the loopback emulator, whose seeded per-request latency makes them interleave differently per seed.
// Whatever the interleaving, Security Hub must end holding the union of their evidence: what one run
// over all four inputs writes.

const IMPORTERS = 4;
const SEEDS = 12;
const EVENTS_PER_IMPORTER = 12;
const SETTLE_MS = 500;
const rule = testRule({ groupBy: ['principal'] });
const start = new Date(Date.now() - 3 * 3_600_000);

/** Importer `index`'s input: its own events, spread over the same two hours as every other importer's. */
function inputOf(index: number) {
  return lfvEvents(EVENTS_PER_IMPORTER, new Date(start.getTime() + index * 60_000), 10 * 60_000, { principals: 2, idPrefix: `importer${index}` });
}

/** A sink as a separate process would have: its own client and pacing, its GetFindings share of the account's 3 a second. */
function importer(emulator: AwsEmulator, teardown: (fn: () => void) => void): SecurityHubSink {
  const securityHub = new SecurityHubClient({
    ...emulatorClientConfig(emulator, { region: TEST_REGION }),
    retryStrategy: new BackoffRetryStrategy({ baseDelayMs: 20, maxDelayMs: 200 }),
  });
  const sts = new STSClient({ ...emulatorClientConfig(emulator), maxAttempts: 1 });
  teardown(() => {
    securityHub.destroy();
    sts.destroy();
  });
  return new SecurityHubSink({
    rules: [rule],
    now: () => new Date(),
    region: TEST_REGION,
    clients: { securityHub, sts },
    // The importers share the account's 3 GetFindings calls a second.
    api: { paces: { getFindings: { requests: 1, windowMs: (1000 * IMPORTERS) / 3 } } },
    guard: { settleMs: SETTLE_MS },
  });
}

/** What a finding says about its events: the fields a merge must carry over whole. */
function evidenceOf(findings: readonly AwsSecurityFinding[]): Record<string, unknown> {
  return Object.fromEntries(
    [...findings]
      .sort((a, b) => String(a.Id).localeCompare(String(b.Id)))
      .map((finding): [string, unknown] => [
        String(finding.Id),
        {
          FirstObservedAt: finding.FirstObservedAt,
          LastObservedAt: finding.LastObservedAt,
          ...Object.fromEntries(Object.entries(finding.ProductFields ?? {}).filter(([key]) => key.startsWith('lfvaudit/'))),
        },
      ]),
  );
}

test.serial(`${IMPORTERS} importers of disjoint inputs at once, over ${SEEDS} seeded interleavings, leave the union of their evidence`, async (t) => {
  const inputs = Array.from({ length: IMPORTERS }, (_, index) => inputOf(index));
  const runs = inputs.map((events) => simulateRun(events, { rules: [rule], now: new Date() }));

  // The reference: one run over all four inputs, imported alone.
  const reference = await startAwsEmulator();
  t.teardown(() => reference.close());
  const teardowns: (() => void)[] = [];
  t.teardown(() => teardowns.forEach((fn) => fn()));
  await importer(reference, (fn) => teardowns.push(fn)).write(simulateRun(inputs.flat(), { rules: [rule], now: new Date() }), emptySummary());
  const expected = evidenceOf(
    reference.state.securityHub.findings({ accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION }) as unknown as AwsSecurityFinding[],
  );
  const total = Object.values(expected).reduce((sum: number, fields) => sum + Number((fields as Record<string, string>)['lfvaudit/EventCount']), 0);
  t.is(total, IMPORTERS * EVENTS_PER_IMPORTER);

  let reimported = 0;
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const emulator = await startAwsEmulator({ latency: { seed, maxMs: 40 } });
    try {
      const outcomes = await Promise.allSettled(runs.map((findings) => importer(emulator, (fn) => teardowns.push(fn)).write(findings, emptySummary())));
      t.deepEqual(
        outcomes.map((outcome) => outcome.status),
        Array<string>(IMPORTERS).fill('fulfilled'),
        `seed ${seed}: ${outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : '')).join(' ')}`,
      );
      reimported += outcomes.reduce((sum, outcome) => sum + (outcome.status === 'fulfilled' ? (outcome.value?.reimported ?? 0) : 0), 0);
      const stored = emulator.state.securityHub.findings({ accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION }) as unknown as AwsSecurityFinding[];
      t.deepEqual(evidenceOf(stored), expected, `seed ${seed}`);
    } finally {
      await emulator.close();
    }
  }
  // The seeds must have made importers overwrite one another, or the test shows nothing.
  t.true(reimported > 0, 'no importer ever had to import again: the interleavings never collided');
  t.log(`${SEEDS} seeds, ${IMPORTERS} importers of ${EVENTS_PER_IMPORTER} events each; findings imported again after an overwrite: ${reimported}`);
});
