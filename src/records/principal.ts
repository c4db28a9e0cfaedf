import { isRecordObject, stringField, type CloudTrailRecord } from './cloudtrail-record.js';

/** The record's `userIdentity` when it is an object (own property only), else undefined. */
export function userIdentityOf(record: CloudTrailRecord): CloudTrailRecord | undefined {
  if (!Object.hasOwn(record, 'userIdentity')) return undefined;
  const identity = record['userIdentity'];
  return isRecordObject(identity) ? identity : undefined;
}

/**
 * Who made the call, as a stable string for grouping: the caller's ARN; for an AWS service, the host
 * that invoked the call (`lookoutvision.amazonaws.com`); else `<type>:<principalId>`; else the
 * account id; else `unknown`. Service events may carry `invokedBy` without any `type`.
 */
export function principalOf(record: CloudTrailRecord): string {
  const identity = userIdentityOf(record);
  if (identity === undefined) return 'unknown';
  const arn = nonEmpty(stringField(identity, 'arn'));
  if (arn !== undefined) return arn;
  const type = nonEmpty(stringField(identity, 'type'));
  const invokedBy = nonEmpty(stringField(identity, 'invokedBy'));
  if (invokedBy !== undefined && (type === 'AWSService' || type === undefined)) return invokedBy;
  const principalId = nonEmpty(stringField(identity, 'principalId'));
  if (principalId !== undefined) return `${type ?? 'Unknown'}:${principalId}`;
  return nonEmpty(stringField(identity, 'accountId')) ?? 'unknown';
}

/**
 * The part of a principal people recognise: the resource of an ARN (`assumed-role/Admin/MyUser`,
 * `user/alice`, `root`); anything that is not an ARN is already short and is returned as is.
 */
export function principalShortName(principal: string): string {
  // arn:partition:service:region:account:resource — the resource may itself contain colons.
  const parts = principal.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return principal;
  const resource = parts.slice(5).join(':');
  return resource === '' ? principal : resource;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
