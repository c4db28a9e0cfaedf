import type { TimeWindow } from '../sources/event-source.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface AuditWindowInput {
  /** `--since`: an explicit start. */
  readonly since?: Date;
  /** `--until`: an explicit end. */
  readonly until?: Date;
  /** Where the last completed run of this scope ended (from the state file); undefined on the first run. */
  readonly lastCompletedEnd?: Date;
  readonly now: Date;
  readonly deliveryLagMinutes: number;
  readonly overlapMinutes: number;
  readonly lookbackHours: number;
}

/** Why the window is what it is: given on the command line, continuing the state file, or the first run's look-back. */
export type AuditWindowReason = 'explicit' | 'resumed' | 'first-run';

export interface AuditWindowPlan {
  readonly window: TimeWindow;
  readonly reason: AuditWindowReason;
  /**
   * True when there is nothing new to audit: the start was not before the end (a scheduled run
   * came again within the same hour, or `--since` is not before `--until`). The window is then the
   * zero-length `[end, end)`, which no event can fall into, so a caller that forgets to check still
   * audits nothing. The caller reports "nothing new to audit" and must not mark the window done.
   */
  readonly empty: boolean;
}

/**
 * The window one run audits.
 *
 * - `--since`/`--until` win (`until` defaults to now; `until` alone starts where a scheduled run would).
 * - Otherwise the end is now minus the delivery lag (CloudTrail delivers events minutes after the
 *   call, so the most recent minutes are not complete yet), rounded down to a whole UTC hour:
 *   findings count events per whole-hour bucket, so automatic windows cover whole hours and a bucket
 *   is never split between two runs.
 * - The start continues the state: the last completed end minus the overlap, rounded down to the hour.
 *   Rounding down and a non-negative overlap keep the start at or before the last completed end,
 *   so no gap can open between windows. The overlap re-reads late-delivered events; findings dedupe
 *   them by eventID.
 * - Without state (first run), the start is the end minus the look-back, rounded down to the hour.
 */
export function computeWindow(input: AuditWindowInput): AuditWindowPlan {
  checkDurations(input);
  const explicit = input.since !== undefined || input.until !== undefined;
  const end = input.until ?? (explicit ? input.now : floorToHour(input.now.getTime() - input.deliveryLagMinutes * MINUTE_MS));
  const start = input.since ?? automaticStart(input, end);
  const reason: AuditWindowReason = explicit ? 'explicit' : input.lastCompletedEnd === undefined ? 'first-run' : 'resumed';
  if (start.getTime() >= end.getTime()) return { window: { start: end, end }, reason, empty: true };
  return { window: { start, end }, reason, empty: false };
}

function automaticStart(input: AuditWindowInput, end: Date): Date {
  if (input.lastCompletedEnd === undefined) return floorToHour(end.getTime() - input.lookbackHours * HOUR_MS);
  return floorToHour(input.lastCompletedEnd.getTime() - input.overlapMinutes * MINUTE_MS);
}

/** Epoch milliseconds have no leap seconds, so multiples of an hour are exactly the whole UTC hours. */
function floorToHour(epochMs: number): Date {
  return new Date(Math.floor(epochMs / HOUR_MS) * HOUR_MS);
}

/** The config schema already enforces these; a violation here is a bug, and would break the no-gap guarantee. */
function checkDurations(input: AuditWindowInput): void {
  const durations = { deliveryLagMinutes: input.deliveryLagMinutes, overlapMinutes: input.overlapMinutes, lookbackHours: input.lookbackHours };
  for (const [name, value] of Object.entries(durations)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`bug: ${name} must be a finite number ≥ 0, got ${value}`);
  }
  for (const [name, date] of Object.entries({ since: input.since, until: input.until, lastCompletedEnd: input.lastCompletedEnd, now: input.now })) {
    if (date !== undefined && Number.isNaN(date.getTime())) throw new RangeError(`bug: ${name} is an invalid date`);
  }
}
