import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';

/** A request rate as a token bucket: `burst` requests at once, then `perSecond` on average. */
export interface TokenRate {
  readonly perSecond: number;
  readonly burst: number;
}

/** What pacing needs of time: a monotonic clock in milliseconds, and a way to wait. */
export interface PacingClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Security Hub's documented limits per account and region are BatchImportFindings 10 requests a second
 * with bursts of 30, GetFindings 3 with bursts of 6
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-limits.html). lfvaudit keeps
 * the rate and a smaller burst: the service counts a request when it arrives, the bucket when it
 * leaves, and the difference in delays on the way eats into the service's burst. The third of the
 * burst left over absorbs a full second of such jitter (and a neighbour's calls).
 */
export const SECURITY_HUB_RATES = {
  batchImportFindings: { perSecond: 10, burst: 20 },
  getFindings: { perSecond: 3, burst: 3 },
} as const satisfies Record<string, TokenRate>;

/**
 * A token bucket that makes callers wait for their turn, in the order they asked: it starts full,
 * refills continuously at `perSecond`, holds at most `burst`, and every request takes one token.
 */
export class TokenBucket {
  readonly #rate: TokenRate;
  readonly #clock: PacingClock;
  #tokens: number;
  #refilledAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(rate: TokenRate, clock: PacingClock) {
    if (!(rate.perSecond > 0) || !Number.isInteger(rate.burst) || rate.burst < 1) {
      throw new RangeError(`a token bucket needs a rate above 0 and a whole burst ≥ 1, got ${rate.perSecond}/s and ${rate.burst}`);
    }
    this.#rate = rate;
    this.#clock = clock;
    this.#tokens = rate.burst;
    this.#refilledAt = clock.now();
  }

  /** Resolves once a token is taken; rejects, taking none, when the signal aborts the wait. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#takeNow(signal));
    // The next caller waits for this one, whether it got its token or gave up.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #takeNow(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil(((1 - this.#tokens) * 1000) / this.#rate.perSecond), signal);
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(this.#rate.burst, this.#tokens + (elapsed * this.#rate.perSecond) / 1000);
    this.#refilledAt = Math.max(this.#refilledAt, now);
  }
}

const PACING_MIDDLEWARE_NAME = 'lfvauditSecurityHubPacing';

/**
 * Makes every HTTP attempt of a command take a token first, the SDK's own retries included: the
 * middleware sits right after the SDK's retry middleware, which runs everything below it once per
 * attempt, and before signing, so each attempt is signed when it actually leaves. It is added to the
 * command, not the client, so a client handed in is left as it was.
 */
export function paceEveryAttempt<Input extends object, Output extends object>(commandStack: MiddlewareStack<Input, Output>, bucket: TokenBucket, signal: AbortSignal | undefined): void {
  const pace: FinalizeRequestMiddleware<Input, Output> = (next) => async (args) => {
    await bucket.take(signal);
    return next(args);
  };
  commandStack.addRelativeTo(pace, { relation: 'after', toMiddleware: 'retryMiddleware', name: PACING_MIDDLEWARE_NAME });
}
