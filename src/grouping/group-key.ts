import { isRecordObject, stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { principalOf, userIdentityOf } from '../records/principal.js';
import { shownFieldValue } from '../records/secret-fields.js';

/** What a group key holds when the record has no usable value for a key. */
export const MISSING_KEY_VALUE = '-';

/** One `groupBy` entry and the value a record has for it. */
export interface GroupKeyPart {
  readonly name: string;
  readonly value: string;
}

/** Where a group of matches belongs: findings are always separated by account and region (docs/rules.md). */
export interface GroupKey {
  readonly ruleId: string;
  readonly account: string;
  readonly region: string;
  readonly parts: readonly GroupKeyPart[];
}

/**
 * The account the event happened in: `recipientAccountId`, else the caller's `userIdentity.accountId`.
 * Only a 12-digit id counts: anything else would end up in a finding's AwsAccountId and ProductArn,
 * which Security Hub rejects (a bad ProductArn fails the whole import call).
 */
export function eventAccountOf(record: CloudTrailRecord): string | undefined {
  const recipient = stringField(record, 'recipientAccountId');
  if (recipient !== undefined && ACCOUNT_ID.test(recipient)) return recipient;
  const identity = userIdentityOf(record);
  const callerAccount = identity === undefined ? undefined : stringField(identity, 'accountId');
  return callerAccount !== undefined && ACCOUNT_ID.test(callerAccount) ? callerAccount : undefined;
}

/** The event's region when it has the shape of one (`us-east-1`, `us-gov-west-1`): it goes into ARNs. */
export function eventRegionOf(record: CloudTrailRecord): string | undefined {
  const region = stringField(record, 'awsRegion');
  return region !== undefined && REGION.test(region) ? region : undefined;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** `requestParameters.projectName`, the Lookout for Vision project a call names. requestParameters may be null or a string. */
export function projectNameOf(record: CloudTrailRecord): string | undefined {
  const name = stringAtPath(record, 'requestParameters.projectName');
  return name === '' ? undefined : name;
}

/** What a record's group keys read most often, when the caller has worked it out already (once per record). */
export interface RecordKeyValues {
  readonly account: string | undefined;
  readonly region: string | undefined;
  readonly principal: string;
}

/**
 * A record's account, region and `groupBy` values, {@link MISSING_KEY_VALUE} where it has none: with
 * the rule id, what tells its group apart.
 */
export function groupKeyValuesOf(groupBy: readonly string[], record: CloudTrailRecord, known?: RecordKeyValues): string[] {
  const values = known ?? { account: eventAccountOf(record), region: eventRegionOf(record), principal: undefined };
  const key = [values.account ?? MISSING_KEY_VALUE, values.region ?? MISSING_KEY_VALUE];
  for (const name of groupBy) key.push(groupByValueOf(name, record, values));
  return key;
}

/**
 * One `groupBy` entry's value in {@link groupKeyValuesOf}, for a caller that walks a key value by value
 * without making the list (the grouping's per-record path). `known`: the record's account and region,
 * and its principal when already worked out.
 */
export function groupByValueOf(
  name: string,
  record: CloudTrailRecord,
  known: { readonly account: string | undefined; readonly region: string | undefined; readonly principal: string | undefined },
): string {
  const value =
    name === 'account'
      ? known.account
      : name === 'region'
        ? known.region
        : name === 'principal' && known.principal !== undefined
          ? known.principal
          : groupKeyValue(name, record);
  return value ?? MISSING_KEY_VALUE;
}

/**
 * One string that identifies a group exactly: JSON of an array, so no choice of separator can make
 * two different keys collide (`a|b` + `c` vs `a` + `b|c`).
 */
export function canonicalGroupKey(key: GroupKey): string {
  return JSON.stringify([key.ruleId, key.account, key.region, ...key.parts.map((part) => [part.name, part.value])]);
}

function groupKeyValue(name: string, record: CloudTrailRecord): string | undefined {
  switch (name) {
    case 'principal':
      return principalOf(record);
    case 'project':
      return projectNameOf(record);
    case 'account':
      return eventAccountOf(record);
    case 'region':
      return eventRegionOf(record);
    case 'sourceIPAddress':
    case 'eventName':
      return stringField(record, name);
    default: {
      // Redacted here, before the value is hashed into the finding Id: a short password could be
      // recovered from its hash by brute force. Every secret value of a field shares one group.
      const value = scalarAtPath(record, name);
      return value === undefined ? undefined : shownFieldValue(name, value);
    }
  }
}

/** A scalar at a dotted path (`resources.0.ARN`), as a string; objects, arrays, null and absent fields give undefined. */
function scalarAtPath(record: CloudTrailRecord, path: string): string | undefined {
  const value = valueAtPath(record, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function stringAtPath(record: CloudTrailRecord, path: string): string | undefined {
  const value = valueAtPath(record, path);
  return typeof value === 'string' ? value : undefined;
}

/** Walks own properties only, so `constructor` or `__proto__` in a path never reaches a prototype. */
function valueAtPath(record: CloudTrailRecord, path: string): unknown {
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (isRecordObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
