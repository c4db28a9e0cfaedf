import { backoffDelayMs, describeAttemptError, isRetryableError } from '../../aws/retry.js';
import type { RetryPolicy } from '../../aws/retry-policy.js';

/** How the S3 source tries a request again: its policy, and the waits and jitter (injected for tests). */
export interface S3RetryPlan {
  readonly policy: RetryPolicy;
  /** Rejects when the signal aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Backoff jitter, in [0, 1). */
  readonly random: () => number;
}

export type Attempted<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * The value of `run`, tried again after throttling (503 SlowDown), 5xx, timeouts and dropped
 * connections, or why it failed: `failed after 3 attempts: InternalError (HTTP 500): ...`. An abort is
 * thrown as the signal's reason: the caller asked to stop, nothing failed.
 */
export async function withRetries<T>(run: () => Promise<T>, plan: S3RetryPlan, signal: AbortSignal | undefined): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      signal?.throwIfAborted();
      if (attempt >= plan.policy.maxAttempts || !isRetryableError(error)) {
        return { ok: false, reason: `failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${describeAttemptError(error)}` };
      }
    }
    try {
      await plan.sleep(backoffDelayMs(attempt, plan.policy, plan.random), signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw error;
    }
  }
}
