import { isMissingCredentialsError, missingCredentialsText } from './credentials-advice.js';

/**
 * What a failed AWS call attempt was, from the error the SDK threw: worth another attempt or not, and a
 * one-line reason for the report. The retry strategy (retry-strategy.ts) decides with it; sources and
 * sinks describe a call that finally failed with it.
 */

/** Throttling answers: CloudTrail's ThrottlingException (HTTP 400), Security Hub's TooManyRequestsException (429), and others'. */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);
/** Server-side failures some services name without a 5xx status the SDK exposes. */
const SERVER_ERRORS: ReadonlySet<string> = new Set([
  'InternalException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
]);

/**
 * Connection failures. The SDK's Node handler renames some of them TimeoutError but keeps the code;
 * a body cut short after the headers surfaces as a plain Error with code ECONNRESET.
 */
const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Throttling, HTTP 429 and 5xx, timeouts and dropped connections are transient; anything else (access denied, a bad NextToken) is not. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isThrottlingError(error) || SERVER_ERRORS.has(error.name)) return true;
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 500 && status <= 599) return true;
  const code = errorCodeOf(error);
  return code !== undefined && CONNECTION_ERROR_CODES.has(code);
}

/** A throttling answer, by name or by HTTP 429. */
export function isThrottlingError(error: Error): boolean {
  return THROTTLING_ERRORS.has(error.name) || httpStatusOf(error) === 429;
}

/**
 * `ThrottlingException (HTTP 400): Rate exceeded`, `TimeoutError (ECONNRESET): socket hang up`. Only
 * the first line of the message: the SDK appends hints about hidden fields to deserialization errors.
 * No credentials at all is said as such, with the ways to give them (credentials-advice.ts).
 */
export function describeAttemptError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${String(error)}`;
  if (isMissingCredentialsError(error)) return missingCredentialsText(error);
  const code = errorCodeOf(error);
  const status = httpStatusOf(error);
  const detail = code !== undefined && code !== error.name ? code : status !== undefined ? `HTTP ${status}` : undefined;
  const message = error.message.split('\n', 1)[0]?.trim() ?? '';
  return `${error.name}${detail === undefined ? '' : ` (${detail})`}${message === '' ? '' : `: ${message}`}`;
}

/** `3 attempts`: how many attempts the SDK's retry middleware made before it gave up with this error (it records them on the error). */
export function attemptsMade(error: unknown): string {
  const metadata = metadataOf(error);
  const attempts: unknown = metadata !== undefined && Object.hasOwn(metadata, 'attempts') ? (metadata as { attempts?: unknown }).attempts : undefined;
  const count = typeof attempts === 'number' && attempts >= 1 ? attempts : 1;
  return `${count} attempt${count === 1 ? '' : 's'}`;
}

/** `failed after 3 attempts: InternalError (HTTP 500): ...`: a call that finally failed, as reports give it. */
export function describeFailedCall(error: unknown): string {
  return `failed after ${attemptsMade(error)}: ${describeAttemptError(error)}`;
}

function metadataOf(error: unknown): object | undefined {
  if (typeof error !== 'object' || error === null || !Object.hasOwn(error, '$metadata')) return undefined;
  const metadata: unknown = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null ? metadata : undefined;
}

function httpStatusOf(error: Error): number | undefined {
  const metadata = metadataOf(error);
  if (metadata === undefined || !Object.hasOwn(metadata, 'httpStatusCode')) return undefined;
  const status: unknown = (metadata as { httpStatusCode?: unknown }).httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorCodeOf(error: Error): string | undefined {
  const code: unknown = Object.hasOwn(error, 'code') ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
