import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import { stsSdk } from './sdk.js';
import { describeAttemptError } from './retry.js';
import type { RetryOptions } from './retry-strategy.js';
import { createSecurityHubClient } from './securityhub-clients.js';

/** The placeholder of `securityHub.assumeRole` that each finding's account replaces. */
export const ACCOUNT_PLACEHOLDER = '{accountId}';

/** A session name the member account's CloudTrail shows: who imported. */
const SESSION_NAME = 'lfvaudit-import';

/** `arn:aws:iam::{accountId}:role/lfvaudit-import` for account 210987654321 → `arn:aws:iam::210987654321:role/lfvaudit-import`. */
export function roleArnFor(template: string, accountId: string): string {
  return template.split(ACCOUNT_PLACEHOLDER).join(accountId);
}

/**
 * A Security Hub client acting in another account, through STS AssumeRole of that account's role with
 * the caller's own credentials. Security Hub takes findings of the default product only from the
 * account they belong to (BatchImportFindings: "the identifier of the account that you are calling
 * BatchImportFindings from needs to be the same as the AwsAccountId attribute for the finding"), and an
 * organisation's delegated administrator cannot import on a member's behalf: each member account needs a
 * role lfvaudit may assume (docs/deploy.md). The session lasts an hour (the role's default maximum).
 */
export async function assumedSecurityHubClient(sts: STSClient, roleArn: string, region: string, retry?: RetryOptions): Promise<SecurityHubClient> {
  let credentials;
  try {
    credentials = (await sts.send(new (stsSdk().AssumeRoleCommand)({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }))).Credentials;
  } catch (error) {
    throw new Error(
      `cannot assume ${roleArn} (${describeAttemptError(error)}): the role must exist in that account and trust the account lfvaudit runs in (docs/deploy.md)`,
      { cause: error },
    );
  }
  if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined || credentials.SessionToken === undefined) {
    throw new Error(`STS AssumeRole of ${roleArn} answered no credentials`);
  }
  return createSecurityHubClient(region, {
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    },
    ...(retry === undefined ? {} : { retry }),
  });
}
