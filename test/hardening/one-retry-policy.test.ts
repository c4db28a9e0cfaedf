import test from 'ava';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createCloudTrailClient } from '../../src/aws/cloudtrail-client.js';
import { createS3Client } from '../../src/aws/s3-client.js';
import { createSecurityHubClient, createStsClient } from '../../src/aws/securityhub-clients.js';
import { emulatorClientConfig, emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';

// Every AWS client lfvaudit builds retries by one policy, run by the SDK's own retry middleware: the
// same fault gets the same number of attempts and the same backoff waits, whichever service it hits.
// Security Hub and STS clients take their endpoint from the environment, as the CLI's do.

test.serial.before(() => {
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
});

/** A transient fault that never clears, on each kind of client: whether it is retried, and how, is the policy's. */
interface Case {
  readonly service: string;
  /** Sends one call through a client built by lfvaudit with `retry`; resolves with the error it failed with. */
  readonly failedCall: (emulator: AwsEmulator, retry: object) => Promise<unknown>;
  /** Attempts that reached a server, counted by the emulator (undefined where nothing can be reached). */
  readonly attemptsSeen: (emulator: AwsEmulator) => number | undefined;
}

/** The discard port: nothing listens there, so every attempt is refused at once. */
const UNREACHABLE = 'http://127.0.0.1:9';

function requests(emulator: AwsEmulator, operation: string): number {
  return emulator.state.requestLog.filter((entry) => entry.operation === operation).length;
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

const CASES: readonly Case[] = [
  {
    service: 'CloudTrail LookupEvents, throttled',
    failedCall: async (emulator, retry) => {
      emulator.faults.inject({ operation: 'LookupEvents', kind: 'throttle', times: Number.POSITIVE_INFINITY });
      const client = createCloudTrailClient(undefined, { ...emulatorClientConfig(emulator), retry });
      const now = Date.now();
      return failure(client.send(new LookupEventsCommand({ StartTime: new Date(now - 3_600_000), EndTime: new Date(now) })).finally(() => client.destroy()));
    },
    attemptsSeen: (emulator) => requests(emulator, 'LookupEvents'),
  },
  {
    service: 'Security Hub GetFindings, HTTP 500',
    failedCall: async (emulator, retry) => {
      emulator.faults.inject({ operation: 'GetFindings', kind: 'http500', times: Number.POSITIVE_INFINITY });
      Object.assign(process.env, emulatorEnvironment(emulator));
      const client = createSecurityHubClient(undefined, { retry });
      return failure(client.send(new GetFindingsCommand({})).finally(() => client.destroy()));
    },
    attemptsSeen: (emulator) => requests(emulator, 'GetFindings'),
  },
  {
    service: 'STS GetCallerIdentity, connection reset',
    failedCall: async (emulator, retry) => {
      emulator.faults.inject({ operation: 'GetCallerIdentity', kind: 'reset', times: Number.POSITIVE_INFINITY });
      Object.assign(process.env, emulatorEnvironment(emulator));
      const client = createStsClient(undefined, retry);
      return failure(client.send(new GetCallerIdentityCommand({})).finally(() => client.destroy()));
    },
    attemptsSeen: (emulator) => requests(emulator, 'GetCallerIdentity'),
  },
  {
    service: 'S3 ListObjectsV2, connection refused',
    failedCall: async (emulator, retry) => {
      const client = createS3Client({ ...emulatorClientConfig(emulator), endpoint: UNREACHABLE, forcePathStyle: true, retry });
      return failure(client.send(new ListObjectsV2Command({ Bucket: 'trail-bucket' })).finally(() => client.destroy()));
    },
    attemptsSeen: () => undefined,
  },
];

for (const { service, failedCall, attemptsSeen } of CASES) {
  test.serial(`${service}: given up after the policy's 3 attempts, with its backoff waits of 30 and 60 ms`, async (t) => {
    const emulator = await startAwsEmulator();
    t.teardown(() => emulator.close());
    const waits: number[] = [];
    const retry = {
      maxAttempts: 3,
      baseDelayMs: 40,
      maxDelayMs: 1000,
      random: () => 0.5,
      sleep: (ms: number) => {
        waits.push(ms);
        return Promise.resolve();
      },
    };

    const error = await failedCall(emulator, retry);

    t.deepEqual(waits, [30, 60]);
    t.like(error, { $metadata: { attempts: 3 } });
    const seen = attemptsSeen(emulator);
    if (seen !== undefined) t.is(seen, 3);
  });
}
