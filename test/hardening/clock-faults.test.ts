import test from 'ava';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { runScheduledAudit, ScheduledAuditError } from '../../src/audit/scheduled-audit.js';
import { FileSource } from '../../src/sources/file/file-source.js';
import { RunLockClockFaultError } from '../../src/state/run-lock.js';
import { AuditStateFileError } from '../../src/state/state-file-format.js';
import { emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { tempFolder } from '../support/temp-folder.js';
import { loadEvents, nightlyProject, storedFindings } from './nightly-job.js';
import { KeepingSink, scheduledOptions, trailFolder } from './scheduled-library.js';

// Clock faults (issue 16, point 4): a time in the future or an impossible date, in the state file, the
// run lock or on the command line, is an error naming the file or flag and the value: exit 2, nothing
// read, nothing recorded. Through main() for the nightly job (LookupEvents → Security Hub) and through
// runScheduledAudit for a library user.

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
/** The nightly job's progress key as version 1 of the state file wrote it, which this lfvaudit migrates. */
const VERSION_1_KEY = 'cloudtrail:us-east-1,eu-west-1';

async function withNightlyJob(t: Parameters<typeof nightlyProject>[0], run: (job: { dir: string; emulator: AwsEmulator }) => Promise<void>): Promise<void> {
  const emulator = await startAwsEmulator();
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnvironment(emulator));
  try {
    loadEvents(emulator, new Date(Date.now() - 5 * HOUR));
    await run({ dir: await nightlyProject(t), emulator });
  } finally {
    process.env = saved;
    await emulator.close();
  }
}

async function runIn(dir: string, argv: readonly string[] = ['run']): Promise<{ status: number; stderr: string }> {
  const io = { ...capturedIo(dir, { now: new Date() }), hostname: os.hostname() };
  const status = await main(argv, io);
  return { status, stderr: io.err() };
}

async function writeStateFile(dir: string, progress: { lastCompletedEnd: string; updatedAt: string }): Promise<string> {
  const file = path.join(dir, '.lfvaudit/state.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ version: 1, scopes: { [VERSION_1_KEY]: { ...progress, runs: 3 } } }));
  return file;
}

test.serial('a state file whose last completed window ends in the future is an error naming the file and the time; nothing is read or recorded', async (t) => {
  await withNightlyJob(t, async ({ dir, emulator }) => {
    const future = new Date(Date.now() + YEAR).toISOString();
    const file = await writeStateFile(dir, { lastCompletedEnd: future, updatedAt: new Date(Date.now() - HOUR).toISOString() });
    const before = await readFile(file, 'utf8');

    const run = await runIn(dir);

    t.is(run.status, 2, run.stderr);
    t.true(run.stderr.includes(file), run.stderr);
    t.regex(run.stderr, new RegExp(`lastCompletedEnd ${future.replace(/\./g, '\\.')} lies in the future`));
    t.notRegex(run.stderr, /nothing new to audit/);
    t.is(await readFile(file, 'utf8'), before);
    t.deepEqual(emulator.state.requestLog, []);
    t.deepEqual(storedFindings(emulator), []);
  });
});

for (const [name, impossible] of [
  ['30 February', '2025-02-30T00:00:00.000Z'],
  ['hour 24', '2025-10-20T24:00:00.000Z'],
] as const) {
  test.serial(`an impossible date in the state file (${name}) is an error naming the file and the value, never rolled over`, async (t) => {
    await withNightlyJob(t, async ({ dir, emulator }) => {
      const file = await writeStateFile(dir, { lastCompletedEnd: impossible, updatedAt: '2025-10-01T00:00:00.000Z' });
      const before = await readFile(file, 'utf8');

      const run = await runIn(dir);

      t.is(run.status, 2, run.stderr);
      t.true(run.stderr.includes(`${file}: unusable audit state`), run.stderr);
      t.true(run.stderr.includes(`lastCompletedEnd: expected a valid ISO 8601 time such as 2025-10-20T06:00:00.000Z, got "${impossible}"`), run.stderr);
      t.is(await readFile(file, 'utf8'), before);
      t.deepEqual(emulator.state.requestLog, []);
    });
  });
}

for (const [name, lock] of [
  ['startedAt', { startedAt: YEAR, modified: 0 }],
  ['heartbeat (the lock file’s mtime)', { startedAt: -HOUR, modified: 24 * HOUR }],
] as const) {
  test.serial(`a lock from another host whose ${name} lies in the future is an error naming the lock and the time, and state unlock clears it`, async (t) => {
    await withNightlyJob(t, async ({ dir, emulator }) => {
      const lockFile = path.join(dir, '.lfvaudit/state.json.lock');
      await mkdir(path.dirname(lockFile), { recursive: true });
      const startedAt = new Date(Date.now() + lock.startedAt);
      await writeFile(lockFile, JSON.stringify({ pid: 4242, hostname: 'other-host', startedAt: startedAt.toISOString() }));
      const modified = new Date(Math.floor((Date.now() + lock.modified) / 1000) * 1000); // whole seconds: every file system keeps them
      await utimes(lockFile, modified, modified);
      const shown = lock.startedAt > 0 ? startedAt.toISOString() : modified.toISOString();

      const run = await runIn(dir);

      t.is(run.status, 2, run.stderr);
      t.true(run.stderr.includes(`${lockFile}: clock fault: the lock of pid 4242 on host other-host has`), run.stderr);
      t.true(run.stderr.includes(`${shown}, `), run.stderr);
      t.regex(run.stderr, /in the future/);
      t.deepEqual(emulator.state.requestLog, []);

      const unlock = await runIn(dir, ['state', 'unlock']);
      t.is(unlock.status, 0, unlock.stderr);
      t.regex(unlock.stderr, /removed the lock of pid 4242 on host other-host/);
      const next = await runIn(dir);
      t.is(next.status, 0, next.stderr);
    });
  });
}

/** A project auditing a local trail folder whose calls lie in October 2025. */
async function fileProject(t: Parameters<typeof tempFolder>[0]): Promise<string> {
  const dir = tempFolder(t, 'state');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await trailFolder(dir, new Date('2025-10-20T01:00:00Z'), 5);
  return dir;
}

for (const [flag, value] of [
  ['--since', '2025-02-30'],
  ['--since', '2024-02-30T10:00:00Z'],
  ['--until', '2025-04-31'],
  ['--until', '2025-10-20T24:00'],
  ['--since', '2025-10-20T24:00:00Z'],
  ['--until', '2025-02-29'],
] as const) {
  test(`${flag} ${value} is refused naming the flag and the value, never rolled over to a later day`, async (t) => {
    const dir = await fileProject(t);
    const io = capturedIo(dir, { now: new Date('2026-01-01T00:00:00Z') });
    const other = flag === '--since' ? ['--until', '2025-12-01'] : ['--since', '2025-01-01'];
    t.is(await main(['run', '--source', 'file:logs', flag, value, ...other], io), 2, io.err());
    t.true(io.err().includes(`${flag} ${JSON.stringify(value)}: expected a valid ISO time`), io.err());
    t.is(io.out(), '');
  });
}

test('--since in the future is an error naming the flag and the value, not an empty audit with exit 0', async (t) => {
  const dir = await fileProject(t);
  const io = capturedIo(dir, { now: new Date('2026-01-01T00:00:00Z') });
  t.is(await main(['run', '--source', 'file:logs', '--since', '2026-03-01'], io), 2, io.err());
  t.regex(io.err(), /--since "2026-03-01" \(2026-03-01T00:00:00\.000Z\) is not before now \(2026-01-01T00:00:00\.000Z\): the window would be empty/);
  t.is(io.out(), '');
});

test('runScheduledAudit refuses a recorded window that ends in the future, before reading or writing anything', async (t) => {
  const folder = tempFolder(t, 'state');
  const logs = await trailFolder(folder, new Date('2025-10-20T01:00:00Z'), 5);
  const stateFile = path.join(folder, 'state.json');
  const text = JSON.stringify({
    version: 2,
    scopes: { 'test-key': { lastCompletedEnd: '2031-01-01T00:00:00.000Z', updatedAt: '2025-10-20T00:00:00.000Z', runs: 1 } },
  });
  await writeFile(stateFile, text);
  const sink = new KeepingSink();
  const options = scheduledOptions({ sources: [new FileSource(logs)], stateFile, now: new Date('2025-10-21T00:00:00Z'), sink });

  const error = await t.throwsAsync(runScheduledAudit(options), { instanceOf: ScheduledAuditError });

  t.is(
    error?.message.startsWith(`${stateFile}: scopes["test-key"].lastCompletedEnd 2031-01-01T00:00:00.000Z lies in the future (now 2025-10-21T00:00:00.000Z)`),
    true,
    error?.message,
  );
  t.is(sink.writes, 0);
  t.is(await readFile(stateFile, 'utf8'), text);
});

test('runScheduledAudit refuses a start in the future and an impossible date in the state file', async (t) => {
  const folder = tempFolder(t, 'state');
  const logs = await trailFolder(folder, new Date('2025-10-20T01:00:00Z'), 5);
  const stateFile = path.join(folder, 'state.json');
  const sink = new KeepingSink();
  const now = new Date('2025-10-21T00:00:00Z');
  const options = scheduledOptions({ sources: [new FileSource(logs)], stateFile, now, sink });

  await t.throwsAsync(runScheduledAudit({ ...options, since: new Date('2025-10-22T00:00:00Z') }), {
    instanceOf: ScheduledAuditError,
    message: /^since 2025-10-22T00:00:00\.000Z is not before now/,
  });
  await writeFile(
    stateFile,
    JSON.stringify({ version: 2, scopes: { 'test-key': { lastCompletedEnd: '2025-02-30T00:00:00.000Z', updatedAt: '2025-10-20T00:00:00.000Z', runs: 1 } } }),
  );
  await t.throwsAsync(runScheduledAudit(options), {
    instanceOf: AuditStateFileError,
    message: /lastCompletedEnd: expected a valid ISO 8601 time .*"2025-02-30T00:00:00\.000Z"/,
  });
  t.is(sink.writes, 0);
});

test('runScheduledAudit refuses a lock from another host that started in the future, naming the lock file', async (t) => {
  const folder = tempFolder(t, 'state');
  const logs = await trailFolder(folder, new Date('2025-10-20T01:00:00Z'), 5);
  const stateFile = path.join(folder, 'state.json');
  await writeFile(`${stateFile}.lock`, JSON.stringify({ pid: 4242, hostname: 'other-host', startedAt: '2030-01-01T00:00:00.000Z' }));
  const sink = new KeepingSink();
  const options = scheduledOptions({ sources: [new FileSource(logs)], stateFile, now: new Date(), sink });

  const error = await t.throwsAsync(runScheduledAudit(options), { instanceOf: RunLockClockFaultError });

  t.regex(error?.message ?? '', /state\.json\.lock: clock fault: .* startedAt 2030-01-01T00:00:00\.000Z, .* in the future/);
  t.is(sink.writes, 0);
});
