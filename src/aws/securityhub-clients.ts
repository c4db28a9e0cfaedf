import type { SecurityHubClient, SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import { securityHubSdk, stsSdk } from './sdk.js';
import { requestHandlerWithTimeouts } from './request-handler.js';

/** Longest wait for a connection, a response, or the next bytes of one: a hung connection fails and is retried. */
const TIMEOUT_MS = 30_000;

const REQUEST_HANDLER = requestHandlerWithTimeouts(TIMEOUT_MS);

/**
 * A Security Hub client for lfvaudit's calls. Credentials, region and endpoint come from the SDK's
 * standard chains (AWS_PROFILE, AWS_REGION, SSO, instance roles, AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_SECURITYHUB) unless `credentials` are given (another account's, from AssumeRole); an
 * undefined region means the SDK's own. One attempt per send: SecurityHubFindingsApi retries itself,
 * with backoff tests can make fast, and paces every attempt.
 */
export function createSecurityHubClient(region: string | undefined, credentials?: SecurityHubClientConfig['credentials']): SecurityHubClient {
  return new (securityHubSdk().SecurityHubClient)({ ...(region === undefined ? {} : { region }), ...(credentials === undefined ? {} : { credentials }), maxAttempts: 1, requestHandler: REQUEST_HANDLER });
}

/** An STS client for GetCallerIdentity and AssumeRole (AWS_ENDPOINT_URL_STS applies), with the SDK's standard retries. */
export function createStsClient(region: string | undefined): STSClient {
  return new (stsSdk().STSClient)({ ...(region === undefined ? {} : { region }), requestHandler: REQUEST_HANDLER });
}
