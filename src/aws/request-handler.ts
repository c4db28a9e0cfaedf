/**
 * Node request handler settings for every AWS client lfvaudit makes: a hung connection fails after
 * `timeoutMs` and is retried by the caller. Without `throwOnRequestTimeout` the SDK's Node handler
 * only logs a warning when a request times out; connecting gets at most 5 s of it.
 */
export function requestHandlerWithTimeouts(timeoutMs: number): {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: true;
  readonly socketTimeout: number;
} {
  return { connectionTimeout: Math.min(timeoutMs, 5_000), requestTimeout: timeoutMs, throwOnRequestTimeout: true, socketTimeout: timeoutMs };
}
