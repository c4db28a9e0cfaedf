import { runAudit, type AuditOptions, type AuditResult } from './run-audit.js';
import type { Config } from '../config/config.js';
import { emptyAuditState, recordCompletedWindow, type AuditState } from '../state/audit-state.js';
import { computeWindow, type AuditWindowPlan } from '../state/audit-window.js';
import { acquireRunLock } from '../state/run-lock.js';
import { isLegacyKey } from '../state/state-file-migration.js';
import { readAuditState, writeAuditState } from '../state/state-file.js';

export interface ScheduledAuditOptions extends Omit<AuditOptions, 'window'> {
  /** What the sources read (see sourceProgressKey and scheduledProgressKey): the state file keeps one window per key. */
  readonly progressKey: string;
  readonly state: Config['state'];
  /** An explicit start, instead of continuing the recorded window. Must not lie in the future. */
  readonly since?: Date;
  readonly until?: Date;
  /** Audit and show, but record nothing (the sinks should be dry-run ones). The lock is still taken. */
  readonly dryRun?: boolean;
  /** Who this run is, in the run lock. */
  readonly lockHolder: { readonly pid: number; readonly hostname: string };
}

export type ScheduledAuditResult =
  /** The window is empty (a run came again within the same hour): nothing was read or recorded. */
  | { readonly outcome: 'nothing-new'; readonly plan: AuditWindowPlan }
  | {
      readonly outcome: 'audited';
      readonly plan: AuditWindowPlan;
      readonly result: AuditResult;
      /** Whether the window was recorded as done; see notRecordedBecause otherwise. */
      readonly recorded: boolean;
      readonly notRecordedBecause?: 'incomplete' | 'dry-run' | 'nothing-read';
    };

/**
 * A state file or an explicit window that lfvaudit cannot trust: a time in the future (a clock jump, a
 * hand edit), or progress recorded under a key that does not say what it covered. Nothing is audited
 * and nothing recorded; the message names the file or option and the value.
 */
export class ScheduledAuditError extends Error {
  override readonly name = 'ScheduledAuditError';
}

/**
 * The nightly job as a library call: takes the run lock next to the state file, plans the window that
 * continues the last completed one for `progressKey` (see computeWindow), audits it, and records it
 * once the run was complete, read at least one record, and every sink succeeded; then releases the lock.
 *
 * Throws RunLockHeldError or RunLockClockFaultError when the lock cannot be taken, AuditStateFileError
 * when the state file is unusable, ScheduledAuditError for the faults above: each before anything is read.
 */
export async function runScheduledAudit(options: ScheduledAuditOptions): Promise<ScheduledAuditResult> {
  const now = options.now();
  if (options.since !== undefined && options.since.getTime() >= now.getTime()) {
    throw new ScheduledAuditError(`since ${options.since.toISOString()} is not before now (${now.toISOString()}): the window would be empty`);
  }
  const { state: settings, progressKey } = options;
  checkOverlapCoversThresholds(options.rules, settings.overlapMinutes);
  const lock = await acquireRunLock(settings.path, { now, ...options.lockHolder, staleAfterMs: settings.lockStaleMinutes * 60_000 });
  try {
    const state = (await readAuditState(settings.path)) ?? emptyAuditState();
    const lastCompletedEnd = trustedProgress(state, settings.path, progressKey, now, options.since !== undefined);
    const plan = computeWindow({
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(lastCompletedEnd === undefined ? {} : { lastCompletedEnd }),
      now,
      deliveryLagMinutes: settings.deliveryLagMinutes,
      overlapMinutes: settings.overlapMinutes,
      lookbackHours: settings.lookbackHours,
    });
    if (plan.empty) return { outcome: 'nothing-new', plan };

    const { progressKey: _key, state: _state, since: _since, until: _until, dryRun: _dryRun, lockHolder: _holder, ...auditOptions } = options;
    const result = await runAudit({ ...auditOptions, window: plan.window });
    const notRecordedBecause = !result.complete
      ? 'incomplete'
      : options.dryRun === true
        ? 'dry-run'
        : result.summary.recordsRead === 0
          ? 'nothing-read'
          : undefined;
    if (notRecordedBecause !== undefined) return { outcome: 'audited', plan, result, recorded: false, notRecordedBecause };
    // An integrity conflict does not hold the window back: every record was read and evaluated (both of
    // each conflicting pair), so auditing it again would find the same; the caller's exit status asks for a person.
    // Re-read: only this run holds the lock, but the file is the truth, not our earlier copy.
    const current = (await readAuditState(settings.path)) ?? emptyAuditState();
    const completed = { scopeKey: progressKey, window: plan.window, now: options.now(), deliveryLagMinutes: settings.deliveryLagMinutes };
    await writeAuditState(settings.path, recordCompletedWindow(current, completed));
    return { outcome: 'audited', plan, result, recorded: true };
  } finally {
    await lock.release();
  }
}

/**
 * A threshold's span that crosses the end of one scheduled window lies whole in the next only when the
 * windows overlap by at least the span: then each run decides exactly the spans one run over both would
 * (src/grouping/threshold-spans.ts), and the evidence merge counts the overlap's events once.
 */
function checkOverlapCoversThresholds(rules: AuditOptions['rules'], overlapMinutes: number): void {
  for (const rule of rules) {
    if (!rule.active || rule.threshold === undefined || rule.threshold.withinMs <= overlapMinutes * 60_000) continue;
    throw new ScheduledAuditError(
      `rule ${rule.id}: threshold.within ${rule.threshold.within} is longer than state.overlapMinutes ${overlapMinutes}: a span crossing the end of one ` +
        `scheduled window would be seen whole by neither run. Set state.overlapMinutes to at least ${Math.ceil(rule.threshold.withinMs / 60_000)}, or shorten within (${rule.file})`,
    );
  }
}

/**
 * Where this key's last completed window ends, once it is checked: a recorded time in the future would
 * make every run "nothing new" until the clock catches up, and a window started beside progress that
 * version 1 recorded without its filters could skip history.
 */
function trustedProgress(state: AuditState, file: string, progressKey: string, now: Date, explicitStart: boolean): Date | undefined {
  const progress = state.scopes.get(progressKey);
  if (progress !== undefined) {
    for (const [field, time] of [
      ['lastCompletedEnd', progress.lastCompletedEnd],
      ['updatedAt', progress.updatedAt],
    ] as const) {
      if (time.getTime() > now.getTime()) {
        throw new ScheduledAuditError(
          `${file}: scopes[${JSON.stringify(progressKey)}].${field} ${time.toISOString()} lies in the future (now ${now.toISOString()}): a clock jump or a hand edit. ` +
            `Fix the clock or the file, or reset this window with \`lfvaudit state reset ${JSON.stringify(progressKey)}\``,
        );
      }
    }
    return progress.lastCompletedEnd;
  }
  const legacy = [...state.scopes.keys()].filter(isLegacyKey);
  if (legacy.length > 0 && !explicitStart) {
    const [key] = legacy;
    const end = state.scopes.get(key ?? '')?.lastCompletedEnd.toISOString() ?? '';
    throw new ScheduledAuditError(
      `${file}: no window is recorded for ${JSON.stringify(progressKey)}, but the file holds ${JSON.stringify(key)}, recorded by an older lfvaudit ` +
        `under a key without the S3 source's filters (organizationId, accounts, regions), ending ${end}: lfvaudit cannot tell what it covered. ` +
        `Run once with --since ${end} to continue from it, or with the first-run look-back after \`lfvaudit state reset ${JSON.stringify(key)}\``,
    );
  }
  return undefined;
}
