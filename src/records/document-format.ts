import { isRecordObject, type CloudTrailRecord } from './cloudtrail-record.js';
import { isDigestDocument } from './digest-file.js';

/** The shapes a file of CloudTrail events comes in, recognised by content (never by file name). */
export type DocumentFormat =
  /** `{"Records": [...]}`: a log file a trail delivers to S3. */
  | 'cloudtrail-log-file'
  /** `{"Events": [{"EventId", "CloudTrailEvent": "<record as a JSON string>", ...}], "NextToken"?}`: `aws cloudtrail lookup-events` output. */
  | 'lookup-events'
  /** One element of `Events`, on its own. */
  | 'lookup-event'
  /** `{"detail-type": "AWS API Call via CloudTrail", "source": "aws.x", "detail": record}`. */
  | 'eventbridge-event'
  | 'record'
  /** `[record, ...]`, e.g. Stratus Red Team detonation logs. Elements may also be envelopes or lookup events. */
  | 'record-array'
  /** One record, EventBridge event or lookup event per line. */
  | 'json-lines'
  /** Hashes of log files, not events: skipped on purpose. */
  | 'cloudtrail-digest';

/** The formats a single object can be that hold exactly one record. */
export type EntryFormat = 'eventbridge-event' | 'lookup-event' | 'record';

/**
 * Keys only a CloudTrail record has at its top level. Real corpora lack some of them (Logstash drops
 * eventTime, CSV exports drop eventSource and eventVersion), so any one of them is enough.
 */
const RECORD_MARKERS = ['eventVersion', 'eventName', 'eventSource', 'eventTime', 'eventID'] as const;

/** The format of a parsed JSON document, or undefined when it is none of them. JSON Lines is decided on the text. */
export function detectFormat(value: unknown): DocumentFormat | undefined {
  if (Array.isArray(value)) return 'record-array';
  if (!isRecordObject(value)) return undefined;
  if (isDigestDocument(value)) return 'cloudtrail-digest';
  if (Object.hasOwn(value, 'Records')) return 'cloudtrail-log-file';
  if (Object.hasOwn(value, 'Events')) return 'lookup-events';
  return detectEntryFormat(value);
}

/** What a single object holding one record is: an EventBridge event, a lookup event or the record itself. */
export function detectEntryFormat(value: CloudTrailRecord): EntryFormat | undefined {
  if (Object.hasOwn(value, 'detail-type') && Object.hasOwn(value, 'detail')) return 'eventbridge-event';
  if (Object.hasOwn(value, 'CloudTrailEvent')) return 'lookup-event';
  if (RECORD_MARKERS.some((marker) => Object.hasOwn(value, marker))) return 'record';
  return undefined;
}

/**
 * A hint for an object that is almost a record: keys are case-sensitive, and hand-edited fixtures
 * sometimes write `eventname` or `eventsource` (8 of Panther's test events do).
 */
export function miscasedMarkerHint(value: CloudTrailRecord): string | undefined {
  for (const key of Object.keys(value)) {
    const marker = RECORD_MARKERS.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    if (marker !== undefined && marker !== key) return `keys are case-sensitive: found '${key}', expected '${marker}'`;
  }
  return undefined;
}
