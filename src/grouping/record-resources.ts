import { eventAccountOf, eventRegionOf, projectNameOf } from './group-key.js';
import { isRecordObject, stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { principalOf, userIdentityOf } from '../records/principal.js';

/** ASFF resource types lfvaudit uses. There is no Lookout for Vision type, so its ARNs go in as `Other`. */
export type CallerResourceType = 'AwsIamRole' | 'AwsIamUser' | 'Other';

/** The identity that made a call, as an ASFF resource: its type and canonical id (an ARN where there is one). */
export interface CallerResource {
  readonly type: CallerResourceType;
  readonly id: string;
}

/**
 * The Lookout for Vision project and model ARNs a record names. Records rarely carry a `resources`
 * array, so the ARNs are built from awsRegion, the account and requestParameters (projectName,
 * modelVersion); ARNs in a `resources` array are added when present. No duplicates, in that order.
 * `known` is the record's eventAccountOf, eventRegionOf and projectNameOf, when the caller has them.
 */
export function lookoutVisionResources(
  record: CloudTrailRecord,
  known?: { readonly account: string | undefined; readonly region: string | undefined; readonly project: string | undefined },
): string[] {
  const arns = new Set<string>();
  const region = known === undefined ? eventRegionOf(record) : known.region;
  const account = known === undefined ? eventAccountOf(record) : known.account;
  const project = known === undefined ? projectNameOf(record) : known.project;
  if (region !== undefined && account !== undefined && project !== undefined) {
    const prefix = `arn:${partitionOf(region)}:lookoutvision:${region}:${account}`;
    arns.add(`${prefix}:project/${project}`);
    const modelVersion = requestParameter(record, 'modelVersion');
    if (modelVersion !== undefined) arns.add(`${prefix}:model/${project}/${modelVersion}`);
  }
  for (const arn of resourceArrayArns(record)) arns.add(arn);
  return [...arns];
}

/**
 * The caller as an ASFF resource. Roles use the role's own ARN: `sessionIssuer.arn` keeps the role's
 * path, which an assumed-role ARN (`arn:aws:sts::111122223333:assumed-role/Name/session`) drops;
 * without a session issuer the role ARN is rebuilt from the assumed-role ARN. Undefined when the
 * record does not say who called.
 */
export function callerResourceOf(record: CloudTrailRecord): CallerResource | undefined {
  const issuerRole = sessionIssuerRoleOf(record);
  return issuerRole !== undefined ? { type: 'AwsIamRole', id: issuerRole } : callerResourceOfPrincipal(principalOf(record));
}

/** The IAM role ARN of `userIdentity.sessionContext.sessionIssuer` when the issuer is a role with a well-formed ARN. */
export function sessionIssuerRoleOf(record: CloudTrailRecord): string | undefined {
  const identity = userIdentityOf(record);
  const issuer = identity === undefined ? undefined : sessionIssuerOf(identity);
  if (issuer === undefined || stringField(issuer, 'type') !== 'Role') return undefined;
  const issuerArn = stringField(issuer, 'arn');
  return issuerArn !== undefined && IAM_ROLE_ARN.test(issuerArn) ? issuerArn : undefined;
}

/** {@link callerResourceOf} of a record without a role session issuer: from its {@link principalOf} alone. */
export function callerResourceOfPrincipal(principal: string): CallerResource | undefined {
  if (principal === 'unknown') return undefined;
  const assumedRole = ASSUMED_ROLE_ARN.exec(principal);
  if (assumedRole !== null) {
    const [, partition, account, roleName] = assumedRole;
    return { type: 'AwsIamRole', id: `arn:${partition}:iam::${account}:role/${roleName}` };
  }
  if (IAM_ROLE_ARN.test(principal)) return { type: 'AwsIamRole', id: principal };
  if (IAM_USER_ARN.test(principal)) return { type: 'AwsIamUser', id: principal };
  return { type: 'Other', id: principal };
}

/** The AWS partition a region belongs to, for ARNs and ASFF `Partition`. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-us-iso' | 'aws-us-iso-b' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-us-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-us-iso';
  return 'aws';
}

const ASSUMED_ROLE_ARN = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const IAM_ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/.+$/;
const IAM_USER_ARN = /^arn:[a-z-]+:iam::\d{12}:user\/.+$/;

function requestParameter(record: CloudTrailRecord, name: string): string | undefined {
  if (!Object.hasOwn(record, 'requestParameters')) return undefined;
  const parameters = record['requestParameters'];
  if (!isRecordObject(parameters)) return undefined;
  const value = stringField(parameters, name);
  return value === '' ? undefined : value;
}

function sessionIssuerOf(identity: CloudTrailRecord): CloudTrailRecord | undefined {
  if (!Object.hasOwn(identity, 'sessionContext')) return undefined;
  const context = identity['sessionContext'];
  if (!isRecordObject(context) || !Object.hasOwn(context, 'sessionIssuer')) return undefined;
  const issuer = context['sessionIssuer'];
  return isRecordObject(issuer) ? issuer : undefined;
}

/** CloudTrail's `resources` array: `[{ARN, accountId, type}]`. */
function resourceArrayArns(record: CloudTrailRecord): string[] {
  if (!Object.hasOwn(record, 'resources')) return [];
  const resources = record['resources'];
  if (!Array.isArray(resources)) return [];
  return resources.flatMap((resource: unknown) => {
    if (!isRecordObject(resource)) return [];
    const arn = stringField(resource, 'ARN');
    return arn !== undefined && arn.startsWith('arn:') ? [arn] : [];
  });
}
