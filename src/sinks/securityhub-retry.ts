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
 * The wait before retry number `retry` (1 for the first): exponential backoff with "equal jitter", half
 * the ceiling fixed and half random (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function backoffDelayMs(retry: number, policy: SecurityHubRetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}

/** Security Hub answers throttling with HTTP 429 TooManyRequestsException; the others are other services' names for the same. */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded']);
const SERVER_ERRORS: ReadonlySet<string> = new Set(['InternalException', 'InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError']);
/** Dropped or refused connections; a body cut short surfaces as a plain Error with code ECONNRESET. */
const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Throttling, HTTP 429 and 5xx, timeouts and dropped connections are worth another attempt; access denied or a bad request are not. */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING_ERRORS.has(error.name) || SERVER_ERRORS.has(error.name)) return true;
  const status = httpStatusOf(error);
  if (status === 429 || (status !== undefined && status >= 500 && status <= 599)) return true;
  const code = errorCodeOf(error);
  return code !== undefined && CONNECTION_ERROR_CODES.has(code);
}

/**
 * Whether a finding that BatchImportFindings answered as failed may succeed when sent again. The
 * codes are not enumerated in the API reference; throttling, internal errors, unavailability and
 * timeouts are taken as passing, anything else (InvalidInput, access) as the finding's own fault.
 */
export function isTransientFailedFinding(errorCode: string | undefined): boolean {
  return errorCode !== undefined && /throttl|toomanyrequests|limitexceeded|internal|unavailable|timeout/i.test(errorCode);
}

/** `TooManyRequestsException (HTTP 429): Rate exceeded`, `Error (ECONNRESET): socket hang up`: the first line only. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${String(error)}`;
  const code = errorCodeOf(error);
  const status = httpStatusOf(error);
  const detail = code !== undefined && code !== error.name ? code : status !== undefined ? `HTTP ${status}` : undefined;
  const message = error.message.split('\n', 1)[0]?.trim() ?? '';
  return `${error.name}${detail === undefined ? '' : ` (${detail})`}${message === '' ? '' : `: ${message}`}`;
}

function httpStatusOf(error: Error): number | undefined {
  const metadata: unknown = Object.hasOwn(error, '$metadata') ? (error as { $metadata?: unknown }).$metadata : undefined;
  if (typeof metadata !== 'object' || metadata === null || !Object.hasOwn(metadata, 'httpStatusCode')) return undefined;
  const status: unknown = (metadata as { httpStatusCode?: unknown }).httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorCodeOf(error: Error): string | undefined {
  const code: unknown = Object.hasOwn(error, 'code') ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
