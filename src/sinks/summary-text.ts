import type { AuditSummary } from './audit-summary.js';
import { SEVERITY_LABELS } from '../ruleset/rule.js';
import { displayName, escapeText } from '../shared/terminal-text.js';
import { coverageLine } from './coverage-text.js';

/**
 * The run summary for people, as lines: what was read, what was left out and why, which rules did
 * not run and why, and the findings by severity. Reasons are never shortened: they are what a
 * reader acts on. Names and reasons come from outside (file names, S3 keys, config text): each is
 * escaped, so that every line here is one line on the terminal (src/shared/terminal-text.ts).
 */
export function renderSummary(summary: AuditSummary): string[] {
  const lines: string[] = ['Summary'];
  const row = (label: string, value: string): void => {
    lines.push(`  ${label.padEnd(18)}${value}`);
  };
  if (summary.window !== undefined) row('Window', `${summary.window.start} to ${summary.window.end}`);
  if (summary.sources.length > 0) row('Sources', summary.sources.map(escapeText).join(', '));
  row(
    'Inputs read',
    `${summary.inputsRead}${summary.inputsSkipped.length > 0 ? `, ${summary.inputsSkipped.length} skipped` : ''}${summary.unreadable.length > 0 ? `, ${summary.unreadable.length} unreadable` : ''}`,
  );
  const leftOut = [
    counted(summary.duplicateRecords, 'duplicate', 'duplicates'),
    counted(summary.integrityConflicts.length, 'integrity conflict', 'integrity conflicts'),
    counted(summary.outsideWindow, 'outside the window', 'outside the window'),
    counted(summary.undatedRecords, 'without an eventTime', 'without an eventTime'),
  ].filter((part) => part !== undefined);
  row('Records read', `${summary.recordsRead}${leftOut.length > 0 ? ` (${leftOut.join(', ')})` : ''}`);
  row('Records evaluated', String(summary.recordsEvaluated));
  row('Rules', `${summary.rulesActive} active${summary.rulesInactive.length > 0 ? `, ${summary.rulesInactive.length} inactive` : ''}`);
  row('Matches', String(summary.matches));
  row('Findings', `${summary.findings}${summary.findings > 0 ? ` (${findingsBySeverity(summary)})` : ''}`);
  if (summary.sinks !== undefined && summary.sinks.length > 0) row('Findings to', summary.sinks.map(escapeText).join(', '));
  row('Duration', `${(summary.durationMs / 1000).toFixed(1)} s`);

  if (summary.coverage !== undefined && summary.coverage.length > 0) {
    lines.push('', 'Coverage (per account, region and day in --format json):');
    for (const coverage of summary.coverage) lines.push(`  ${displayName(coverage.location)}: ${escapeText(coverageLine(coverage))}`);
  }
  if (summary.unreadable.length > 0) {
    // Counted per input: the problems themselves are on stderr, each once.
    lines.push('', 'Unreadable inputs (the run is incomplete; the problems are on stderr):');
    for (const [origin, count] of countBy(summary.unreadable.map((input) => input.origin)))
      lines.push(`  ${displayName(origin)}: ${count} problem${count === 1 ? '' : 's'}`);
  }
  if (summary.emptySources !== undefined && summary.emptySources.length > 0) {
    lines.push('', 'Sources with no CloudTrail records (the run is incomplete):');
    for (const source of summary.emptySources) lines.push(`  ${displayName(source)}`);
  }
  if (summary.thresholdsIncomplete !== undefined && summary.thresholdsIncomplete.length > 0) {
    lines.push('', 'Threshold rules not decided (the run is incomplete):');
    for (const entry of summary.thresholdsIncomplete) lines.push(`  ${entry.rule}: ${escapeText(entry.reason)}`);
  }
  if (summary.integrityConflicts.length > 0) {
    lines.push('', 'Integrity conflicts (an eventID read before with other content; both records were evaluated):');
    for (const conflict of summary.integrityConflicts) lines.push(`  ${displayName(conflict.origin)}: eventID ${displayName(conflict.eventId)}`);
  }
  if (summary.suppressed.length > 0) {
    lines.push('', 'Suppressed matches (not findings):');
    for (const entry of summary.suppressed) lines.push(`  ${entry.count} × ${entry.rule}: ${escapeText(entry.reason)} (until ${entry.expires})`);
  }
  if (summary.notices !== undefined && summary.notices.length > 0) {
    lines.push('', 'Notices:');
    for (const notice of summary.notices) lines.push(`  ${displayName(notice.origin)}: ${escapeText(notice.message)}`);
  }
  if (summary.inputsSkipped.length > 0) {
    lines.push('', 'Skipped inputs:');
    for (const [reason, count] of countBy(summary.inputsSkipped.map((input) => input.reason))) lines.push(`  ${count} × ${escapeText(reason)}`);
  }
  if (summary.rulesInactive.length > 0) {
    lines.push('', 'Inactive rules:');
    for (const rule of summary.rulesInactive) lines.push(`  ${rule.id}: ${escapeText(rule.reason)}`);
  }
  return lines;
}

/** `1 CRITICAL, 2 HIGH`: most severe first, then any label lfvaudit does not know, alphabetically. */
function findingsBySeverity(summary: AuditSummary): string {
  const counts = summary.findingsBySeverity;
  const known: readonly string[] = [...SEVERITY_LABELS].reverse();
  const unknown = Object.keys(counts)
    .filter((label) => !known.includes(label))
    .sort();
  return [...known, ...unknown]
    .filter((label) => Object.hasOwn(counts, label) && (counts[label] ?? 0) > 0)
    .map((label) => `${counts[label]} ${label}`)
    .join(', ');
}

function counted(count: number, singular: string, plural: string): string | undefined {
  if (count === 0) return undefined;
  return `${count} ${count === 1 ? singular : plural}`;
}

/** Occurrences per value, in order of first appearance. */
function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
