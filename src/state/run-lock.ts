import { mkdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { createLockFile, readLockFile, removeLockIfSame, sameFile, type FileIdentity } from './lock-file.js';
import { judgeExistingLock, type LockHolder } from './lock-holder.js';
import { takeOverAbandonedLock } from './lock-takeover.js';

export interface RunLockOptions {
  /** The real current time: it is compared with file times. */
  readonly now: Date;
  readonly pid: number;
  readonly hostname: string;
  /**
   * A lock held from another host is taken over once its holder has given no sign of life (its start,
   * or its last heartbeat) for this long (default 10 min): there is no process check across hosts.
   */
  readonly staleAfterMs?: number;
  /** How often the holder touches its lock file to show it is alive (default 1 min; well under staleAfterMs). */
  readonly heartbeatMs?: number;
  /**
   * A lock left incomplete (empty or unreadable, or a takeover half done) by a run that crashed while
   * writing it counts as abandoned once older than this by mtime (default 1 min).
   */
  readonly incompleteGraceMs?: number;
}

export interface RunLock {
  readonly path: string;
  readonly holder: LockHolder;
  /**
   * Removes the lock file if it is still ours; true when it was. False means another run took it
   * over (see judgeExistingLock) or it was removed by hand: the caller may warn. Calling again is harmless.
   */
  release(): Promise<boolean>;
}

/** Another run holds the lock. */
export class RunLockHeldError extends Error {
  override readonly name = 'RunLockHeldError';
  constructor(
    readonly lockPath: string,
    /** Undefined when the lock file is incomplete. */
    readonly holder: LockHolder | undefined,
    why: string,
  ) {
    super(`${lockPath}: another lfvaudit run holds the lock: ${why}`);
  }
}

/** The lock's times lie in the future beyond any clock skew (see LockVerdict.clockFault): an error, never a wait. */
export class RunLockClockFaultError extends Error {
  override readonly name = 'RunLockClockFaultError';
  constructor(
    readonly lockPath: string,
    why: string,
  ) {
    super(`${lockPath}: ${why}`);
  }
}

export const DEFAULT_LOCK_STALE_AFTER_MS = 10 * 60_000;
const DEFAULT_HEARTBEAT_MS = 60_000;
const DEFAULT_INCOMPLETE_GRACE_MS = 60_000;
/** Each attempt ends in success, a refusal, or the lock changing under us; more than a few changes means runs are fighting. */
const MAX_ATTEMPTS = 5;

/** The lock guarding a state file: `<state file>.lock`, next to it. */
export function runLockPath(stateFile: string): string {
  return `${stateFile}.lock`;
}

/**
 * Takes the run lock of `stateFile`, so two runs never audit and write the same state at once.
 * The lock file is created with O_EXCL and holds `{pid, hostname, startedAt}`. An abandoned lock
 * (see judgeExistingLock) is taken over so that of several runs doing so at once exactly one succeeds
 * (see takeOverAbandonedLock). Throws RunLockHeldError when another run holds it, RunLockClockFaultError
 * when the lock's times lie in the future.
 */
export async function acquireRunLock(stateFile: string, options: RunLockOptions): Promise<RunLock> {
  const lockPath = runLockPath(stateFile);
  await mkdir(path.dirname(lockPath), { recursive: true });
  const holder: LockHolder = { pid: options.pid, hostname: options.hostname, startedAt: options.now };
  const incompleteGraceMs = options.incompleteGraceMs ?? DEFAULT_INCOMPLETE_GRACE_MS;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const policy = {
    now: options.now,
    pid: options.pid,
    hostname: options.hostname,
    staleAfterMs: options.staleAfterMs ?? DEFAULT_LOCK_STALE_AFTER_MS,
    incompleteGraceMs,
    isProcessAlive,
  };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const created = await createLockFile(lockPath, holder);
    if (created !== undefined) return heldLock(lockPath, holder, created, heartbeatMs);
    const existing = await readLockFile(lockPath);
    if (existing === undefined) continue; // released meanwhile: try again
    const verdict = judgeExistingLock(existing, policy);
    if (verdict.clockFault === true) throw new RunLockClockFaultError(lockPath, verdict.why);
    if (!verdict.stale) throw new RunLockHeldError(lockPath, existing.holder, verdict.why);
    const outcome = await takeOverAbandonedLock(lockPath, existing.identity, holder, { now: options.now, claimGraceMs: incompleteGraceMs });
    if (outcome.kind === 'taken') return heldLock(lockPath, holder, outcome.identity, heartbeatMs);
    if (outcome.kind === 'contended')
      throw new RunLockHeldError(lockPath, undefined, `another run is taking over the abandoned lock right now (${verdict.why})`);
  }
  throw new Error(`${lockPath}: could not take the run lock after ${MAX_ATTEMPTS} attempts: other runs keep changing it`);
}

/** `process.kill(pid, 0)` sends nothing and only checks: ESRCH means no such process; EPERM means it exists under another user. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The held lock, with its heartbeat: the lock file's mtime is touched every `heartbeatMs` while it is
 * still ours, so a run on another host can tell a live holder from one that crashed hours ago. The
 * timer is unref'd: it never keeps the process alive.
 */
function heldLock(lockPath: string, holder: LockHolder, identity: FileIdentity, heartbeatMs: number): RunLock {
  let released: Promise<boolean> | undefined;
  const heartbeat = setInterval(() => {
    void touchIfSame(lockPath, identity).catch(() => undefined); // a missed beat is only a later one
  }, heartbeatMs);
  heartbeat.unref();
  return {
    path: lockPath,
    holder,
    release: () => {
      clearInterval(heartbeat);
      return (released ??= removeLockIfSame(lockPath, identity));
    },
  };
}

async function touchIfSame(lockPath: string, identity: FileIdentity): Promise<void> {
  const current = await readLockFile(lockPath);
  if (current === undefined || !sameFile(current.identity, identity)) return;
  const now = new Date();
  await utimes(lockPath, now, now);
}

/** What `lfvaudit state unlock` did. */
export type UnlockOutcome =
  | { readonly kind: 'no-lock' }
  | { readonly kind: 'removed'; readonly holder: LockHolder | undefined }
  /** Held by a live process on this host: never removed. */
  | { readonly kind: 'alive'; readonly holder: LockHolder };

/**
 * Removes the run lock of `stateFile` on an operator's word: one whose holder on another host cannot be
 * checked (silent for less than the stale period, or with a time in the future after a clock fault),
 * or one left incomplete. A lock whose holder runs on this host and is alive is never removed.
 */
export async function removeRunLock(stateFile: string, self: { readonly hostname: string }): Promise<UnlockOutcome> {
  const lockPath = runLockPath(stateFile);
  const existing = await readLockFile(lockPath);
  if (existing === undefined) return { kind: 'no-lock' };
  const { holder } = existing;
  if (holder !== undefined && holder.hostname === self.hostname && isProcessAlive(holder.pid)) return { kind: 'alive', holder };
  return (await removeLockIfSame(lockPath, existing.identity)) ? { kind: 'removed', holder } : removeRunLock(stateFile, self);
}
