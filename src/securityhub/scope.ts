import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import { stsSdk } from '../aws/sdk.js';
import { partitionOf } from '../grouping/record-resources.js';
import { isMissingCredentialsError, missingCredentialsText } from '../aws/credentials-advice.js';
import { unknownRegionProblem } from '../aws/regions.js';
import { describeAttemptError } from '../aws/retry.js';

/** The Security Hub that receives findings: its account and region, and the product ARN findings are imported under. */
export interface ProductScope {
  readonly accountId: string;
  readonly region: string;
  /** `arn:aws:securityhub:<region>:<account>:product/<account>/default`: the only product a custom integration may import into. */
  readonly productArn: string;
}

/**
 * The receiving Security Hub's scope: the region the client was configured with (the sink's config,
 * else the SDK's chain), and the account from the config, else from STS GetCallerIdentity: findings
 * for the default product must come from the account they are imported into. A Region that is not an
 * AWS Region (from AWS_REGION or a profile too) is refused here, before any call.
 */
export async function resolveProductScope(options: {
  readonly securityHub: SecurityHubClient;
  readonly sts: () => STSClient;
  readonly accountId?: string;
  /** Where this command takes a Region, for the message when there is none: `--region REGION or securityHub.region in the config`. */
  readonly regionOptions?: string;
}): Promise<ProductScope> {
  let region: string;
  try {
    region = await options.securityHub.config.region();
  } catch (error) {
    const given = options.regionOptions ?? '--sink securityhub:REGION or securityHub.region in the config';
    throw new Error(`no AWS region for Security Hub (${describeAttemptError(error)}): give one with ${given}, or set AWS_REGION or the AWS profile's region`, {
      cause: error,
    });
  }
  const unknown = unknownRegionProblem(region);
  if (unknown !== undefined) throw new Error(`Security Hub: ${unknown}`);
  const accountId = options.accountId ?? (await callerAccount(options.sts()));
  return { accountId, region, productArn: productArnOf(accountId, region) };
}

export function productArnOf(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

async function callerAccount(sts: STSClient): Promise<string> {
  let account: string | undefined;
  try {
    account = (await sts.send(new (stsSdk().GetCallerIdentityCommand)({}))).Account;
  } catch (error) {
    if (isMissingCredentialsError(error)) throw new Error(missingCredentialsText(error as Error), { cause: error });
    throw new Error(
      `cannot tell which account receives the findings: STS GetCallerIdentity failed (${describeAttemptError(error)}); set securityHub.accountId in the config`,
      { cause: error },
    );
  }
  if (account === undefined || !/^\d{12}$/.test(account))
    throw new Error(`STS GetCallerIdentity answered no account id (${String(account)}); set securityHub.accountId in the config`);
  return account;
}
