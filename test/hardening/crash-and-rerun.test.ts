import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { spawnLfvaudit, type CliExit } from './cli-process.js';
import {
  loadEvents,
  mfaEventTotal,
  nightlyProject,
  readState,
  runToEnd,
  storedFindings,
  windowsOf,
  windowsOfCleanRun,
  withoutRunTimes,
} from './nightly-job.js';

// The nightly job as a process, killed with SIGKILL at seeded random points of its conversation with the
// loopback emulator (LookupEvents pages in two regions, GetFindings, BatchImportFindings), then run again
// to completion. Security Hub must end exactly as after one uninterrupted run, the state file must parse
// whenever it exists, no event may be skipped, and the dead run's lock must not block the re-run.

const KILL_POINTS = 4;

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
  const referenceDir = await nightlyProject(t);
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
  const killPoints = [...fc.sample(fc.integer({ min: 1, max: totalRequests }), { seed: 7, numRuns: KILL_POINTS - 2 }), firstImport, firstImport + 1].sort(
    (a, b) => a - b,
  );
  const outcomes: string[] = [];
  for (const killAt of killPoints) {
    const emulator = await startAwsEmulator();
    try {
      loadEvents(emulator, start);
      // Imports take a moment, as over a real network: a kill can land while one is in flight.
      emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'slow', delayMs: 150, times: 10 });
      const dir = await nightlyProject(t);
      const killed = await runAndKill(dir, emulator, killAt);
      const stateAfterKill = await readState(dir); // throws if the file is corrupt
      const importedBeforeKill = storedFindings(emulator).length;
      const lockLeft = await access(path.join(dir, '.lfvaudit/state.json.lock')).then(
        () => true,
        () => false,
      );
      const rerun = await runToEnd(dir, emulator);
      t.is(rerun.status, 0, `kill at request ${killAt}: ${rerun.stderr}`);
      t.deepEqual(withoutRunTimes(storedFindings(emulator)), expected, `kill at request ${killAt}`);
      t.is(mfaEventTotal(storedFindings(emulator)), eventCount, `kill at request ${killAt}`);
      const windows = windowsOf(await readState(dir));
      t.deepEqual(windows, isDeepStrictEqual(windows, referenceWindows) ? referenceWindows : await windowsOfCleanRun(t, start), `kill at request ${killAt}`);
      outcomes.push(
        `request ${killAt}/${totalRequests} (${killed.signal ?? `exit ${killed.status}`}, ${importedBeforeKill} findings imported before, state ${stateAfterKill === undefined ? 'absent' : 'parsed'}, lock ${lockLeft ? 'left behind' : 'absent'})`,
      );
    } finally {
      await emulator.close();
    }
  }
  t.log(`${eventCount} events, ${expected.length} findings, ${totalRequests} requests uninterrupted (${imports} imports); killed at: ${outcomes.join('; ')}`);
});
