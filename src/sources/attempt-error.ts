/**
 * What a failed LookupEvents attempt was, from the error the SDK threw: worth another attempt or not,
 * and a one-line reason for the report.
 */

/** The service's throttling answers (CloudTrail's is ThrottlingException with HTTP 400). */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

/**
 * Connection failures. The SDK's Node handler renames some of them TimeoutError but keeps the code;
 * a body cut short after the headers surfaces as a plain Error with code ECONNRESET.
 */
const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Throttling, HTTP 429 and 5xx, timeouts and dropped connections are transient; anything else (access denied, a bad NextToken) is not. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING_ERRORS.has(error.name) || error.name === 'TimeoutError') return true;
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
