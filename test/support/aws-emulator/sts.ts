/** STS GetCallerIdentity (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). */
import { callerArn, callerUserId } from './credentials.js';
import type { OperationRequest } from './operation.js';

export function getCallerIdentity(request: OperationRequest): { Account: string; Arn: string; UserId: string } {
  const { credential } = request.caller;
  return { Account: credential.accountId, Arn: callerArn(credential), UserId: callerUserId(credential) };
}
