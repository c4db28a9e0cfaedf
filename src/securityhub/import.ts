import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { validateAsffFinding } from '../findings/asff-limits.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';
import { SecurityHubCallError, type SecurityHubFindingsApi } from './api.js';
import { importBatches } from './batches.js';
import { isTransientFailedFinding } from '../aws/securityhub-retry.js';

/** A finding that was finally not imported, and why. */
export interface ImportFailure {
  readonly id: string;
  readonly ruleId?: string;
  /** Security Hub's ErrorCode, `InvalidAsff` for a finding lfvaudit did not send, or the error of a call that failed as a whole. */
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface ImportOutcome {
  readonly imported: number;
  readonly failures: readonly ImportFailure[];
}

/**
 * Imports the findings: each checked with validateAsffFinding first (an invalid one is reported, not
 * sent), then in batches of at most 100 findings and 6 MB. Findings a call answers as FailedFindings
 * with a transient code (throttling, internal errors) are sent again, with backoff, for up to the retry
 * policy's `failedFindingRounds`; the others are reported with their code and message. A call that
 * fails even after its own retries fails its whole batch, and the remaining batches are still sent.
 */
export async function importFindings(api: SecurityHubFindingsApi, findings: readonly AwsSecurityFinding[]): Promise<ImportOutcome> {
  const failures: ImportFailure[] = [];
  let pending: AwsSecurityFinding[] = [];
  for (const finding of findings) {
    const problems = validateAsffFinding(finding);
    if (problems.length === 0) pending.push(finding);
    else failures.push(failureOf(finding, 'InvalidAsff', problems.map((problem) => `${problem.field} ${problem.message}`).join('; ')));
  }
  const rounds = api.retryPolicy.failedFindingRounds;
  for (let round = 1; pending.length > 0; round += 1) {
    if (round > 1) await api.backoff(round - 1);
    const retry: AwsSecurityFinding[] = [];
    for (const batch of importBatches(pending)) {
      let output;
      try {
        output = await api.importBatch(batch);
      } catch (error) {
        // An abort, or a bug: not a failure of these findings.
        if (!(error instanceof SecurityHubCallError)) throw error;
        for (const finding of batch) failures.push(failureOf(finding, 'CallFailed', error.message));
        continue;
      }
      const byId = new Map(batch.map((finding) => [finding.Id ?? '', finding]));
      for (const failed of output.FailedFindings ?? []) {
        const finding = byId.get(failed.Id ?? '');
        if (finding === undefined) throw new Error(`BatchImportFindings answered a failure for ${String(failed.Id)}, which the call did not send`);
        if (isTransientFailedFinding(failed.ErrorCode) && round < rounds) retry.push(finding);
        else failures.push(failureOf(finding, failed.ErrorCode ?? 'Unknown', failed.ErrorMessage ?? ''));
      }
    }
    pending = retry;
  }
  return { imported: findings.length - failures.length, failures };
}

function failureOf(finding: AwsSecurityFinding, errorCode: string, errorMessage: string): ImportFailure {
  const ruleId = finding.ProductFields?.[PRODUCT_FIELD.ruleId];
  return { id: finding.Id ?? '', ...(ruleId === undefined ? {} : { ruleId }), errorCode, errorMessage };
}
