/**
 * Per-account, per-region request rates as AWS documents them, enforced with token buckets on the
 * emulator's clock:
 * - LookupEvents: 2 per second, not raisable (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html)
 * - BatchImportFindings: 10 per second, burst 30; GetFindings: 3 per second, burst 6
 *   (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-limits.html)
 * Other operations are not limited here.
 */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export const DOCUMENTED_RATE_LIMITS: ReadonlyMap<string, RateLimit> = new Map([
  ['LookupEvents', { perSecond: 2, burst: 2 }],
  ['BatchImportFindings', { perSecond: 10, burst: 30 }],
  ['GetFindings', { perSecond: 3, burst: 6 }],
]);

/** A bucket that starts full, refills continuously, and admits a request only for a whole token. */
class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.refilledAt = now;
  }

  take(now: number): boolean {
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsedSeconds * this.limit.perSecond);
    this.refilledAt = Math.max(this.refilledAt, now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface RateLimitKey {
  readonly operation: string;
  readonly accountId: string;
  readonly region: string;
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limits: ReadonlyMap<string, RateLimit> = DOCUMENTED_RATE_LIMITS) {}

  /** True when the request may proceed; false when AWS would throttle it. */
  admit(key: RateLimitKey, now: number): boolean {
    const limit = this.limits.get(key.operation);
    if (limit === undefined) return true;
    const id = `${key.operation}\n${key.accountId}\n${key.region}`;
    let bucket = this.buckets.get(id);
    if (bucket === undefined) {
      bucket = new TokenBucket(limit, now);
      this.buckets.set(id, bucket);
    }
    return bucket.take(now);
  }
}
