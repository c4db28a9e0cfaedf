import test from 'ava';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { acquireRunLock, runLockPath, RunLockClockFaultError, RunLockHeldError, type RunLock } from '../../src/state/run-lock.js';
import { readLockFile } from '../../src/state/lock-file.js';
import { takeoverClaimPath } from '../../src/state/lock-takeover.js';
import { deadPid, livePid, startLockContenders } from './processes.js';
import { tempFolder } from '../support/temp-folder.js';

const HOST = 'this-host';
const now = new Date('2025-10-20T12:20:00Z');
const hoursBefore = (hours: number): Date => new Date(now.getTime() - hours * 3_600_000);

function stateFileIn(t: Parameters<typeof tempFolder>[0]): string {
  return path.join(tempFolder(t, 'state'), '.lfvaudit', 'state.json');
}

async function lockContent(stateFile: string): Promise<unknown> {
  return JSON.parse(await readFile(runLockPath(stateFile), 'utf8'));
}

test('the lock is a file next to the state file holding the holder’s pid, host and start time', async (t) => {
  const stateFile = stateFileIn(t);
  const lock = await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  t.is(lock.path, `${stateFile}.lock`);
  t.deepEqual(lock.holder, { pid: process.pid, hostname: HOST, startedAt: now });
  t.deepEqual(await lockContent(stateFile), { pid: process.pid, hostname: HOST, startedAt: '2025-10-20T12:20:00.000Z' });
});

test('a run is refused while a live run on this host holds the lock, and is told its pid, host and start time', async (t) => {
  const stateFile = stateFileIn(t);
  const holderPid = await livePid(t);
  await acquireRunLock(stateFile, { now: hoursBefore(1), pid: holderPid, hostname: HOST });

  const error = await t.throwsAsync(acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST }), { instanceOf: RunLockHeldError });

  t.true(error?.message.startsWith(`${runLockPath(stateFile)}: another lfvaudit run holds the lock: `));
  t.true(error?.message.includes(`pid ${holderPid} on host ${HOST}, started 2025-10-20T11:20:00.000Z`));
  t.regex(error?.message ?? '', /still running/);
  t.deepEqual(error?.holder, { pid: holderPid, hostname: HOST, startedAt: hoursBefore(1) });
  t.deepEqual(await lockContent(stateFile), { pid: holderPid, hostname: HOST, startedAt: '2025-10-20T11:20:00.000Z' });
});

test('of two runs acquiring at once, exactly one gets the lock', async (t) => {
  const folder = tempFolder(t, 'state');
  const pids = [process.pid, await livePid(t)];
  for (let round = 0; round < 20; round += 1) {
    const stateFile = path.join(folder, `round-${round}`, 'state.json');
    // The real clock: the loser may meet the winner's lock before its content is written, and then
    // judges it by its file time, which a fixed date years back would call a clock fault.
    const startedAt = new Date();
    const outcomes = await Promise.allSettled(pids.map((pid) => acquireRunLock(stateFile, { now: startedAt, pid, hostname: HOST })));
    const winners = outcomes.filter((outcome): outcome is PromiseFulfilledResult<RunLock> => outcome.status === 'fulfilled');
    t.is(winners.length, 1, `round ${round}`);
    const loser = outcomes.find((outcome) => outcome.status === 'rejected');
    t.true(loser?.reason instanceof RunLockHeldError, `round ${round}: ${String(loser?.reason)}`);
    t.deepEqual(await lockContent(stateFile), { pid: winners[0]?.value.holder.pid, hostname: HOST, startedAt: startedAt.toISOString() });
  }
});

test('a lock left by a run that died on this host is taken over', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now: hoursBefore(1), pid: await deadPid(), hostname: HOST });

  const lock = await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });

  t.deepEqual(lock.holder, { pid: process.pid, hostname: HOST, startedAt: now });
  t.deepEqual(await lockContent(stateFile), { pid: process.pid, hostname: HOST, startedAt: now.toISOString() });
  t.deepEqual(await readdir(path.dirname(stateFile)), ['state.json.lock'], 'the abandoned lock is gone, with nothing left aside');
});

test('of several processes taking over the same abandoned lock at once, exactly one gets it', async (t) => {
  const folder = tempFolder(t, 'state');
  const crashed = await deadPid();
  const contenders = await startLockContenders(t, 6, hostname());
  for (let round = 0; round < 20; round += 1) {
    const stateFile = path.join(folder, `round-${round}`, 'state.json');
    await acquireRunLock(stateFile, { now: new Date(), pid: crashed, hostname: hostname() });

    const outcomes = await contenders.race(stateFile);

    t.deepEqual([...outcomes].sort(), ['acquired', 'refused', 'refused', 'refused', 'refused', 'refused'], `round ${round}`);
    t.deepEqual(await readdir(path.dirname(stateFile)), ['state.json.lock'], 'no takeover claim is left behind');
  }
});

test('a takeover left half done by a run that crashed does not block the next run', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now: new Date(), pid: await deadPid(), hostname: HOST });
  const abandoned = await readLockFile(runLockPath(stateFile));
  if (abandoned === undefined) return t.fail('the lock file is missing');
  const leftClaim = takeoverClaimPath(runLockPath(stateFile), abandoned.identity, 1);
  await writeFile(leftClaim, '');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  await utimes(leftClaim, twoMinutesAgo, twoMinutesAgo);

  const lock = await acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST });

  t.is(lock.holder.pid, process.pid);
  t.deepEqual(await readdir(path.dirname(stateFile)), ['state.json.lock'], 'the left-over claim is cleaned up');
});

test('a run is refused while another run is taking over the same abandoned lock', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now: new Date(), pid: await deadPid(), hostname: HOST });
  const abandoned = await readLockFile(runLockPath(stateFile));
  if (abandoned === undefined) return t.fail('the lock file is missing');
  await writeFile(takeoverClaimPath(runLockPath(stateFile), abandoned.identity, 1), '');

  await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), {
    instanceOf: RunLockHeldError,
    message: /another run is taking over the abandoned lock right now/,
  });
  t.deepEqual(await readLockFile(runLockPath(stateFile)), abandoned, 'the abandoned lock is left to the run taking it over');
});

/** A lock written from another host whose holder was last alive `minutesAgo` (its start and its heartbeat). */
async function lockFromOtherHost(stateFile: string, minutesAgo: number): Promise<void> {
  const lastAlive = new Date(Date.now() - minutesAgo * 60_000);
  const lock = await acquireRunLock(stateFile, { now: lastAlive, pid: 4242, hostname: 'other-host', heartbeatMs: 3_600_000 });
  await utimes(lock.path, lastAlive, lastAlive);
}

test('a lock from another host a little ahead of our clock is held, not a clock fault; far ahead it is a clock fault', async (t) => {
  const stateFile = stateFileIn(t);
  await lockFromOtherHost(stateFile, -5);
  await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), {
    instanceOf: RunLockHeldError,
    message: /last alive 0 s ago/,
  });
  await rm(runLockPath(stateFile));
  await lockFromOtherHost(stateFile, -11);
  await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), {
    instanceOf: RunLockClockFaultError,
    message: /clock fault: .* 11 min in the future/,
  });
});

test('a lock held from another host is refused while its holder is alive, since its process cannot be checked', async (t) => {
  const stateFile = stateFileIn(t);
  await lockFromOtherHost(stateFile, 9);

  const error = await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), { instanceOf: RunLockHeldError });

  t.regex(error?.message ?? '', /pid 4242 on host other-host, started \S+Z, last alive 9 min ago/);
  t.regex(error?.message ?? '', /takes the lock over only once its holder has been silent for 10 min \(state\.lockStaleMinutes\)/);
});

test('a lock from another host whose holder has been silent longer than the stale age (10 min) is taken over', async (t) => {
  const stateFile = stateFileIn(t);
  await lockFromOtherHost(stateFile, 11);
  const lock = await acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST });
  t.is(lock.holder.hostname, HOST);
  await lock.release();
});

test('a long run on another host keeps its lock by its heartbeat, however long ago it started', async (t) => {
  const stateFile = stateFileIn(t);
  const started = new Date(Date.now() - 30 * 3_600_000);
  const remote = await acquireRunLock(stateFile, { now: started, pid: 4242, hostname: 'other-host', heartbeatMs: 20 });
  await utimes(remote.path, started, started);
  // The holder's next beats bring the mtime back to now: wait for one (a loaded machine may delay it).
  const deadline = Date.now() + 20_000;
  while ((await stat(remote.path)).mtimeMs < Date.now() - 3_600_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const error = await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), { instanceOf: RunLockHeldError });
  t.regex(error?.message ?? '', /last alive \d+ s ago/);
  await remote.release();
});

test('a released lock beats no more: its file is gone and is not recreated', async (t) => {
  const stateFile = stateFileIn(t);
  const lock = await acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST, heartbeatMs: 10 });
  t.true(await lock.release());
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(await readdir(path.dirname(stateFile)), []);
});

test('the stale age for locks from other hosts is configurable', async (t) => {
  const stateFile = stateFileIn(t);
  await lockFromOtherHost(stateFile, 120);
  await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST, staleAfterMs: 3 * 3_600_000 }), {
    instanceOf: RunLockHeldError,
  });
  const lock = await acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST, staleAfterMs: 3_600_000 });
  t.is(lock.holder.hostname, HOST);
  await lock.release();
});

test('an empty lock file younger than the grace period is refused, since its run may be writing it', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  await writeFile(runLockPath(stateFile), '');
  const error = await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), { instanceOf: RunLockHeldError });
  t.regex(error?.message ?? '', /empty or unreadable but only \d+ s old: another run may be creating it/);
  t.is(error?.holder, undefined);
});

test('a garbled lock file older than the grace period is taken over', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  await writeFile(runLockPath(stateFile), '{"pid": 12');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  await utimes(runLockPath(stateFile), twoMinutesAgo, twoMinutesAgo);

  const lock = await acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST });

  t.is(lock.holder.pid, process.pid);
});

test('a lock naming pid 0 counts as garbled, not as a live process group', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  await writeFile(runLockPath(stateFile), JSON.stringify({ pid: 0, hostname: HOST, startedAt: now.toISOString() }));
  await t.throwsAsync(acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: HOST }), {
    instanceOf: RunLockHeldError,
    message: /empty or unreadable/,
  });
});

test('a lock with this very pid on this host was left by an earlier process (a container’s pid 1) and is taken over', async (t) => {
  const stateFile = stateFileIn(t);
  await acquireRunLock(stateFile, { now: hoursBefore(24), pid: 1, hostname: 'container' });
  const lock = await acquireRunLock(stateFile, { now, pid: 1, hostname: 'container' });
  t.deepEqual(await lockContent(stateFile), { pid: 1, hostname: 'container', startedAt: now.toISOString() });
  t.deepEqual(lock.holder.startedAt, now);
});

test('releasing the lock removes it, so the next run can take it', async (t) => {
  const stateFile = stateFileIn(t);
  const first = await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  t.true(await first.release());
  t.deepEqual(await readdir(path.dirname(stateFile)), []);
  const second = await acquireRunLock(stateFile, { now, pid: await livePid(t), hostname: HOST });
  t.is(second.path, first.path);
});

test('release leaves a lock that another run has taken over, and says it was no longer ours', async (t) => {
  const stateFile = stateFileIn(t);
  const ours = await acquireRunLock(stateFile, { now: hoursBefore(25), pid: process.pid, hostname: HOST });
  await rm(runLockPath(stateFile));
  const otherPid = await livePid(t);
  await acquireRunLock(stateFile, { now, pid: otherPid, hostname: HOST });

  t.false(await ours.release());

  t.deepEqual(await lockContent(stateFile), { pid: otherPid, hostname: HOST, startedAt: now.toISOString() });
  t.deepEqual(await readdir(path.dirname(stateFile)), ['state.json.lock']);
});

test('a lock rewritten in place by someone else is not ours either', async (t) => {
  const stateFile = stateFileIn(t);
  const ours = await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  const theirs = JSON.stringify({ pid: 4242, hostname: 'other-host', startedAt: now.toISOString() });
  await writeFile(runLockPath(stateFile), theirs);

  t.false(await ours.release());

  t.is(await readFile(runLockPath(stateFile), 'utf8'), theirs);
});

test('releasing twice does not remove the next run’s lock', async (t) => {
  const stateFile = stateFileIn(t);
  const first = await acquireRunLock(stateFile, { now, pid: process.pid, hostname: HOST });
  await first.release();
  const nextPid = await livePid(t);
  await acquireRunLock(stateFile, { now, pid: nextPid, hostname: HOST });

  await first.release();

  t.deepEqual(await lockContent(stateFile), { pid: nextPid, hostname: HOST, startedAt: now.toISOString() });
});
