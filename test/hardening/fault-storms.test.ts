import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import type { EmulatedOperation, FaultKind } from '../support/aws-emulator/index.js';
import { startAwsEmulator } from '../support/aws-emulator/index.js';
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

// Network fault storms from the emulator while the nightly job reads LookupEvents and imports into
// Security Hub (through main(), real SDK clients): every run either completes with exactly the findings
// of a run without faults, or exits 2 without advancing its window; never a wrong "complete". A clean
// run afterwards always ends exactly where a run without faults does: nothing lost, nothing doubled.

type Storm = readonly {
  readonly operation: EmulatedOperation;
  readonly kind: Exclude<FaultKind, 'slow' | 'failedFindings' | 'repeatNextToken'>;
  readonly probability: number;
  readonly times: number;
}[];

/** Seeded storms; `times` bounds each so retries can ride it out in seconds (the retry tests cover storms that never clear). */
const STORMS: Record<string, Storm> = {
  'resets and truncated bodies while reading': [
    { operation: 'LookupEvents', kind: 'reset', probability: 0.5, times: 2 },
    { operation: 'LookupEvents', kind: 'truncatedBody', probability: 0.5, times: 1 },
  ],
  '5xx and throttling while reading': [
    { operation: 'LookupEvents', kind: 'http503', probability: 0.5, times: 2 },
    { operation: 'LookupEvents', kind: 'throttle', probability: 0.5, times: 1 },
  ],
  'everything at once while importing': [
    { operation: 'GetFindings', kind: 'http503', probability: 0.5, times: 2 },
    { operation: 'BatchImportFindings', kind: 'reset', probability: 0.5, times: 1 },
    { operation: 'BatchImportFindings', kind: 'truncatedBody', probability: 0.5, times: 1 },
    { operation: 'BatchImportFindings', kind: 'http500', probability: 0.5, times: 1 },
    { operation: 'BatchImportFindings', kind: 'throttle', probability: 0.5, times: 1 },
  ],
  'both ends': [
    { operation: 'LookupEvents', kind: 'reset', probability: 0.3, times: 2 },
    { operation: 'GetFindings', kind: 'reset', probability: 0.3, times: 1 },
    { operation: 'BatchImportFindings', kind: 'truncatedBody', probability: 0.5, times: 2 },
  ],
};

test.serial('under each fault storm a run completes with the right findings or exits 2 leaving its window, and a clean run ends exactly right', async (t) => {
  const start = new Date(Date.now() - 5 * 3_600_000);
  const reference = await startAwsEmulator();
  t.teardown(() => reference.close());
  const eventCount = loadEvents(reference, start);
  const referenceDir = await nightlyProject(t);
  t.is((await runToEnd(referenceDir, reference)).status, 0);
  const expected = withoutRunTimes(storedFindings(reference));
  const expectedWindows = windowsOf(await readState(referenceDir));

  const outcomes: string[] = [];
  for (const [name, storm] of Object.entries(STORMS)) {
    const emulator = await startAwsEmulator();
    try {
      loadEvents(emulator, start);
      storm.forEach((fault, index) => emulator.faults.inject({ ...fault, seed: 1000 + index }));
      const dir = await nightlyProject(t);
      const stormy = await runToEnd(dir, emulator);
      const faults = emulator.state.requestLog.filter((entry) => entry.fault !== undefined).length;
      t.true(faults > 0, `${name}: no fault fired`);
      if (stormy.status === 0) {
        t.deepEqual(withoutRunTimes(storedFindings(emulator)), expected, `${name}: a complete run must have every finding right`);
        const windows = windowsOf(await readState(dir));
        t.deepEqual(windows, isDeepStrictEqual(windows, expectedWindows) ? expectedWindows : await windowsOfCleanRun(t, start), name);
      } else {
        t.is(stormy.status, 2, `${name}: ${stormy.stderr}`);
        t.is(await readState(dir), undefined, `${name}: an incomplete run must not record its window`);
      }
      const clean = await runToEnd(dir, emulator);
      t.is(clean.status, 0, `${name}: ${clean.stderr}`);
      t.deepEqual(withoutRunTimes(storedFindings(emulator)), expected, name);
      t.is(mfaEventTotal(storedFindings(emulator)), eventCount, name);
      outcomes.push(`${name}: ${faults} faults, ${stormy.status === 0 ? 'completed' : 'exit 2, window kept'}`);
    } finally {
      await emulator.close();
    }
  }
  t.log(`${eventCount} events, ${expected.length} findings; ${outcomes.join('; ')}; findings lost: 0`);
});

test.serial('a storm that never clears while importing makes the run exit 2 with the window kept, after the first batch was imported', async (t) => {
  const start = new Date(Date.now() - 5 * 3_600_000);
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());
  const eventCount = loadEvents(emulator, start);
  // The second import call is refused for good (not a transient code): its findings cannot be stored.
  const dir = await nightlyProject(t);
  emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'slow', delayMs: 0, times: 1 });
  emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'failedFindings', errorCode: 'InvalidInput', times: 1 });
  const failed = await runToEnd(dir, emulator);
  t.is(failed.status, 2);
  t.regex(failed.stderr, /sink-failed/);
  t.is(await readState(dir), undefined);
  t.true(storedFindings(emulator).length > 0, 'the first batch was imported');
  const clean = await runToEnd(dir, emulator);
  t.is(clean.status, 0, clean.stderr);
  t.is(mfaEventTotal(storedFindings(emulator)), eventCount);
});
