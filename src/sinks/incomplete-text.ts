import type { AuditSummary } from './audit-summary.js';

/**
 * Why a run is incomplete, as far as the summary knows (`1 unreadable input`, `2 sources with no
 * CloudTrail records`), plus the sinks that failed when the caller knows them; empty when nothing is
 * missing. A run with any of these must never read as an all-clear: the table and `--format json`
 * headline them as `Incomplete: …` instead of `No findings.`
 */
export function incompleteReasons(summary: AuditSummary, sinkFailures = 0): string[] {
  const reasons: string[] = [];
  const unreadable = summary.unreadable.length;
  if (unreadable > 0) reasons.push(`${unreadable} unreadable input${unreadable === 1 ? '' : 's'}`);
  const empty = summary.emptySources?.length ?? 0;
  if (empty > 0) reasons.push(`${empty} source${empty === 1 ? '' : 's'} with no CloudTrail records`);
  const undecided = summary.thresholdsIncomplete?.length ?? 0;
  if (undecided > 0) reasons.push(`${undecided} threshold rule${undecided === 1 ? '' : 's'} not decided`);
  if (sinkFailures > 0) reasons.push(`${sinkFailures} sink${sinkFailures === 1 ? '' : 's'} failed`);
  return reasons;
}

/** `Incomplete: 1 unreadable input; the findings cover only what was read.`, or undefined for a complete run. */
export function incompleteHeadline(summary: AuditSummary): string | undefined {
  const reasons = incompleteReasons(summary);
  return reasons.length === 0 ? undefined : `Incomplete: ${reasons.join(', ')}; the findings cover only what was read (exit status 2).`;
}
