import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import fc from 'fast-check';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvEvents } from '../support/finding-runs.js';
import { spawnLfvaudit, type CliExit } from './cli-process.js';

// The nightly job as a process, killed with SIGKILL at seeded random points of its conversation with the
// loopback emulator (LookupEvents pages in two regions, GetFindings, BatchImportFindings), then run again
// to completion. Security Hub must end exactly as after one uninterrupted run, the state file must parse
// whenever it exists, no event may be skipped, and the dead run's lock must not block the re-run.

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const CONFIG = `params:
  mfaRequiredActions: [CreateDataset, DeleteProject, DetectAnomalies]
sources:
  - type: cloudtrail
    regions: [us-east-1, eu-west-1]
sinks:
  - type: securityhub
state:
  lookbackHours: 8
`;
/** Events per region: two LookupEvents pages each, and more findings than one import call takes. */
const EVENTS_PER_REGION = 100;
const KILL_POINTS = 4;

/** The same calls in both regions, 2 to 5 hours old: inside the window whatever the minute of the hour. */
function loadEvents(emulator: AwsEmulator, start: Date): number {
  const spacing = Math.floor((3 * 3_600_000) / EVENTS_PER_REGION);
  const events = ['us-east-1', 'eu-west-1'].flatMap((region) =>
    lfvEvents(EVENTS_PER_REGION, start, spacing, { principals: 60, idPrefix: region }).map((event) => ({ ...event, awsRegion: region })),
  );
  emulator.state.cloudTrail.load(events);
  return events.length;
}

async function project(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lfvaudit-crash-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), CONFIG);
  return dir;
}

/** What a finding says, without the times a run stamps on it (CreatedAt, UpdatedAt, ProcessedAt). */
function withoutRunTimes(findings: readonly AwsSecurityFinding[]): unknown[] {
  return findings
    .map((finding) => {
      const { CreatedAt: _created, UpdatedAt: _updated, ProcessedAt: _processed, ...rest } = finding as AwsSecurityFinding & { ProcessedAt?: string };
      return rest;
    })
    .sort((a, b) => String(a.Id).localeCompare(String(b.Id)));
}

/** The stored findings of both regions' Security Hubs. */
function storedFindings(emulator: AwsEmulator): AwsSecurityFinding[] {
  return ['us-east-1', 'eu-west-1'].flatMap((region) => emulator.state.securityHub.findings({ ...SCOPE, region }) as unknown as AwsSecurityFinding[]);
}

function mfaEventTotal(findings: readonly AwsSecurityFinding[]): number {
  return findings
    .filter((finding) => String(finding.Id).startsWith('lfvaudit/lfv-mfa-required/'))
    .reduce((sum, finding) => sum + Number(finding.ProductFields?.['lfvaudit/EventCount']), 0);
}

/** Each scope's completed window and run count, without the time it was written. */
function windowsOf(state: unknown): Record<string, unknown> {
  const scopes = (state as { scopes: Record<string, { lastCompletedEnd: string; runs: number }> }).scopes;
  return Object.fromEntries(Object.entries(scopes).map(([scope, { lastCompletedEnd, runs }]) => [scope, { lastCompletedEnd, runs }]));
}

async function readState(dir: string): Promise<unknown> {
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
async function runToEnd(dir: string, emulator: AwsEmulator): Promise<{ status: number; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnvironment(emulator));
  try {
    const io = { ...capturedIo(dir, { now: new Date() }), hostname: os.hostname() };
    const status = await main(['run'], io);
    return { status, stderr: io.err() };
  } finally {
    process.env = saved;
  }
}

/** Runs the CLI and kills it with SIGKILL once the emulator has received `requests` requests from it. */
async function runAndKill(dir: string, emulator: AwsEmulator, requests: number): Promise<CliExit> {
  const run = spawnLfvaudit(dir, ['run'], emulatorEnvironment(emulator));
  const watch = setInterval(() => {
    if (emulator.state.requestLog.length >= requests) run.child.kill('SIGKILL');
  }, 1);
  try {
    return await run.exit;
  } finally {
    clearInterval(watch);
  }
}

test.serial('SIGKILL at random points of a nightly run, then a re-run: Security Hub ends as after one uninterrupted run, nothing skipped', async (t) => {
  // The uninterrupted run: what every crashed-then-rerun job must end with.
  const reference = await startAwsEmulator();
  t.teardown(() => reference.close());
  const start = new Date(Date.now() - 5 * 3_600_000);
  const eventCount = loadEvents(reference, start);
  const referenceDir = await project(t);
  const uninterrupted = await runToEnd(referenceDir, reference);
  t.is(uninterrupted.status, 0, uninterrupted.stderr);
  const expected = withoutRunTimes(storedFindings(reference));
  const totalRequests = reference.state.requestLog.length;
  const imports = reference.state.requestLog.filter((entry) => entry.operation === 'BatchImportFindings').length;
  t.is(mfaEventTotal(storedFindings(reference)), eventCount);
  t.true(imports >= 2, `only ${imports} import calls: the kill points could not fall between them`);
  const referenceWindows = windowsOf(await readState(referenceDir));

  // Seeded kill points spread over the whole conversation, imports included.
  const firstImport = reference.state.requestLog.findIndex((entry) => entry.operation === 'BatchImportFindings') + 1;
  // Two during the imports (the first in flight, the second after the first stored its findings), the rest anywhere.
  const killPoints = [...fc.sample(fc.integer({ min: 1, max: totalRequests }), { seed: 7, numRuns: KILL_POINTS - 2 }), firstImport, firstImport + 1].sort((a, b) => a - b);
  const outcomes: string[] = [];
  for (const killAt of killPoints) {
    const emulator = await startAwsEmulator();
    try {
      loadEvents(emulator, start);
      // Imports take a moment, as over a real network: a kill can land while one is in flight.
      emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'slow', delayMs: 150, times: 10 });
      const dir = await project(t);
      const killed = await runAndKill(dir, emulator, killAt);
      const stateAfterKill = await readState(dir); // throws if the file is corrupt
      const importedBeforeKill = storedFindings(emulator).length;
      const lockLeft = await access(path.join(dir, '.lfvaudit/state.json.lock')).then(() => true, () => false);
      const rerun = await runToEnd(dir, emulator);
      t.is(rerun.status, 0, `kill at request ${killAt}: ${rerun.stderr}`);
      t.deepEqual(withoutRunTimes(storedFindings(emulator)), expected, `kill at request ${killAt}`);
      t.is(mfaEventTotal(storedFindings(emulator)), eventCount, `kill at request ${killAt}`);
      t.deepEqual(windowsOf(await readState(dir)), referenceWindows, `kill at request ${killAt}`);
      outcomes.push(`request ${killAt}/${totalRequests} (${killed.signal ?? `exit ${killed.status}`}, ${importedBeforeKill} findings imported before, state ${stateAfterKill === undefined ? 'absent' : 'parsed'}, lock ${lockLeft ? 'left behind' : 'absent'})`);
    } finally {
      await emulator.close();
    }
  }
  t.log(`${eventCount} events, ${expected.length} findings, ${totalRequests} requests uninterrupted (${imports} imports); killed at: ${outcomes.join('; ')}`);
});
