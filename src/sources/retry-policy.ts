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

/**
 * The wait before retry number `retry` (1 for the first): exponential backoff with "equal jitter",
 * half the ceiling fixed and half random, so waits always grow yet clients that failed together
 * spread out (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * `random` returns a number in [0, 1).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}

/** A complete policy from a partial one, checked: a policy that could never try, or wait forever, is a bug. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`retry maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0 && policy.maxDelayMs >= policy.baseDelayMs && Number.isFinite(policy.maxDelayMs))) {
    throw new RangeError(`retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs < ∞, got ${policy.baseDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}
