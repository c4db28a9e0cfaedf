import type { ExecutionContext } from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvEvents } from '../support/finding-runs.js';
import { tempFolder } from '../support/temp-folder.js';

// The nightly job of the hardening tests: LookupEvents in two regions, Security Hub out, a state file.

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const CONFIG = `params:
  mfaRequiredActions: [CreateDataset, DeleteProject, DetectAnomalies]
sources:
  - type: cloudtrail
    regions: [us-east-1, eu-west-1]
    allowEmpty: true     # a run soon after a complete one may find only the overlap hour, with no calls in it
scheduled: true
sinks:
  - type: securityhub
securityHub:
  settleSeconds: 0.05
state:
  lookbackHours: 8
`;
/** Events per region: two LookupEvents pages each, and more findings than one import call takes. */
const EVENTS_PER_REGION = 100;

/** The same calls in both regions, 2 to 5 hours old: inside the window whatever the minute of the hour. */
export function loadEvents(emulator: AwsEmulator, start: Date): number {
  const spacing = Math.floor((3 * 3_600_000) / EVENTS_PER_REGION);
  const events = ['us-east-1', 'eu-west-1'].flatMap((region) =>
    lfvEvents(EVENTS_PER_REGION, start, spacing, { principals: 60, idPrefix: region }).map((event) => ({ ...event, awsRegion: region })),
  );
  emulator.state.cloudTrail.load(events);
  return events.length;
}

export async function nightlyProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'crash');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), CONFIG);
  return dir;
}

/** What a finding says, without the times a run stamps on it (CreatedAt, UpdatedAt, ProcessedAt). */
export function withoutRunTimes(findings: readonly AwsSecurityFinding[]): unknown[] {
  return findings
    .map((finding) => {
      const { CreatedAt: _created, UpdatedAt: _updated, ProcessedAt: _processed, ...rest } = finding as AwsSecurityFinding & { ProcessedAt?: string };
      return rest;
    })
    .sort((a, b) => String(a.Id).localeCompare(String(b.Id)));
}

/** The stored findings of both regions' Security Hubs. */
export function storedFindings(emulator: AwsEmulator): AwsSecurityFinding[] {
  return ['us-east-1', 'eu-west-1'].flatMap((region) => emulator.state.securityHub.findings({ ...SCOPE, region }) as unknown as AwsSecurityFinding[]);
}

export function mfaEventTotal(findings: readonly AwsSecurityFinding[]): number {
  return findings
    .filter((finding) => String(finding.Id).startsWith('lfvaudit/lfv-mfa-required/'))
    .reduce((sum, finding) => sum + Number(finding.ProductFields?.['lfvaudit/EventCount']), 0);
}

/** Each scope's completed window and run count, without the time it was written. */
export function windowsOf(state: unknown): Record<string, unknown> {
  const scopes = (state as { scopes: Record<string, { lastCompletedEnd: string; runs: number }> }).scopes;
  return Object.fromEntries(Object.entries(scopes).map(([scope, { lastCompletedEnd, runs }]) => [scope, { lastCompletedEnd, runs }]));
}

/**
 * The windows a run without faults over the events of `loadEvents(…, start)` records at this moment. A
 * scheduled run's recorded end follows the clock (now less the delivery lag, to the hour), so a test
 * that compares a later run with a reference made at its start fails whenever an hour boundary passes
 * in between; such a test compares with this instead when the two differ.
 */
export async function windowsOfCleanRun(t: ExecutionContext, start: Date): Promise<Record<string, unknown>> {
  const emulator = await startAwsEmulator();
  try {
    loadEvents(emulator, start);
    const dir = await nightlyProject(t);
    const run = await runToEnd(dir, emulator);
    if (run.status !== 0) throw new Error(`the clean run failed: ${run.stderr}`);
    return windowsOf(await readState(dir));
  } finally {
    await emulator.close();
  }
}

export async function readState(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8')) as unknown;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A run to completion, in this process through main() (the killed runs are the separate processes): the
 * SDK reads the emulator's endpoint and keys from the environment, and the lock's holder is this host,
 * so a dead run's lock is judged by its pid.
 */
export async function runToEnd(
  dir: string,
  emulator: AwsEmulator,
  env: Readonly<Record<string, string>> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnvironment(emulator), env);
  try {
    const io = { ...capturedIo(dir, { now: new Date() }), hostname: os.hostname() };
    const status = await main(['run'], io);
    return { status, stdout: io.out(), stderr: io.err() };
  } finally {
    process.env = saved;
  }
}
