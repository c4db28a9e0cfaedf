/**
 * STS: GetCallerIdentity (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
 * and AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) of roles the
 * test creates, each trusting some accounts. AssumeRole issues temporary credentials that the emulator
 * then accepts like any other key, with their session token, as a principal of the role's account.
 */
import { randomBytes } from 'node:crypto';
import { AwsApiError } from './api-error.js';
import { callerArn, callerUserId, type EmulatorCredential } from './credentials.js';
import { isJsonObject, ownString } from './json-value.js';
import type { OperationRequest } from './operation.js';

export function getCallerIdentity(request: OperationRequest): { Account: string; Arn: string; UserId: string } {
  const { credential } = request.caller;
  return { Account: credential.accountId, Arn: callerArn(credential), UserId: callerUserId(credential) };
}

/** The part of STS tests use: `emulator.state.sts`. */
export interface StsState {
  /** Makes `arn:aws:iam::ACCOUNT:role/[PATH/]NAME` assumable by principals of the trusted accounts (its trust policy). */
  createRole(role: { readonly arn: string; readonly trustedAccounts: readonly string[] }): void;
  /** Every AssumeRole that succeeded, in order. */
  readonly assumedRoles: readonly { readonly roleArn: string; readonly sessionName: string; readonly callerAccountId: string }[];
}

interface Role {
  readonly arn: string;
  readonly accountId: string;
  readonly name: string;
  /** `AROA…`: the unique id the AssumedRoleId starts with. */
  readonly roleId: string;
  readonly trustedAccounts: readonly string[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** A role's default maximum session duration; AssumeRole asks for at most this without a role setting. */
const MAX_SESSION_SECONDS = 3600;

export class StsRoles implements StsState {
  readonly #roles = new Map<string, Role>();
  readonly #assumed: { roleArn: string; sessionName: string; callerAccountId: string }[] = [];

  /** `issue` makes the emulator accept a new credential. */
  constructor(private readonly issue: (credential: EmulatorCredential) => void) {}

  get assumedRoles(): StsState['assumedRoles'] {
    return [...this.#assumed];
  }

  createRole(role: { readonly arn: string; readonly trustedAccounts: readonly string[] }): void {
    const match = ROLE_ARN.exec(role.arn);
    if (match === null) throw new TypeError(`not a role ARN: ${role.arn}`);
    this.#roles.set(role.arn, {
      arn: role.arn,
      accountId: match[1] ?? '',
      name: match[2] ?? '',
      roleId: `AROA${randomId(16)}`,
      trustedAccounts: [...role.trustedAccounts],
    });
  }

  assumeRole(request: OperationRequest): unknown {
    const input = isJsonObject(request.input) ? request.input : {};
    const roleArn = ownString(input, 'RoleArn');
    const sessionName = ownString(input, 'RoleSessionName');
    if (roleArn === undefined || roleArn.length < 20 || roleArn.length > 2048)
      throw validationError("Value at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048");
    if (sessionName === undefined || !SESSION_NAME.test(sessionName)) {
      throw validationError(
        "Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64",
      );
    }
    const duration = Number(ownString(input, 'DurationSeconds') ?? MAX_SESSION_SECONDS);
    if (!Number.isInteger(duration) || duration < 900 || duration > MAX_SESSION_SECONDS) {
      throw validationError(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role (or is below 900): ${String(duration)}`);
    }
    const caller = request.caller.credential;
    const role = this.#roles.get(roleArn);
    // AWS answers the same for a role that does not exist and one whose trust policy leaves the caller out.
    if (role === undefined || !role.trustedAccounts.includes(caller.accountId)) {
      throw new AwsApiError('AccessDenied', 403, `User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    const assumedRoleId = `${role.roleId}:${sessionName}`;
    const arn = `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
    const credential: EmulatorCredential = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      accountId: role.accountId,
      arn,
      userId: assumedRoleId,
    };
    this.issue(credential);
    this.#assumed.push({ roleArn, sessionName, callerAccountId: caller.accountId });
    return {
      Credentials: {
        AccessKeyId: credential.accessKeyId,
        SecretAccessKey: credential.secretAccessKey,
        SessionToken: credential.sessionToken,
        Expiration: new Date(request.now + duration * 1000).toISOString(),
      },
      AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: arn },
    };
  }
}

function validationError(message: string): AwsApiError {
  return new AwsApiError('ValidationError', 400, `1 validation error detected: ${message}`);
}

/** Upper-case letters and digits, as AWS's key ids use. */
function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
