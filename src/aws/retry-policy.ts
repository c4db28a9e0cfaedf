/** How often and how patiently a transient failure is tried again. */
export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** Backoff ceiling before the first retry; it doubles with each further retry. */
  readonly baseDelayMs: number;
  /** The ceiling never grows past this. */
  readonly maxDelayMs: number;
}

/**
 * Six attempts over about half a minute at worst: long enough to ride out a burst of throttling from
 * another client sharing the account's 2 LookupEvents calls per second, short enough for a nightly job.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 20_000 };

/** A complete policy from a partial one, checked: a policy that could never try, or wait forever, is a bug. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`retry maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0 && policy.maxDelayMs >= policy.baseDelayMs && Number.isFinite(policy.maxDelayMs))) {
    throw new RangeError(`retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs < ∞, got ${policy.baseDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}
