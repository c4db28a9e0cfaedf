/** How often and how patiently a transient Security Hub failure is tried again. */
export interface SecurityHubRetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** Backoff ceiling before the first retry; it doubles with each further retry. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Rounds of re-sending the findings a successful BatchImportFindings answered as FailedFindings
   * with a transient error code, the first send included.
   */
  readonly failedFindingRounds: number;
}

/** Six attempts over half a minute at worst: enough to ride out a neighbour's burst, short enough for a nightly job. */
export const DEFAULT_SECURITY_HUB_RETRY: SecurityHubRetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 10_000, failedFindingRounds: 4 };

export function securityHubRetryPolicy(overrides: Partial<SecurityHubRetryPolicy> = {}): SecurityHubRetryPolicy {
  const policy = { ...DEFAULT_SECURITY_HUB_RETRY, ...overrides };
  for (const [name, value] of [
    ['maxAttempts', policy.maxAttempts],
    ['failedFindingRounds', policy.failedFindingRounds],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`retry ${name} must be a whole number ≥ 1, got ${value}`);
  }
  if (!(policy.baseDelayMs >= 0 && policy.maxDelayMs >= policy.baseDelayMs && Number.isFinite(policy.maxDelayMs))) {
    throw new RangeError(`retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs < ∞, got ${policy.baseDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}

/**
 * Whether a finding that BatchImportFindings answered as failed may succeed when sent again. The
 * codes are not enumerated in the API reference; throttling, internal errors, unavailability and
 * timeouts are taken as passing, anything else (InvalidInput, access) as the finding's own fault.
 */
export function isTransientFailedFinding(errorCode: string | undefined): boolean {
  return errorCode !== undefined && /throttl|toomanyrequests|limitexceeded|internal|unavailable|timeout/i.test(errorCode);
}
