import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { s3Sdk } from './sdk.js';
import { requestHandlerWithTimeouts } from './request-handler.js';

export interface S3ClientOptions extends Omit<S3ClientConfig, 'requestHandler' | 'maxAttempts' | 'retryStrategy'> {
  /** Longest wait for a connection, a response, and the next bytes of a body. Default 60 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * An S3 client as S3TrailSource uses it. Credentials, region and endpoint come from the SDK's standard
 * chains (AWS_PROFILE, AWS_REGION, instance roles, AWS_ENDPOINT_URL_S3) unless `options` give them;
 * `endpoint` and `forcePathStyle` reach S3-compatible stores (MinIO, Ceph, s3rver).
 *
 * Differences from the SDK's defaults: one attempt per send (the source retries, including bodies cut
 * short mid-stream, which the SDK does not); timeouts that throw; and region redirects followed, since
 * a trail bucket often lives in another region than the one the SDK picks.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, ...config } = options;
  return new (s3Sdk().S3Client)({
    followRegionRedirects: true,
    ...config,
    maxAttempts: 1,
    requestHandler: requestHandlerWithTimeouts(timeoutMs),
  });
}
