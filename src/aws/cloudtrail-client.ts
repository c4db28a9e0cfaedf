import type { CloudTrailClient, CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { cloudTrailSdk } from './sdk.js';
import { clientSettings } from './client-settings.js';
import type { RetryOptions } from './retry-strategy.js';

export interface CloudTrailClientOptions extends Omit<CloudTrailClientConfig, 'region' | 'requestHandler' | 'maxAttempts' | 'retryStrategy'> {
  /**
   * Longest wait for a connection, for a response, and for the next bytes of a response. Default
   * 30 s; LookupEvents normally answers within a second, so a hung connection fails fast enough to
   * be retried and the nightly run ends.
   */
  readonly timeoutMs?: number;
  /** Default: DEFAULT_RETRY_POLICY, waiting in real time. */
  readonly retry?: RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A CloudTrail client as CloudTrailSource uses it. Credentials, region and endpoint come from the SDK's
 * standard chains (AWS_PROFILE, AWS_REGION, SSO, instance roles, AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_CLOUDTRAIL) unless `options` give them; an undefined region means the SDK's own.
 * It retries by lfvaudit's one policy and its timeouts throw (client-settings.ts).
 */
export function createCloudTrailClient(region: string | undefined, options: CloudTrailClientOptions = {}): CloudTrailClient {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, retry, ...config } = options;
  return new (cloudTrailSdk().CloudTrailClient)({
    ...config,
    ...(region === undefined ? {} : { region }),
    ...clientSettings(timeoutMs, retry),
  });
}
