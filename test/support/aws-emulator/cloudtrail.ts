/**
 * CloudTrail event history and its LookupEvents operation
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
 *
 * Tests load CloudTrail records; each lands in the history of its own recipientAccountId and
 * awsRegion, and LookupEvents answers with the `Events` wrapper built from it.
 */
import type { CloudTrailRecord } from '../../../src/records/cloudtrail-record.js';
import { AwsApiError } from './api-error.js';
import { isJsonObject, jsonCopy, ownField, ownString, type JsonObject } from './json-value.js';
import type { AccountRegion, OperationRequest } from './operation.js';
import type { PageTokens } from './page-token.js';

/** One entry of LookupEvents' `Events`, as JSON on the wire (EventTime in epoch seconds). */
export interface LookupEventsEvent {
  readonly EventId: string;
  readonly EventName?: string;
  /** A string, "true" or "false", unlike the record's boolean readOnly. */
  readonly ReadOnly?: string;
  readonly AccessKeyId?: string;
  readonly EventTime: number;
  readonly EventSource?: string;
  readonly Username?: string;
  readonly Resources?: readonly { readonly ResourceType?: string; readonly ResourceName?: string }[];
  /** The whole record as a JSON string. */
  readonly CloudTrailEvent: string;
}

/** The part of the CloudTrail history tests use: `emulator.state.cloudTrail`. */
export interface CloudTrailState {
  /** Adds records to the history of their own recipientAccountId and awsRegion. */
  load(records: Iterable<CloudTrailRecord>): void;
  /** Everything loaded for an account and region, newest first, as LookupEvents would wrap it. */
  events(scope: AccountRegion): LookupEventsEvent[];
}

/** Event history covers the last 90 days (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html). */
export const EVENT_HISTORY_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
const DEFAULT_MAX_RESULTS = 50;
const LOOKUP_ATTRIBUTE_KEYS = new Set(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']);

interface HistoryEvent {
  readonly timeMs: number;
  readonly insight: boolean;
  readonly wrapper: LookupEventsEvent;
}

interface LookupQuery {
  readonly attribute: { readonly key: string; readonly value: string } | undefined;
  readonly startMs: number | undefined;
  readonly endMs: number | undefined;
  readonly insight: boolean;
  readonly maxResults: number;
  readonly nextToken: string | undefined;
}

/** Where the previous page stopped: the last event returned, in newest-first order. */
interface Cursor {
  readonly t: number;
  readonly id: string;
}

export class CloudTrailEventHistory implements CloudTrailState {
  private readonly histories = new Map<string, Map<string, HistoryEvent>>();

  constructor(private readonly pageTokens: PageTokens) {}

  load(records: Iterable<CloudTrailRecord>): void {
    for (const record of records) {
      const event = historyEvent(record);
      const scope = scopeKey({ accountId: requiredString(record, 'recipientAccountId'), region: requiredString(record, 'awsRegion') });
      const history = this.histories.get(scope) ?? new Map<string, HistoryEvent>();
      if (history.has(event.wrapper.EventId)) {
        throw new Error(`CloudTrail history ${scope} already holds eventID ${event.wrapper.EventId}`);
      }
      history.set(event.wrapper.EventId, event);
      this.histories.set(scope, history);
    }
  }

  events(scope: AccountRegion): LookupEventsEvent[] {
    return this.newestFirst(scope).map((event) => jsonCopy(event.wrapper));
  }

  lookupEvents(request: OperationRequest): { Events: LookupEventsEvent[]; NextToken?: string } {
    const { caller, now } = request;
    const query = parseLookupQuery(request.input);
    const binding = { attribute: query.attribute ?? null, start: query.startMs ?? null, end: query.endMs ?? null, insight: query.insight };
    const cursor = query.nextToken === undefined ? undefined : this.readCursor(query.nextToken, binding);

    const oldestVisible = now - EVENT_HISTORY_RETENTION_MS;
    const startMs = Math.max(query.startMs ?? oldestVisible, oldestVisible);
    const endMs = query.endMs ?? now;
    const matching = this.newestFirst(caller).filter(
      (event) =>
        event.timeMs >= startMs &&
        event.timeMs <= endMs &&
        event.insight === query.insight &&
        (query.attribute === undefined || matchesAttribute(event.wrapper, query.attribute.key, query.attribute.value)) &&
        (cursor === undefined || isAfter(event, cursor)),
    );
    const page = matching.slice(0, query.maxResults);
    const last = page.at(-1);
    const output: { Events: LookupEventsEvent[]; NextToken?: string } = { Events: page.map((event) => jsonCopy(event.wrapper)) };
    if (last !== undefined && matching.length > page.length) {
      output.NextToken = this.pageTokens.issue(binding, { t: last.timeMs, id: last.wrapper.EventId } satisfies Cursor);
    }
    return output;
  }

  private readCursor(token: string, binding: unknown): Cursor {
    const cursor = this.pageTokens.read(token, binding);
    if (isJsonObject(cursor) && typeof cursor.t === 'number' && typeof cursor.id === 'string') {
      return { t: cursor.t, id: cursor.id };
    }
    throw new AwsApiError('InvalidNextTokenException', 400, 'Invalid NextToken: it must come from a previous call with the same parameters.');
  }

  /** Newest first; events of the same second by descending EventId, so pages are stable. */
  private newestFirst(scope: AccountRegion): HistoryEvent[] {
    const history = this.histories.get(scopeKey(scope));
    if (history === undefined) return [];
    return [...history.values()].sort((a, b) => b.timeMs - a.timeMs || compareDescending(a.wrapper.EventId, b.wrapper.EventId));
  }
}

function isAfter(event: HistoryEvent, cursor: Cursor): boolean {
  return event.timeMs < cursor.t || (event.timeMs === cursor.t && event.wrapper.EventId < cursor.id);
}

function compareDescending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function scopeKey(scope: AccountRegion): string {
  return `${scope.accountId}/${scope.region}`;
}

function requiredString(record: CloudTrailRecord, field: string): string {
  const value = ownString(record, field);
  if (value === undefined || value === '') {
    throw new TypeError(`A CloudTrail record loaded into the emulator needs a string ${field}`);
  }
  return value;
}

function historyEvent(record: CloudTrailRecord): HistoryEvent {
  const eventId = requiredString(record, 'eventID');
  const timeMs = Date.parse(requiredString(record, 'eventTime'));
  if (!Number.isFinite(timeMs)) throw new TypeError(`Record ${eventId} has an unparseable eventTime`);
  const identity = ownField(record, 'userIdentity');
  const readOnly = ownField(record, 'readOnly');
  const resources = resourcesOf(record);
  const wrapper: LookupEventsEvent = {
    EventId: eventId,
    EventName: ownString(record, 'eventName'),
    ReadOnly: typeof readOnly === 'boolean' ? String(readOnly) : typeof readOnly === 'string' ? readOnly : undefined,
    AccessKeyId: isJsonObject(identity) ? ownString(identity, 'accessKeyId') : undefined,
    EventTime: timeMs / 1000,
    EventSource: ownString(record, 'eventSource'),
    Username: isJsonObject(identity) ? usernameOf(identity) : undefined,
    Resources: resources.length > 0 ? resources : undefined,
    CloudTrailEvent: JSON.stringify(record),
  };
  return { timeMs, insight: ownString(record, 'eventCategory') === 'Insight', wrapper: jsonCopy(wrapper) };
}

/**
 * The wrapper's Username: the IAM user name, the role session name for assumed roles, "root" for the
 * root user. CloudTrail does not document the derivation; this follows what its console shows.
 */
function usernameOf(identity: JsonObject): string | undefined {
  const userName = ownString(identity, 'userName');
  if (userName !== undefined) return userName;
  const type = ownString(identity, 'type');
  if (type === 'Root') return 'root';
  const arn = ownString(identity, 'arn');
  if (type === 'AssumedRole' && arn !== undefined) return arn.slice(arn.lastIndexOf('/') + 1);
  return undefined;
}

function resourcesOf(record: CloudTrailRecord): { ResourceType?: string; ResourceName?: string }[] {
  const resources = ownField(record, 'resources');
  if (!Array.isArray(resources)) return [];
  return resources.filter(isJsonObject).map((resource) => ({ ResourceType: ownString(resource, 'type'), ResourceName: ownString(resource, 'ARN') }));
}

function matchesAttribute(event: LookupEventsEvent, key: string, value: string): boolean {
  switch (key) {
    case 'ResourceType':
      return (event.Resources ?? []).some((resource) => resource.ResourceType === value);
    case 'ResourceName':
      return (event.Resources ?? []).some((resource) => resource.ResourceName === value);
    default:
      return (event as unknown as JsonObject)[key] === value;
  }
}

function parseLookupQuery(input: unknown): LookupQuery {
  const request = isJsonObject(input) ? input : {};
  const attributes = ownField(request, 'LookupAttributes') ?? [];
  if (!Array.isArray(attributes)) throw serialization('LookupAttributes must be a list');
  if (attributes.length > 1) {
    throw new AwsApiError('InvalidLookupAttributesException', 400, 'You cannot specify more than one lookup attribute.');
  }
  const attribute = attributes.length === 1 ? parseAttribute(attributes[0]) : undefined;

  const startMs = epochSecondsToMs(ownField(request, 'StartTime'), 'StartTime');
  const endMs = epochSecondsToMs(ownField(request, 'EndTime'), 'EndTime');
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new AwsApiError('InvalidTimeRangeException', 400, 'Start time must be earlier than or equal to end time.');
  }

  const category = ownField(request, 'EventCategory');
  if (category !== undefined && category !== 'insight') {
    throw new AwsApiError('InvalidEventCategoryException', 400, `Invalid event category: ${JSON.stringify(category)}. Valid value: insight.`);
  }

  const maxResults = ownField(request, 'MaxResults') ?? DEFAULT_MAX_RESULTS;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    throw new AwsApiError('InvalidMaxResultsException', 400, 'MaxResults must be between 1 and 50.');
  }

  const nextToken = ownField(request, 'NextToken');
  if (nextToken !== undefined && typeof nextToken !== 'string') throw serialization('NextToken must be a string');
  return { attribute, startMs, endMs, insight: category === 'insight', maxResults, nextToken };
}

function parseAttribute(value: unknown): { key: string; value: string } {
  const key = isJsonObject(value) ? ownString(value, 'AttributeKey') : undefined;
  const attributeValue = isJsonObject(value) ? ownString(value, 'AttributeValue') : undefined;
  if (key === undefined || !LOOKUP_ATTRIBUTE_KEYS.has(key)) {
    throw new AwsApiError(
      'InvalidLookupAttributesException',
      400,
      `Invalid AttributeKey: ${String(key)}. Valid keys: ${[...LOOKUP_ATTRIBUTE_KEYS].join(', ')}.`,
    );
  }
  if (attributeValue === undefined || attributeValue.length < 1 || attributeValue.length > 2000) {
    throw new AwsApiError('InvalidLookupAttributesException', 400, 'AttributeValue must be 1 to 2000 characters long.');
  }
  return { key, value: attributeValue };
}

/** awsJson1_1 sends timestamps as epoch seconds, possibly fractional. */
function epochSecondsToMs(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw serialization(`${field} must be a timestamp in epoch seconds`);
  return value * 1000;
}

function serialization(message: string): AwsApiError {
  return new AwsApiError('SerializationException', 400, message);
}
