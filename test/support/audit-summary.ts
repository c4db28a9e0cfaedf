import type { AuditSummary } from '../../src/sinks/audit-summary.js';

/** A run that read nothing, with the fields given replacing the defaults. */
export function emptySummary(fields: Partial<AuditSummary> = {}): AuditSummary {
  return {
    sources: [],
    inputsRead: 0,
    inputsSkipped: [],
    unreadable: [],
    recordsRead: 0,
    duplicateRecords: 0,
    integrityConflicts: [],
    outsideWindow: 0,
    undatedRecords: 0,
    recordsEvaluated: 0,
    rulesActive: 0,
    rulesInactive: [],
    matches: 0,
    suppressed: [],
    notices: [],
    findings: 0,
    findingsBySeverity: {},
    durationMs: 0,
    ...fields,
  };
}
