import type { Config } from '../config/config.js';
import type { TimeWindow } from '../sources/event-source.js';
import { auditScopeKey, emptyAuditState, recordCompletedWindow } from '../state/audit-state.js';
import { computeWindow, type AuditWindowPlan } from '../state/audit-window.js';
import { acquireRunLock, type RunLock } from '../state/run-lock.js';
import { readAuditState, writeAuditState } from '../state/state-file.js';

/**
 * A scheduled run's window and its bookkeeping: the lock that keeps two runs apart, the window that
 * continues the last completed one, and recording it once every sink succeeded.
 */
export interface ScheduledWindow {
  readonly plan: AuditWindowPlan;
  /** Records the window as done. Call only after a complete run. */
  markDone(now: Date): Promise<void>;
  release(): Promise<void>;
}

export async function openScheduledWindow(options: {
  readonly config: Config;
  readonly sourceDescriptions: readonly string[];
  readonly since?: Date;
  readonly until?: Date;
  readonly now: Date;
  readonly pid: number;
  readonly hostname: string;
}): Promise<ScheduledWindow> {
  const { config } = options;
  const lock: RunLock = await acquireRunLock(config.state.path, { now: options.now, pid: options.pid, hostname: options.hostname, staleAfterMs: config.state.lockStaleMinutes * 60_000 });
  try {
    const state = (await readAuditState(config.state.path)) ?? emptyAuditState();
    const scopeKey = auditScopeKey(options.sourceDescriptions);
    const lastCompletedEnd = state.scopes.get(scopeKey)?.lastCompletedEnd;
    const plan = computeWindow({
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(lastCompletedEnd === undefined ? {} : { lastCompletedEnd }),
      now: options.now,
      deliveryLagMinutes: config.state.deliveryLagMinutes,
      overlapMinutes: config.state.overlapMinutes,
      lookbackHours: config.state.lookbackHours,
    });
    return {
      plan,
      async markDone(now: Date) {
        // Re-read: only this run holds the lock, but the file is the truth, not our earlier copy.
        const current = (await readAuditState(config.state.path)) ?? emptyAuditState();
        const window: TimeWindow = plan.window;
        await writeAuditState(config.state.path, recordCompletedWindow(current, { scopeKey, window, now, deliveryLagMinutes: config.state.deliveryLagMinutes }));
      },
      async release() {
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
