import type { SecurityHubClient, SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import { securityHubSdk, stsSdk } from './sdk.js';
import { clientSettings } from './client-settings.js';
import type { RetryOptions } from './retry-strategy.js';

/** Longest wait for a connection, a response, or the next bytes of one: a hung connection fails and is retried. */
const TIMEOUT_MS = 30_000;

export interface SecurityHubClientOptions {
  /** Another account's credentials (from AssumeRole). Default: the SDK's standard chain. */
  readonly credentials?: SecurityHubClientConfig['credentials'];
  /** Default: DEFAULT_RETRY_POLICY, waiting in real time. */
  readonly retry?: RetryOptions;
}

/**
 * A Security Hub client for lfvaudit's calls. Credentials, region and endpoint come from the SDK's
 * standard chains (AWS_PROFILE, AWS_REGION, SSO, instance roles, AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_SECURITYHUB) unless `options` give credentials; an undefined region means the SDK's
 * own. It retries by lfvaudit's one policy and its timeouts throw (client-settings.ts);
 * SecurityHubFindingsApi paces every attempt.
 */
export function createSecurityHubClient(region: string | undefined, options: SecurityHubClientOptions = {}): SecurityHubClient {
  const { credentials, retry } = options;
  return new (securityHubSdk().SecurityHubClient)({
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
    ...clientSettings(TIMEOUT_MS, retry),
  });
}

/** An STS client for GetCallerIdentity and AssumeRole (AWS_ENDPOINT_URL_STS applies), with the same retries and timeouts. */
export function createStsClient(region: string | undefined, retry?: RetryOptions): STSClient {
  return new (stsSdk().STSClient)({ ...(region === undefined ? {} : { region }), ...clientSettings(TIMEOUT_MS, retry) });
}
