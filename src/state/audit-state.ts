import type { TimeWindow } from '../sources/event-source.js';

/** How far one audit scope has been audited. */
export interface ScopeProgress {
  /** Everything before this instant has been audited and delivered to every sink. */
  readonly lastCompletedEnd: Date;
  readonly updatedAt: Date;
  /** Completed runs of this scope. */
  readonly runs: number;
}

/**
 * What lfvaudit remembers between scheduled runs. Maps, not objects, so keys read from a file
 * (`__proto__`, `constructor`) are plain keys.
 */
export interface AuditState {
  /** By progress key (see scheduledProgressKey): what a run read, so configs or sources sharing one state file keep their own windows. */
  readonly scopes: ReadonlyMap<string, ScopeProgress>;
}

export function emptyAuditState(): AuditState {
  return { scopes: new Map() };
}

export interface CompletedWindow {
  readonly scopeKey: string;
  /** The window the run audited. */
  readonly window: TimeWindow;
  /** When the run completed: becomes updatedAt, and bounds what counts as delivered. */
  readonly now: Date;
  readonly deliveryLagMinutes: number;
}

/**
 * The state after a run audited a window and every sink succeeded. Call it only then.
 *
 * The recorded end only moves forward, and only over audited, delivered time:
 * - it stops at now minus the delivery lag: an explicit `--until` later than that audited events
 *   CloudTrail had not delivered yet (or that had not happened), and recording past it would skip them;
 * - it advances only when the window starts at or before the recorded end (resumed windows always
 *   do). An explicit window that starts later would leave a gap, so it counts as a run but does not
 *   move the end; the next scheduled run still covers the gap.
 * A window with nothing delivered in it (empty, or entirely within the lag) changes nothing.
 */
export function recordCompletedWindow(state: AuditState, completed: CompletedWindow): AuditState {
  const { scopeKey, window, now } = completed;
  const settledEnd = Math.min(window.end.getTime(), now.getTime() - completed.deliveryLagMinutes * 60_000);
  if (settledEnd <= window.start.getTime()) return state;
  const previous = state.scopes.get(scopeKey);
  const advances = previous === undefined || (window.start <= previous.lastCompletedEnd && settledEnd > previous.lastCompletedEnd.getTime());
  const lastCompletedEnd = advances ? new Date(settledEnd) : previous.lastCompletedEnd;
  const scopes = new Map(state.scopes).set(scopeKey, { lastCompletedEnd, updatedAt: now, runs: (previous?.runs ?? 0) + 1 });
  return { ...state, scopes };
}
