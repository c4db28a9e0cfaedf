/** Set-up for the Security Hub sink tests: the loopback emulator on real time, and real SDK clients pointed at it. */
import type { ExecutionContext } from 'ava';
import type { SinkOutcome } from '../../src/sinks/finding-sink.js';
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { SecurityHubSink, type SecurityHubSinkOptions } from '../../src/sinks/securityhub-sink.js';
import type { SecurityHubFindingsApiOptions } from '../../src/securityhub/api.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { emulatorClientConfig, startAwsEmulator, TEST_CREDENTIAL, TEST_REGION, type AccountRegion, type AsffFinding, type AwsEmulator } from '../support/aws-emulator/index.js';
import { emptySummary } from '../support/audit-summary.js';

export interface SecurityHubFixture {
  readonly emulator: AwsEmulator;
  readonly scope: AccountRegion;
  /** Clients that make one attempt per send, as the sink's own do. */
  readonly securityHub: SecurityHubClient;
  readonly sts: STSClient;
  /** Backoff waits the sinks asked for, in ms (they do not actually wait). */
  readonly backoffs: number[];
  /** A sink on these clients for the test account, with near-zero backoff; options given replace the defaults. */
  sink(rules: readonly ResolvedRule[], options?: Partial<SecurityHubSinkOptions>): SecurityHubSink;
  /** What Security Hub now holds in a region of the test account, ordered by Id. */
  stored(region?: string): AsffFinding[];
  /** How many requests of an operation reached the emulator. */
  calls(operation: string): number;
}

export async function securityHubFixture(t: ExecutionContext): Promise<SecurityHubFixture> {
  const emulator = await startAwsEmulator();
  const clients = new Map<string, SecurityHubClient>();
  const clientFor = (region: string): SecurityHubClient => {
    let client = clients.get(region);
    if (client === undefined) {
      client = new SecurityHubClient({ ...emulatorClientConfig(emulator, { region }), maxAttempts: 1 });
      clients.set(region, client);
    }
    return client;
  };
  const sts = new STSClient({ ...emulatorClientConfig(emulator), maxAttempts: 1 });
  t.teardown(async () => {
    for (const client of clients.values()) client.destroy();
    sts.destroy();
    await emulator.close();
  });
  const backoffs: number[] = [];
  const api: SecurityHubFindingsApiOptions = {
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    // Backoff is recorded, not waited for; pacing waits for real, so the emulator's limits hold.
    sleep: (ms) => {
      backoffs.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 1)));
    },
    random: () => 0.5,
  };
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
        clients: { securityHub: clientFor(region), sts },
        api,
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
