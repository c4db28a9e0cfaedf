/** Shared set-up for the emulator's own tests: an emulator on a manual clock and real SDK clients pointed at it. */
import type { ExecutionContext } from 'ava';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type BatchImportFindingsCommandOutput,
  type BatchUpdateFindingsCommandInput,
  type BatchUpdateFindingsCommandOutput,
  type GetFindingsCommandInput,
  type GetFindingsCommandOutput,
} from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import {
  defaultProductArn,
  emulatorClientConfig,
  ManualClock,
  startAwsEmulator,
  TEST_CREDENTIAL,
  TEST_REGION,
  type AccountRegion,
  type AwsEmulator,
  type AwsEmulatorOptions,
} from '../support/aws-emulator/index.js';
import { lfvRecord } from '../support/lfv-record.js';

export interface EmulatedAws {
  readonly emulator: AwsEmulator;
  readonly clock: ManualClock;
  /** The test credential's account in TEST_REGION. */
  readonly scope: AccountRegion;
  readonly productArn: string;
  /** Clients that make one attempt only, so tests see the raw answer. */
  readonly cloudTrail: CloudTrailClient;
  readonly securityHub: SecurityHubClient;
  readonly sts: STSClient;
  /** These move the clock on by a second first, so a test trips no rate limit it is not about. */
  lookupEvents(input: LookupEventsCommandInput): Promise<LookupEventsCommandOutput>;
  importFindings(findings: AwsSecurityFinding[]): Promise<BatchImportFindingsCommandOutput>;
  getFindings(input: GetFindingsCommandInput): Promise<GetFindingsCommandOutput>;
  updateFindings(input: BatchUpdateFindingsCommandInput): Promise<BatchUpdateFindingsCommandOutput>;
}

export async function emulatedAws(t: ExecutionContext, options: Omit<AwsEmulatorOptions, 'clock'> = {}): Promise<EmulatedAws> {
  // Whole seconds, like CloudTrail's eventTime.
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  const emulator = await startAwsEmulator({ ...options, clock });
  const config = { ...emulatorClientConfig(emulator), maxAttempts: 1 };
  const cloudTrail = new CloudTrailClient(config);
  const securityHub = new SecurityHubClient(config);
  const sts = new STSClient(config);
  t.teardown(async () => {
    cloudTrail.destroy();
    securityHub.destroy();
    sts.destroy();
    await emulator.close();
  });
  const paced = <T>(send: () => Promise<T>): Promise<T> => {
    clock.advance(1000);
    return send();
  };
  return {
    emulator,
    clock,
    scope: { accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION },
    productArn: defaultProductArn({ accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION }),
    cloudTrail,
    securityHub,
    sts,
    lookupEvents: (input) => paced(() => cloudTrail.send(new LookupEventsCommand(input))),
    importFindings: (findings) => paced(() => securityHub.send(new BatchImportFindingsCommand({ Findings: findings }))),
    getFindings: (input) => paced(() => securityHub.send(new GetFindingsCommand(input))),
    updateFindings: (input) => paced(() => securityHub.send(new BatchUpdateFindingsCommand(input))),
  };
}

/** An ISO timestamp (whole seconds) `seconds` before the clock's current time. */
export function secondsAgo(clock: ManualClock, seconds: number): string {
  return new Date(clock.now() - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A Lookout for Vision record in the test account and region, `secondsBefore` the clock's time. */
export function recordAt(clock: ManualClock, secondsBefore: number, fields: Readonly<Record<string, unknown>> = {}): CloudTrailRecord {
  return lfvRecord({
    eventID: `event-${String(secondsBefore).padStart(6, '0')}`,
    eventTime: secondsAgo(clock, secondsBefore),
    recipientAccountId: TEST_CREDENTIAL.accountId,
    awsRegion: TEST_REGION,
    ...fields,
  });
}

/** A valid custom finding for the test account's default product; fields given replace the defaults. */
export function asffFinding(fields: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: 'lfvaudit/lfv-test-rule/0001',
    ProductArn: defaultProductArn({ accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION }),
    GeneratorId: 'lfvaudit/lfv-test-rule',
    AwsAccountId: TEST_CREDENTIAL.accountId,
    CreatedAt: '2026-01-01T00:00:00Z',
    UpdatedAt: '2026-01-01T00:00:00Z',
    Title: 'Lookout for Vision project created without tags',
    Description: 'A test finding.',
    Resources: [{ Type: 'Other', Id: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' }],
    FindingProviderFields: { Severity: { Label: 'HIGH', Original: 'HIGH' }, Types: ['Software and Configuration Checks/AWS Security Best Practices'] },
    ...fields,
  };
}
