import { BackoffRetryStrategy, type RetryOptions } from './retry-strategy.js';

/**
 * What every AWS client lfvaudit builds shares: the one retry policy (run by the SDK's retry
 * middleware, see retry-strategy.ts; `maxAttempts` only labels each attempt's header) and timeouts
 * that throw. Without `throwOnRequestTimeout` the SDK's Node handler only logs a warning when a request
 * times out; connecting gets at most 5 s of `timeoutMs`, and a hung connection fails after `timeoutMs`
 * and is retried.
 */
export function clientSettings(
  timeoutMs: number,
  retry: RetryOptions = {},
): {
  readonly retryStrategy: BackoffRetryStrategy;
  readonly maxAttempts: number;
  readonly requestHandler: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    readonly throwOnRequestTimeout: true;
    readonly socketTimeout: number;
  };
} {
  const retryStrategy = new BackoffRetryStrategy(retry);
  return {
    retryStrategy,
    maxAttempts: retryStrategy.policy.maxAttempts,
    requestHandler: { connectionTimeout: Math.min(timeoutMs, 5_000), requestTimeout: timeoutMs, throwOnRequestTimeout: true, socketTimeout: timeoutMs },
  };
}
