import test from 'ava';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { emulatorEnvironment, startAwsEmulator } from '../support/aws-emulator/index.js';
import { spawnLfvaudit } from './cli-process.js';
import { loadEvents, nightlyProject, readState } from './nightly-job.js';

// SIGINT (Ctrl-C) or SIGTERM (a scheduler's timeout, `docker stop`) while a nightly run waits on a slow
// LookupEvents answer. The run must end with one line on stderr (no stack trace), release its lock,
// record no window, and exit 130 or 143 (128 + the signal's number), as shells report a death by signal.

for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test.serial(`${signal} during a slow read: one line on stderr, exit ${status}, no lock left, no window recorded`, async (t) => {
    const emulator = await startAwsEmulator();
    t.teardown(() => emulator.close());
    loadEvents(emulator, new Date(Date.now() - 5 * 3_600_000));
    // Every LookupEvents answer takes 20 s: the run is blocked in a read when the signal comes.
    emulator.faults.inject({ operation: 'LookupEvents', kind: 'slow', delayMs: 20_000, times: 100 });
    const dir = await nightlyProject(t);
    const run = spawnLfvaudit(dir, ['run'], emulatorEnvironment(emulator));
    const waiting = Date.now();
    while (!emulator.state.requestLog.some((entry) => entry.operation === 'LookupEvents')) {
      if (Date.now() - waiting > 60_000) throw new Error('the run never asked for events');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lock = path.join(dir, '.lfvaudit/state.json.lock');
    t.true(
      await access(lock).then(
        () => true,
        () => false,
      ),
      'the run holds its lock while it reads',
    );
    const sent = Date.now();
    run.child.kill(signal);
    const exit = await run.exit;

    t.is(exit.signal, null);
    t.is(exit.status, status, exit.stderr);
    t.deepEqual(
      exit.stderr.split('\n').filter((line) => line !== ''),
      [`lfvaudit: stopped by ${signal} before it finished; exit status ${status}`],
    );
    t.is(exit.stdout, '');
    t.false(
      await access(lock).then(
        () => true,
        () => false,
      ),
      'the lock is left behind',
    );
    t.is(await readState(dir), undefined);
    t.true(Date.now() - sent < 15_000, 'the run did not stop until the slow answer came');
    t.log(`${signal}: stopped ${Date.now() - sent} ms after the signal`);
  });
}

test.serial('SIGTERM during a retry backoff: the process ends at once, not when the backoff timer fires', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());
  loadEvents(emulator, new Date(Date.now() - 5 * 3_600_000));
  // Every answer is a throttle. The run's two LookupEvents calls (one per page stream) each wait 0.5-1 s,
  // 1-2 s, 2-4 s, then 4-8 s after their fourth answer: the signal comes at the start of that wait.
  emulator.faults.inject({ operation: 'LookupEvents', kind: 'throttle', times: 100 });
  const dir = await nightlyProject(t);
  const run = spawnLfvaudit(dir, ['run'], emulatorEnvironment(emulator));
  const waiting = Date.now();
  while (emulator.state.requestLog.filter((entry) => entry.operation === 'LookupEvents').length < 8) {
    if (Date.now() - waiting > 60_000) throw new Error('the run never retried four times');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const sent = Date.now();
  run.child.kill('SIGTERM');
  const exit = await run.exit;

  t.is(exit.status, 143, exit.stderr);
  t.is(exit.stderr, 'lfvaudit: stopped by SIGTERM before it finished; exit status 143\n');
  t.is(await readState(dir), undefined);
  const stoppedAfter = Date.now() - sent;
  t.log(`stopped ${stoppedAfter} ms after the signal`);
  t.true(stoppedAfter < 1_500, `the process lived on ${stoppedAfter} ms, until the backoff timer fired`);
});
