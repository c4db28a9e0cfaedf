import { setTimeout as delay } from 'node:timers/promises';
// Types only, erased at runtime: @smithy/types is the SDK's own type package, installed with every client.
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { isRetryableError } from './retry.js';

/** How often and how patiently a transient failure is tried again. */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Backoff ceiling before the first retry; it doubles with each further retry. */
  readonly baseDelayMs: number;
  /** The ceiling never grows past this. */
  readonly maxDelayMs: number;
}

/**
 * Six attempts over about half a minute at worst: long enough to ride out a burst of throttling from
 * another client sharing the account's limits (2 LookupEvents calls a second), short enough for a nightly job.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 20_000 };

/** A policy, and the waiting and jitter it uses (injected by tests, to make backoff instant and deterministic). */
export interface RetryOptions extends Partial<RetryPolicy> {
  /** Waits between attempts. Default: real time. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Backoff jitter, in [0, 1). Default: Math.random. */
  readonly random?: () => number;
}

/**
 * The one retry policy of every AWS client lfvaudit builds, as the SDK's own retry middleware runs it
 * (the client's `retryStrategy`): that middleware re-sends each failed attempt, signed afresh, through
 * the middleware below it, pacing included. Failures are classified by isRetryableError, and the wait
 * happens here, before the token is handed back, so it goes through the injected `sleep`; the
 * middleware races it against the call's abort signal.
 *
 * Unlike the SDK's StandardRetryStrategy there is no retry quota shared by a client's calls: a nightly
 * job makes few calls, and each one that fails should get its full set of attempts.
 */
export class BackoffRetryStrategy implements RetryStrategyV2 {
  readonly policy: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: RetryOptions = {}) {
    const { sleep, random, ...overrides } = options;
    this.policy = checkedPolicy({ ...DEFAULT_RETRY_POLICY, ...overrides });
    this.#sleep = sleep ?? ((ms) => delay(ms));
    this.#random = random ?? Math.random;
  }

  acquireInitialRetryToken(): Promise<RetryToken> {
    return Promise.resolve(retryToken(0));
  }

  /** The token for the next attempt, after the backoff wait; rejects when the error is not transient or the attempts are used up. */
  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retry = token.getRetryCount() + 1;
    if (retry >= this.policy.maxAttempts || !isRetryableError(errorInfo.error)) throw new Error('no retry: not transient, or attempts used up');
    await this.#sleep(backoffDelayMs(retry, this.policy, this.#random));
    return retryToken(retry);
  }

  recordSuccess(): void {}
}

function retryToken(retries: number): RetryToken {
  return { getRetryCount: () => retries, getRetryDelay: () => 0 };
}

/** A policy that could never try, or wait forever, is a bug. */
function checkedPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new RangeError(`retry maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0 && policy.maxDelayMs >= policy.baseDelayMs && Number.isFinite(policy.maxDelayMs))) {
    throw new RangeError(`retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs < ∞, got ${policy.baseDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}

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
