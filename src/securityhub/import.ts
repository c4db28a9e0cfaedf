import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
// Types only, erased at runtime: @smithy/types is the SDK's own type package, installed with every client.
import type { RetryToken, SdkError } from '@smithy/types';
import { validateAsffFinding } from '../findings/asff-limits.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';
import { SecurityHubCallError, type SecurityHubFindingsApi } from './api.js';
import { importBatches } from './batches.js';
import { isRetryableError, isThrottlingError } from '../aws/retry.js';

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
 * with a transient code (throttling, internal errors) are sent again in another round, for as long as
 * the client's retry strategy allows another attempt, after its backoff: each finding gets the attempts
 * and waits a call gets. The others are reported with their code and message. A call that fails even
 * after its own retries fails its whole batch, and the remaining batches are still sent.
 */
export async function importFindings(api: SecurityHubFindingsApi, findings: readonly AwsSecurityFinding[]): Promise<ImportOutcome> {
  const failures: ImportFailure[] = [];
  let pending: AwsSecurityFinding[] = [];
  for (const finding of findings) {
    const problems = validateAsffFinding(finding);
    if (problems.length === 0) pending.push(finding);
    else failures.push(failureOf(finding, 'InvalidAsff', problems.map((problem) => `${problem.field} ${problem.message}`).join('; ')));
  }
  const strategy = await api.retryStrategy();
  let token: RetryToken = await strategy.acquireInitialRetryToken('');
  while (pending.length > 0) {
    const transient: { finding: AwsSecurityFinding; error: SdkError }[] = [];
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
        const error = failedFindingError(failed.ErrorCode ?? 'Unknown', failed.ErrorMessage ?? '');
        if (isRetryableError(error)) transient.push({ finding, error });
        else failures.push(failureOf(finding, error.name, error.message));
      }
    }
    pending = transient.map(({ finding }) => finding);
    const [first] = transient;
    if (first === undefined) break;
    try {
      // Another round after the strategy's backoff, or a refusal: not transient after all, or attempts used up.
      token = await untilAborted(
        strategy.refreshRetryTokenForRetry(token, { error: first.error, errorType: isThrottlingError(first.error) ? 'THROTTLING' : 'TRANSIENT' }),
        api.signal,
      );
    } catch {
      api.signal?.throwIfAborted();
      for (const { finding, error } of transient) failures.push(failureOf(finding, error.name, error.message));
      break;
    }
  }
  return { imported: findings.length - failures.length, failures };
}

/** A finding's failure as the error a failed call would have thrown, so that one classification and one policy judge both. */
function failedFindingError(errorCode: string, errorMessage: string): SdkError {
  // A fresh Error has no `cause`, the one property whose type SdkError narrows.
  return Object.assign(new Error(errorMessage), { name: errorCode }) as SdkError;
}

/** The promise's outcome, or a rejection as soon as the signal aborts (the promise runs on, unheeded). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => reject(new Error('aborted'));
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

function failureOf(finding: AwsSecurityFinding, errorCode: string, errorMessage: string): ImportFailure {
  const ruleId = finding.ProductFields?.[PRODUCT_FIELD.ruleId];
  return { id: finding.Id ?? '', ...(ruleId === undefined ? {} : { ruleId }), errorCode, errorMessage };
}
