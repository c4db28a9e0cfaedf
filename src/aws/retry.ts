/**
 * What a failed AWS call attempt was, from the error the SDK threw: worth another attempt or not, and a
 * one-line reason for the report. Shared by every source and sink that retries on its own.
 */

/** Throttling answers: CloudTrail's ThrottlingException (HTTP 400), Security Hub's TooManyRequestsException (429), and others'. */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);
/** Server-side failures some services name without a 5xx status the SDK exposes. */
const SERVER_ERRORS: ReadonlySet<string> = new Set(['InternalException', 'InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError']);

/**
 * Connection failures. The SDK's Node handler renames some of them TimeoutError but keeps the code;
 * a body cut short after the headers surfaces as a plain Error with code ECONNRESET.
 */
const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Throttling, HTTP 429 and 5xx, timeouts and dropped connections are transient; anything else (access denied, a bad NextToken) is not. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING_ERRORS.has(error.name) || SERVER_ERRORS.has(error.name)) return true;
  const status = httpStatusOf(error);
  if (status === 429 || (status !== undefined && status >= 500 && status <= 599)) return true;
  const code = errorCodeOf(error);
  return code !== undefined && CONNECTION_ERROR_CODES.has(code);
}

/**
 * `ThrottlingException (HTTP 400): Rate exceeded`, `TimeoutError (ECONNRESET): socket hang up`. Only
 * the first line of the message: the SDK appends hints about hidden fields to deserialization errors.
 */
export function describeAttemptError(error: unknown): string {
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

/**
 * The wait before retry number `retry` (1 for the first): exponential backoff with "equal jitter",
 * half the ceiling fixed and half random, so waits always grow yet clients that failed together
 * spread out (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * `random` returns a number in [0, 1).
 */
export function backoffDelayMs(retry: number, policy: { readonly baseDelayMs: number; readonly maxDelayMs: number }, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}
