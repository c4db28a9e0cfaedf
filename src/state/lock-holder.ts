/** Who holds the run lock: the lock file's content. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: Date;
}

/** An existing lock file as found: its holder, or undefined when the content is empty or unreadable. */
export interface ExistingLock {
  readonly holder: LockHolder | undefined;
  readonly modifiedAt: Date;
}

export interface StalenessPolicy {
  readonly now: Date;
  readonly pid: number;
  readonly hostname: string;
  /** A lock held from another host counts as abandoned after this long without a sign of life (start or heartbeat). */
  readonly staleAfterMs: number;
  /** An empty or unreadable lock counts as abandoned when it was last modified this long ago. */
  readonly incompleteGraceMs: number;
  readonly isProcessAlive: (pid: number) => boolean;
}

/** Whether an existing lock may be taken over, and why (the why goes into the refusal message). */
export interface LockVerdict {
  readonly stale: boolean;
  /**
   * The lock's last sign of life lies further in the future than its holder could have put it with a
   * clock merely a little ahead: a clock fault on some host. Such a lock never becomes stale by waiting
   * (it would block every run until that future time), and taking it over could run beside a live
   * holder, so it is refused as an error that names the lock and its time; `lfvaudit state unlock` removes it.
   */
  readonly clockFault?: boolean;
  readonly why: string;
}

export function formatLockHolder(holder: LockHolder): string {
  return `${JSON.stringify({ pid: holder.pid, hostname: holder.hostname, startedAt: holder.startedAt.toISOString() })}\n`;
}

/** Largest pid any supported system hands out; 0 and negatives would make `process.kill` signal a process group. */
const MAX_PID = 2 ** 31 - 1;

export function parseLockHolder(text: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const own = (key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
  const pid = own('pid');
  const hostname = own('hostname');
  const startedAt = own('startedAt');
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || pid > MAX_PID) return undefined;
  if (typeof hostname !== 'string' || hostname === '') return undefined;
  const started = typeof startedAt === 'string' ? new Date(startedAt) : undefined;
  if (started === undefined || Number.isNaN(started.getTime())) return undefined;
  return { pid, hostname, startedAt: started };
}

/**
 * Decides whether an existing lock is abandoned.
 *
 * - Same host: abandoned when its pid is not alive. A lock with our own pid on our host was left by an
 *   earlier process that had this pid (containers start every run as pid 1): one process never asks
 *   for the same lock twice.
 * - Another host: lfvaudit cannot check a process there, but a live holder touches the lock file
 *   every minute (its heartbeat), so the lock is abandoned once its last sign of life — the later of
 *   its startedAt and its mtime — is older than `staleAfterMs`. A run that crashed on another host
 *   (a nightly container with a new hostname each night) blocks the next runs only that long.
 * - Empty or unreadable (a crash between creating and writing it): abandoned after a short grace by
 *   mtime, since a live run may be writing it right now.
 */
export function judgeExistingLock(existing: ExistingLock, policy: StalenessPolicy): LockVerdict {
  const { holder } = existing;
  const fromTheFuture = futureSign(existing, policy);
  if (fromTheFuture !== undefined) return { stale: false, clockFault: true, why: fromTheFuture };
  if (holder === undefined) {
    const age = policy.now.getTime() - existing.modifiedAt.getTime();
    return age > policy.incompleteGraceMs
      ? { stale: true, why: `it is empty or unreadable and ${formatAge(age)} old` }
      : {
          stale: false,
          why: `it is empty or unreadable but only ${formatAge(age)} old: another run may be creating it (it counts as abandoned after ${formatAge(policy.incompleteGraceMs)})`,
        };
  }
  const held = `pid ${holder.pid} on host ${holder.hostname}, started ${holder.startedAt.toISOString()}`;
  if (holder.hostname === policy.hostname) {
    if (holder.pid === policy.pid) return { stale: true, why: `${held} is an earlier process with this process's pid` };
    if (!policy.isProcessAlive(holder.pid)) return { stale: true, why: `${held} is no longer running` };
    return { stale: false, why: `it is held by ${held}, which is still running (if that pid is not lfvaudit, remove the lock file)` };
  }
  const lastSign = Math.max(holder.startedAt.getTime(), existing.modifiedAt.getTime());
  const silence = Math.max(0, policy.now.getTime() - lastSign); // another clock (file server, host) may run a little ahead
  if (silence > policy.staleAfterMs)
    return { stale: true, why: `${held} has not touched the lock for ${formatAge(silence)}, longer than ${formatAge(policy.staleAfterMs)}` };
  return {
    stale: false,
    why:
      `it is held by ${held}, last alive ${formatAge(silence)} ago; lfvaudit cannot check a process on another host, so it takes the ` +
      `lock over only once its holder has been silent for ${formatAge(policy.staleAfterMs)} (state.lockStaleMinutes)`,
  };
}

/**
 * Why the lock's times are a clock fault, or undefined when they are not. A holder on another host (or a
 * file server) whose clock runs ahead by less than `staleAfterMs` only delays the takeover by that much;
 * further ahead, the lock would block runs for as long as the clock is wrong. A same-host holder is
 * judged by its pid, whatever its times say.
 */
function futureSign(existing: ExistingLock, policy: StalenessPolicy): string | undefined {
  const { holder } = existing;
  if (holder !== undefined && holder.hostname === policy.hostname) return undefined;
  const now = policy.now.getTime();
  const tolerance = policy.staleAfterMs;
  const times = [
    ...(holder === undefined ? [] : [{ name: 'startedAt', time: holder.startedAt }]),
    { name: 'last modified (its heartbeat)', time: existing.modifiedAt },
  ];
  const future = times.find(({ time }) => time.getTime() - now > tolerance);
  if (future === undefined) return undefined;
  const owner = holder === undefined ? 'an incomplete lock' : `the lock of pid ${holder.pid} on host ${holder.hostname}`;
  return (
    `clock fault: ${owner} has ${future.name} ${future.time.toISOString()}, ${formatAge(future.time.getTime() - now)} in the future (now ${policy.now.toISOString()}); ` +
    'lfvaudit cannot tell whether that run is alive. Fix the clock; if no run is active, remove the lock with `lfvaudit state unlock`'
  );
}

function formatAge(ms: number): string {
  if (ms < 0) return `${formatAge(-ms)} in the future`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
