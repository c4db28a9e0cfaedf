import type { Diagnostic } from '../shared/diagnostics.js';
import { isRecordObject, type CloudTrailRecord } from './cloudtrail-record.js';
import { DIGEST_SKIP_REASON } from './digest-file.js';
import { detectEntryFormat, detectFormat, miscasedMarkerHint, type DocumentFormat } from './document-format.js';
import { findJsonSyntaxError } from './json-syntax-error.js';
import { positionAt } from './text-position.js';
import { decodeUtf8 } from './utf8-text.js';

/** What one file (or object, or page) holds: its records, and every part that could not be read. */
export interface UnwrappedDocument {
  /** Undefined when the bytes are not JSON, not UTF-8 or empty. */
  readonly format: DocumentFormat | undefined;
  readonly records: CloudTrailRecord[];
  /** Each bad part, with its position; the records of the good parts are still returned. All are errors. */
  readonly problems: readonly Diagnostic[];
  /** Set when the document is skipped on purpose (a digest file); it then has no records and no problems. */
  readonly skipped?: string;
}

/**
 * The CloudTrail records in the bytes of one document, already decompressed (readDocument handles
 * gzip). A UTF-8 byte order mark is ignored. Never throws for bad input: every fault is a problem.
 */
export function unwrapDocument(bytes: Uint8Array, origin: string): UnwrappedDocument {
  const collector = new RecordCollector(origin);
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    collector.problem(decoded.code, decoded.message, decoded.position);
    return collector.result(undefined);
  }
  const text = decoded.text;
  // A regular expression rather than trim(), which would copy a large text.
  if (/^[ \t\r\n]*$/.test(text)) {
    collector.problem('empty-file', bytes.length === 0 ? 'the file is empty' : 'the file holds only whitespace');
    return collector.result(undefined);
  }
  const parsed = parseJson(text);
  if (parsed.ok) {
    const format = detectFormat(parsed.value);
    if (format === 'cloudtrail-digest') return { format, records: [], problems: [], skipped: DIGEST_SKIP_REASON };
    unwrapValue(parsed.value, format, collector, 'document');
    return collector.result(format);
  }
  if (isJsonLines(text)) {
    unwrapJsonLines(text, collector);
    return collector.result('json-lines');
  }
  const error = findJsonSyntaxError(text);
  collector.problem('invalid-json', error?.message ?? 'not valid JSON', error === undefined ? undefined : positionAt(text, error.offset));
  return collector.result(undefined);
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A text that is not one JSON value is JSON Lines when its first non-blank line is a JSON object or
 * array on its own. A pretty-printed document with a syntax error starts with a line like `{` or `[`,
 * so it is reported as one invalid document at the error's position rather than line by line.
 */
function isJsonLines(text: string): boolean {
  const firstLine = /^[ \t\r\n]*([^\n]*)/.exec(text)?.[1] ?? '';
  const parsed = parseJson(firstLine);
  return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null;
}

function unwrapJsonLines(text: string, collector: RecordCollector): void {
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const atLine = collector.atLine(index + 1);
    const parsed = parseJson(line);
    if (parsed.ok) {
      unwrapValue(parsed.value, detectFormat(parsed.value), atLine, 'line');
      return;
    }
    const error = findJsonSyntaxError(line);
    atLine.problem('invalid-json', error?.message ?? 'not valid JSON', error === undefined ? undefined : { line: index + 1, column: error.offset + 1 });
  });
}

const EXPECTED_AT: Record<'document' | 'line', string> = {
  document: 'not a CloudTrail log: expected Records, Events, a record, JSON Lines or an EventBridge envelope',
  line: 'not CloudTrail: expected a record, an EventBridge envelope, a LookupEvents event, Records or Events',
};

/** A whole document, or one line of JSON Lines: any format but JSON Lines itself. */
function unwrapValue(value: unknown, format: DocumentFormat | undefined, collector: RecordCollector, level: 'document' | 'line'): void {
  if (Array.isArray(value)) {
    value.forEach((element: unknown, index) => unwrapEntry(element, collector, `[${index}]`));
    return;
  }
  if (!isRecordObject(value)) {
    collector.problem('not-an-object', `expected an object or an array, found ${describeType(value)}`);
    return;
  }
  switch (format) {
    case 'cloudtrail-log-file':
      unwrapRecordsArray(ownField(value, 'Records'), collector);
      return;
    case 'lookup-events':
      unwrapEventsArray(ownField(value, 'Events'), collector);
      return;
    case 'cloudtrail-digest':
      // Only reached for a line: a whole digest document is skipped before unwrapping.
      collector.problem('not-cloudtrail', 'a CloudTrail digest (hashes of log files), not events');
      return;
    case undefined:
      collector.problem('not-cloudtrail', withHint(EXPECTED_AT[level], value));
      return;
    default:
      // An object in one of the entry formats; arrays and JSON Lines were handled before.
      unwrapEntry(value, collector, undefined);
  }
}

/** `Records` of a trail's log file: every object in it is a record, whatever fields it has. */
function unwrapRecordsArray(records: unknown, collector: RecordCollector): void {
  if (!Array.isArray(records)) {
    collector.problem('not-an-array', `Records: expected an array, found ${describeType(records)}`);
    return;
  }
  records.forEach((record: unknown, index) => {
    if (isRecordObject(record)) collector.record(record);
    else collector.problem('not-an-object', `Records[${index}]: expected an object, found ${describeType(record)}`);
  });
}

function unwrapEventsArray(events: unknown, collector: RecordCollector): void {
  if (!Array.isArray(events)) {
    collector.problem('not-an-array', `Events: expected an array, found ${describeType(events)}`);
    return;
  }
  events.forEach((event: unknown, index) => {
    const subject = `Events[${index}]`;
    if (!isRecordObject(event)) collector.problem('not-an-object', `${subject}: expected an object, found ${describeType(event)}`);
    else unwrapLookupEvent(event, collector, subject);
  });
}

/** One element of an array, or a document or line that holds one record. */
function unwrapEntry(entry: unknown, collector: RecordCollector, subject: string | undefined): void {
  const prefix = subject === undefined ? '' : `${subject}: `;
  if (!isRecordObject(entry)) {
    collector.problem('not-an-object', `${prefix}expected an object, found ${describeType(entry)}`);
    return;
  }
  switch (detectEntryFormat(entry)) {
    case 'record':
      collector.record(entry);
      return;
    case 'lookup-event':
      unwrapLookupEvent(entry, collector, subject);
      return;
    case 'eventbridge-event':
      unwrapEventBridgeEvent(entry, collector, subject);
      return;
    case undefined:
      collector.problem(
        'not-cloudtrail',
        withHint(`${prefix}not a CloudTrail record: expected a record, an EventBridge envelope or a LookupEvents event`, entry),
      );
  }
}

/**
 * EventBridge carries CloudTrail events with detail-types that end in "via CloudTrail" ("AWS API Call
 * via CloudTrail", "AWS Console Sign In via CloudTrail", "AWS Service Event via CloudTrail", ...);
 * other detail-types on the same bus (Security Hub findings, for one) are not CloudTrail events.
 */
function unwrapEventBridgeEvent(envelope: CloudTrailRecord, collector: RecordCollector, subject: string | undefined): void {
  const prefix = subject === undefined ? '' : `${subject}.`;
  const detailType = ownField(envelope, 'detail-type');
  if (typeof detailType !== 'string' || !detailType.endsWith(' via CloudTrail')) {
    const described = typeof detailType === 'string' ? `'${detailType}'` : describeType(detailType);
    const where = subject === undefined ? '' : `${subject}: `;
    collector.problem('not-cloudtrail', `${where}an EventBridge event of detail-type ${described}, not one from CloudTrail`);
    return;
  }
  const detail = ownField(envelope, 'detail');
  if (isRecordObject(detail)) collector.record(detail);
  else collector.problem('not-an-object', `${prefix}detail: expected an object, found ${describeType(detail)}`);
}

/** LookupEvents returns each record as a JSON string in CloudTrailEvent, next to a summary we ignore. */
function unwrapLookupEvent(event: CloudTrailRecord, collector: RecordCollector, subject: string | undefined): void {
  const field = `${subject === undefined ? '' : `${subject}.`}CloudTrailEvent`;
  const json = ownField(event, 'CloudTrailEvent');
  if (typeof json !== 'string') {
    collector.problem('invalid-cloudtrail-event', `${field}: expected a JSON string, found ${describeType(json)}`);
    return;
  }
  const parsed = parseJson(json);
  if (!parsed.ok) {
    const error = findJsonSyntaxError(json);
    const where = error === undefined ? '' : ` (at character ${error.offset + 1} of the string)`;
    collector.problem('invalid-cloudtrail-event', `${field}: not valid JSON: ${error?.message ?? 'unknown error'}${where}`);
    return;
  }
  if (isRecordObject(parsed.value)) collector.record(parsed.value);
  else collector.problem('invalid-cloudtrail-event', `${field}: expected a JSON object, found ${describeType(parsed.value)}`);
}

function ownField(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function withHint(message: string, value: CloudTrailRecord): string {
  const hint = miscasedMarkerHint(value);
  return hint === undefined ? message : `${message} (${hint})`;
}

function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Gathers the records and problems of one document; a line's view adds its line number to problems. */
class RecordCollector {
  constructor(
    private readonly origin: string,
    private readonly records: CloudTrailRecord[] = [],
    private readonly problems: Diagnostic[] = [],
    private readonly line?: number,
  ) {}

  atLine(line: number): RecordCollector {
    return new RecordCollector(this.origin, this.records, this.problems, line);
  }

  record(record: CloudTrailRecord): void {
    this.records.push(record);
  }

  problem(code: string, message: string, position?: { readonly line: number; readonly column: number }): void {
    const line = position?.line ?? this.line;
    this.problems.push({
      file: this.origin,
      ...(line === undefined ? {} : { line }),
      ...(position === undefined ? {} : { column: position.column }),
      code,
      message,
      severity: 'error',
    });
  }

  result(format: DocumentFormat | undefined): UnwrappedDocument {
    return { format, records: this.records, problems: this.problems };
  }
}
