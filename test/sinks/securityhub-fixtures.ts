/** Set-up for the Security Hub sink tests: the loopback emulator on real time, and real SDK clients pointed at it. */
import type { ExecutionContext } from 'ava';
import type { SinkOutcome } from '../../src/sinks/finding-sink.js';
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { SecurityHubSink, type SecurityHubSinkOptions } from '../../src/sinks/securityhub-sink.js';
import { BackoffRetryStrategy, type RetryOptions } from '../../src/aws/retry-strategy.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import {
  emulatorClientConfig,
  startAwsEmulator,
  TEST_CREDENTIAL,
  TEST_REGION,
  type AccountRegion,
  type AsffFinding,
  type AwsEmulator,
} from '../support/aws-emulator/index.js';
import { emptySummary } from '../support/audit-summary.js';

export interface SecurityHubFixture {
  readonly emulator: AwsEmulator;
  readonly scope: AccountRegion;
  /** Clients that retry by lfvaudit's policy, as the sink's own do, with near-zero backoff. */
  readonly securityHub: SecurityHubClient;
  readonly sts: STSClient;
  /** Backoff waits the clients asked for, in ms (they do not actually wait). */
  readonly backoffs: number[];
  /**
   * A sink on these clients for the test account; options given replace the defaults, and a `retry`
   * option gets the sink a Security Hub client of its own that retries so.
   */
  sink(rules: readonly ResolvedRule[], options?: Partial<SecurityHubSinkOptions>): SecurityHubSink;
  /** What Security Hub now holds in a region of the test account, ordered by Id. */
  stored(region?: string): AsffFinding[];
  /** How many requests of an operation reached the emulator. */
  calls(operation: string): number;
}

export async function securityHubFixture(t: ExecutionContext): Promise<SecurityHubFixture> {
  const emulator = await startAwsEmulator();
  const backoffs: number[] = [];
  const quickRetries: RetryOptions = {
    baseDelayMs: 1,
    maxDelayMs: 2,
    // Backoff is recorded, not waited for; pacing waits for real, so the emulator's limits hold.
    sleep: (ms) => {
      backoffs.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 1)));
    },
    random: () => 0.5,
  };
  const made: (SecurityHubClient | STSClient)[] = [];
  const newClient = (region: string, retry: RetryOptions): SecurityHubClient => {
    const client = new SecurityHubClient({ ...emulatorClientConfig(emulator, { region }), retryStrategy: new BackoffRetryStrategy(retry) });
    made.push(client);
    return client;
  };
  const clients = new Map<string, SecurityHubClient>();
  const clientFor = (region: string): SecurityHubClient => {
    let client = clients.get(region);
    if (client === undefined) {
      client = newClient(region, quickRetries);
      clients.set(region, client);
    }
    return client;
  };
  const sts = new STSClient({ ...emulatorClientConfig(emulator), retryStrategy: new BackoffRetryStrategy(quickRetries) });
  made.push(sts);
  t.teardown(async () => {
    for (const client of made) client.destroy();
    await emulator.close();
  });
  return {
    emulator,
    scope: { accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION },
    securityHub: clientFor(TEST_REGION),
    sts,
    backoffs,
    sink: (rules, options = {}) => {
      const region = options.region ?? TEST_REGION;
      return new SecurityHubSink({
        rules,
        now: () => new Date(),
        region,
        clients: { securityHub: options.retry === undefined ? clientFor(region) : newClient(region, options.retry), sts },
        // Sinks here import alone: a short settle period before they read back what they wrote.
        guard: { settleMs: 20 },
        ...options,
      });
    },
    stored: (region = TEST_REGION) => emulator.state.securityHub.findings({ accountId: TEST_CREDENTIAL.accountId, region }),
    calls: (operation) => emulator.state.requestLog.filter((entry) => entry.operation === operation).length,
  };
}

/** Writes the findings through the sink as a run would. */
export function writeRun(sink: SecurityHubSink, findings: readonly AwsSecurityFinding[]): Promise<SinkOutcome | undefined> {
  return sink.write(findings, emptySummary());
}

/** A buffer standing in for stdout. */
export function textBuffer(): { write(text: string): void; readonly text: string } {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
    },
    get text() {
      return text;
    },
  };
}
