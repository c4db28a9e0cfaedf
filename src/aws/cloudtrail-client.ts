import type { CloudTrailClient, CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { cloudTrailSdk } from './sdk.js';
import { requestHandlerWithTimeouts } from './request-handler.js';

export interface CloudTrailClientOptions extends Omit<CloudTrailClientConfig, 'region' | 'requestHandler' | 'maxAttempts' | 'retryStrategy'> {
  /**
   * Longest wait for a connection, for a response, and for the next bytes of a response. Default
   * 30 s; LookupEvents normally answers within a second, so a hung connection fails fast enough to
   * be retried and the nightly run ends.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A CloudTrail client as CloudTrailSource uses it. Credentials, region and endpoint come from the SDK's
 * standard chains (AWS_PROFILE, AWS_REGION, SSO, instance roles, AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_CLOUDTRAIL) unless `options` give them; an undefined region means the SDK's own.
 *
 * Two settings differ from the SDK's defaults:
 * - one attempt per send: CloudTrailSource retries itself, with backoff it can make deterministic in
 *   tests and a classification that covers bodies cut short;
 * - timeouts that throw: by default the Node handler has no request timeout, and even a configured
 *   one only logs a warning unless `throwOnRequestTimeout` is set.
 */
export function createCloudTrailClient(region: string | undefined, options: CloudTrailClientOptions = {}): CloudTrailClient {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, ...config } = options;
  return new (cloudTrailSdk().CloudTrailClient)({
    ...config,
    ...(region === undefined ? {} : { region }),
    maxAttempts: 1,
    requestHandler: requestHandlerWithTimeouts(timeoutMs),
  });
}
