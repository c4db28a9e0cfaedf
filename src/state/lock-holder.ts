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
  /** A lock held from another host counts as abandoned after this long. */
  readonly staleAfterMs: number;
  /** An empty or unreadable lock counts as abandoned when it was last modified this long ago. */
  readonly incompleteGraceMs: number;
  readonly isProcessAlive: (pid: number) => boolean;
}

/** Whether an existing lock may be taken over, and why (the why goes into the refusal message). */
export interface LockVerdict {
  readonly stale: boolean;
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
 * - Another host: lfvaudit cannot check a process there, so the lock is abandoned only once it is older
 *   than `staleAfterMs` by its own startedAt (written by that host's clock). A run that crashed on
 *   another host therefore blocks the next runs until then; a schedule should keep its runs apart by
 *   more than that age, or an operator removes the file.
 * - Empty or unreadable (a crash between creating and writing it): abandoned after a short grace by
 *   mtime, since a live run may be writing it right now.
 */
export function judgeExistingLock(existing: ExistingLock, policy: StalenessPolicy): LockVerdict {
  const { holder } = existing;
  if (holder === undefined) {
    const age = policy.now.getTime() - existing.modifiedAt.getTime();
    return age > policy.incompleteGraceMs
      ? { stale: true, why: `it is empty or unreadable and ${formatAge(age)} old` }
      : { stale: false, why: `it is empty or unreadable but only ${formatAge(age)} old: another run may be creating it (it counts as abandoned after ${formatAge(policy.incompleteGraceMs)})` };
  }
  const held = `pid ${holder.pid} on host ${holder.hostname}, started ${holder.startedAt.toISOString()}`;
  if (holder.hostname === policy.hostname) {
    if (holder.pid === policy.pid) return { stale: true, why: `${held} is an earlier process with this process's pid` };
    if (!policy.isProcessAlive(holder.pid)) return { stale: true, why: `${held} is no longer running` };
    return { stale: false, why: `it is held by ${held}, which is still running (if that pid is not lfvaudit, remove the lock file)` };
  }
  const age = policy.now.getTime() - holder.startedAt.getTime();
  if (age > policy.staleAfterMs) return { stale: true, why: `${held} is ${formatAge(age)} old, older than ${formatAge(policy.staleAfterMs)}` };
  return {
    stale: false,
    why:
      `it is held by ${held}; lfvaudit cannot check a process on another host, so it takes the lock over only once it is ` +
      `older than ${formatAge(policy.staleAfterMs)} (remove the lock file if that run is gone)`,
  };
}

function formatAge(ms: number): string {
  if (ms < 0) return `${formatAge(-ms)} in the future`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
