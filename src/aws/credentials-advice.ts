/**
 * The AWS SDK's answer when its default credential chain found nothing: a `CredentialsProviderError`
 * ("Could not load credentials from any providers"). Said plainly, with the standard ways to give
 * credentials and a Region, since any advice about the call that needed them would miss the cause.
 */
export function isMissingCredentialsError(error: unknown): boolean {
  return error instanceof Error && error.name === 'CredentialsProviderError';
}

/** The standard ways to give the SDK credentials, and a Region, as the AWS CLI documents them. */
export const CREDENTIALS_ADVICE =
  'give credentials in one of the standard ways: AWS_PROFILE naming a profile of ~/.aws/credentials or ~/.aws/config; ' +
  'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment; ' +
  'IAM Identity Center (SSO): `aws sso login --profile NAME`, then AWS_PROFILE=NAME; ' +
  "or an instance, container (ECS) or Lambda role. The Region comes from AWS_REGION or the profile's `region`";

/** `no AWS credentials: the AWS SDK's credential chain found none (…); give credentials …`. */
export function missingCredentialsText(error: Error): string {
  const detail = error.message.split('\n', 1)[0]?.trim() ?? '';
  return `no AWS credentials: the AWS SDK's credential chain found none${detail === '' ? '' : ` (${detail})`}; ${CREDENTIALS_ADVICE}`;
}
