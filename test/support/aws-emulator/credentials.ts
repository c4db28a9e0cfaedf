/**
 * An access key the emulator accepts, and the identity behind it. The account decides which
 * CloudTrail history and Security Hub findings a request sees.
 */
export interface EmulatorCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  /** STS GetCallerIdentity's Arn; default `arn:aws:iam::<accountId>:user/lfvaudit-test`. */
  readonly arn?: string;
  /** STS GetCallerIdentity's UserId; default `AIDA` followed by the access key's last 16 characters. */
  readonly userId?: string;
  /** Temporary credentials (from AssumeRole) must come with this X-Amz-Security-Token. */
  readonly sessionToken?: string;
}

/** The key pair from the AWS documentation's examples: obviously not a secret, never valid on AWS. */
export const TEST_CREDENTIAL: EmulatorCredential = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  accountId: '123456789012',
};

export const TEST_REGION = 'us-east-1';

export function callerArn(credential: EmulatorCredential): string {
  return credential.arn ?? `arn:aws:iam::${credential.accountId}:user/lfvaudit-test`;
}

export function callerUserId(credential: EmulatorCredential): string {
  return credential.userId ?? `AIDA${credential.accessKeyId.slice(-16)}`;
}
