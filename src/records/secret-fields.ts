/**
 * Event fields whose values may be secrets: a rule may group by any record field, and group key values
 * are shown in findings (ProductFields `lfvaudit/GroupKey`) and hashed into their Ids, which Security
 * Hub keeps and shows to everyone who can read findings. A field counts as secret when any segment of its path, in any case,
 * contains one of these words; `requestParameters.dbPassword` and `additionalEventData.SessionToken` do.
 */
export const SECRET_FIELD_WORDS = [
  'password',
  'passwd',
  'secret',
  'token',
  'credential',
  'privatekey',
  'private_key',
  'accesskey',
  'access_key',
  'apikey',
  'api_key',
  'authorization',
  'signature',
  'cookie',
] as const;

/**
 * Identifiers that contain a secret word but are not secrets: CloudTrail logs `userIdentity.accessKeyId`
 * in every record (AWS calls key ids identifiers; the secret key never appears in a trail), and the
 * built-in pack reads it.
 */
const NOT_SECRET_SEGMENTS: ReadonlySet<string> = new Set(['accesskeyid']);

/** What a secret field's value is replaced with in findings. */
export const REDACTED = '[redacted]';

export function isSecretFieldPath(path: string): boolean {
  return path
    .toLowerCase()
    .split('.')
    .some((segment) => !NOT_SECRET_SEGMENTS.has(segment) && SECRET_FIELD_WORDS.some((word) => segment.includes(word)));
}

/** The value as a group key may hold it: `[redacted]` for a secret field. */
export function shownFieldValue(path: string, value: string): string {
  return isSecretFieldPath(path) ? REDACTED : value;
}
