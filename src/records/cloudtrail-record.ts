/**
 * A CloudTrail record as it came off the wire: a parsed JSON object and nothing more is promised.
 * Real records drift (missing eventTime, userIdentity without type, requestParameters as a string or
 * null, sourceIPAddress that is a host name): code that reads a field checks its type where it reads it.
 */
export type CloudTrailRecord = { readonly [field: string]: unknown };

export function isRecordObject(value: unknown): value is CloudTrailRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of the record, or undefined when absent or of another type. Own properties only. */
export function stringField(record: CloudTrailRecord, field: string): string | undefined {
  if (!Object.hasOwn(record, field)) return undefined;
  const value = record[field];
  return typeof value === 'string' ? value : undefined;
}
