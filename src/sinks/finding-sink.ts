import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AuditSummary } from './audit-summary.js';

/** What a sink that keeps findings (Security Hub) did with them: for the run summary and the scheduler's log. */
export interface SinkOutcome {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Findings imported again because a concurrent importer had written over this run's evidence. */
  readonly reimported?: number;
  /** Findings whose EventCount is only a lower bound (`lfvaudit/EventCountIsLowerBound`). */
  readonly lowerBound?: number;
}

/**
 * Where findings go at the end of a run. A sink that fails throws; the run then does not mark its window
 * done. The audit's findings are built as they are iterated (findings/finding-list.ts): a sink that
 * writes each as it comes holds one at a time, and one that iterates twice gets them built twice.
 */
export interface FindingSink {
  readonly description: string;
  write(findings: Iterable<AwsSecurityFinding>, summary: AuditSummary): Promise<SinkOutcome | void>;
}
