import { retrySettings, type RetryOptions } from './retry-strategy.js';

/**
 * What every AWS client lfvaudit builds shares: the one retry policy (run by the SDK's retry
 * middleware, see retry-strategy.ts) and timeouts that throw. Without `throwOnRequestTimeout` the
 * SDK's Node handler only logs a warning when a request times out; connecting gets at most 5 s of
 * `timeoutMs`, and a hung connection fails after `timeoutMs` and is retried.
 */
export function clientSettings(timeoutMs: number, retry: RetryOptions | undefined): ReturnType<typeof retrySettings> & {
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number; readonly throwOnRequestTimeout: true; readonly socketTimeout: number };
} {
  return {
    ...retrySettings(retry),
    requestHandler: { connectionTimeout: Math.min(timeoutMs, 5_000), requestTimeout: timeoutMs, throwOnRequestTimeout: true, socketTimeout: timeoutMs },
  };
}
