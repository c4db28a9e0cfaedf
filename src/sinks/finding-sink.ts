import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AuditSummary } from '../audit-summary.js';

/** Where findings go at the end of a run. A sink that fails throws; the run then does not mark its window done. */
export interface FindingSink {
  readonly description: string;
  write(findings: readonly AwsSecurityFinding[], summary: AuditSummary): Promise<void>;
}
