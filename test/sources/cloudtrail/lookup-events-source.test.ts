import test from 'ava';
import type { ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-cloudtrail';
import type { DeserializeMiddleware } from '@smithy/types';
import { Readable } from 'node:stream';
import { runAudit } from '../../../src/audit/run-audit.js';
import { createCloudTrailClient } from '../../../src/aws/cloudtrail-client.js';
import { CloudTrailSource } from '../../../src/sources/cloudtrail/lookup-events-source.js';
import type { EventSource } from '../../../src/sources/event-source.js';
import { emulatorClientConfig, maxRequestsInWindow } from '../../support/aws-emulator/index.js';
import { lfvRecord } from '../../support/lfv-record.js';
import {
  collect,
  emulatorSource,
  emulatorWith,
  eventIdsOf,
  eventTime,
  HOUR,
  itemsOfKind,
  lfvEvents,
  lookupRequests,
  recentWindow,
  SECOND,
} from './fixtures.js';

const window = recentWindow();
const inWindow = (offsetSeconds: number): number => window.start.getTime() + offsetSeconds * SECOND;

/** The whole pipeline with no rules: what the audit read, evaluated and left out of the window. */
async function auditOf(source: EventSource, options: { readonly allowEmpty?: boolean } = {}) {
  const allowEmpty = new Set(options.allowEmpty === true ? [source] : []);
  const result = await runAudit({
    sources: [source],
    allowEmpty,
    rules: [],
    evaluator: { matchingRules: () => Promise.resolve([]) },
    sinks: [],
    window,
    now: () => new Date(),
  });
  return result;
}

test('520 events come in 11 pages of at most 50, every event exactly once, newest first', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(520, { firstMs: inWindow(60) }));

  const items = await collect(emulatorSource(emulator).read(window));

  const pages = itemsOfKind(items, 'records');
  t.is(pages.length, 11);
  t.deepEqual(
    pages.map((page) => page.records.length),
    [50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 20],
  );
  const ids = eventIdsOf(items);
  t.is(new Set(ids).size, 520);
  t.is(ids[0], 'us-east-1-0519');
  t.is(ids.at(-1), 'us-east-1-0000');
  t.deepEqual(itemsOfKind(items, 'unreadable'), []);
  t.is(lookupRequests(emulator).length, 11);
  t.true(pages.every((page) => page.origin === 'cloudtrail:us-east-1'));
});

test('only events of the Lookout for Vision event source are asked for', async (t) => {
  const emulator = await emulatorWith(t, [
    ...lfvEvents(3, { firstMs: inWindow(10) }),
    lfvRecord({ eventID: 's3-call', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventTime: eventTime(inWindow(20)) }),
  ]);

  const items = await collect(emulatorSource(emulator).read(window));

  t.deepEqual(eventIdsOf(items).sort(), ['us-east-1-0000', 'us-east-1-0001', 'us-east-1-0002']);
});

test('two regions are read side by side, each with its own origin and each paced under 2 requests a second', async (t) => {
  const emulator = await emulatorWith(t, [
    ...lfvEvents(120, { region: 'us-east-1', firstMs: inWindow(0) }),
    ...lfvEvents(120, { region: 'eu-west-1', firstMs: inWindow(0) }),
  ]);

  const items = await collect(emulatorSource(emulator, { regions: ['us-east-1', 'eu-west-1'] }).read(window));

  const ids = eventIdsOf(items);
  t.is(new Set(ids).size, 240);
  for (const region of ['us-east-1', 'eu-west-1']) {
    const pages = itemsOfKind(items, 'records').filter((item) => item.origin === `cloudtrail:${region}`);
    t.is(
      pages.reduce((sum, page) => sum + page.records.length, 0),
      120,
      region,
    );
    t.is(lookupRequests(emulator, region).length, 3, region);
    t.true(maxRequestsInWindow(lookupRequests(emulator, region), 'LookupEvents', 1000) <= 2, region);
  }
  // Side by side: the second region's first request did not wait for the first region to finish.
  const east = lookupRequests(emulator, 'us-east-1').map((entry) => entry.arrivedAt);
  const west = lookupRequests(emulator, 'eu-west-1').map((entry) => entry.arrivedAt);
  t.true(Math.min(...west) < Math.max(...east) && Math.min(...east) < Math.max(...west));
  t.false(emulator.state.requestLog.some((entry) => entry.rateLimited));
});

test('no second holds more than 2 LookupEvents attempts in a region, injected throttles and their retries included', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(200, { firstMs: inWindow(0) }));
  emulator.faults.inject({ kind: 'throttle', operation: 'LookupEvents', times: 3 });

  const items = await collect(emulatorSource(emulator, { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 2 } }).read(window));

  t.is(new Set(eventIdsOf(items)).size, 200);
  const requests = lookupRequests(emulator);
  t.is(requests.filter((entry) => entry.fault === 'throttle').length, 3);
  t.is(requests.length, 4 + 3);
  t.true(maxRequestsInWindow(requests, 'LookupEvents', 1000) <= 2);
  t.false(
    requests.some((entry) => entry.rateLimited),
    'the emulator’s own rate limiter never had to throttle',
  );
});

test('the next page is fetched only when the consumer asks for it, so at most one page is held', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(150, { firstMs: inWindow(0) }));
  const iterator = emulatorSource(emulator).read(window)[Symbol.asyncIterator]();

  const first = await iterator.next();
  await new Promise((resolve) => setTimeout(resolve, 1200));

  t.is(first.done, false);
  t.is(lookupRequests(emulator).length, 1);
  await iterator.return?.();
});

test('events at exactly the window’s end are fetched (EndTime is inclusive) and left out by the audit’s window filter', async (t) => {
  const start = window.start.getTime();
  const end = window.end.getTime();
  const at = (id: string, ms: number) => lfvRecord({ eventID: id, eventTime: eventTime(ms) });
  const emulator = await emulatorWith(t, [
    at('before-start', start - SECOND),
    at('at-start', start),
    at('before-end', end - SECOND),
    at('at-end', end),
    at('after-end', end + SECOND),
  ]);
  const source = emulatorSource(emulator);

  t.deepEqual(eventIdsOf(await collect(source.read(window))).sort(), ['at-end', 'at-start', 'before-end']);
  const { summary } = await auditOf(source);
  t.is(summary.recordsRead, 3);
  t.is(summary.recordsEvaluated, 2);
  t.is(summary.outsideWindow, 1);
});

test('a CloudTrailEvent that is not JSON is an unreadable item naming the region, page and EventId, and the page’s other events are kept', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(3, { firstMs: inWindow(0) }));
  const source = new CloudTrailSource({
    regions: ['us-east-1'],
    clientFor: (region) => {
      const client = createCloudTrailClient(region, emulatorClientConfig(emulator, { region: region ?? 'us-east-1' }));
      // The emulator only stores valid records, so the test breaks one event on its way in, before the
      // SDK parses the response: what a server sending a damaged CloudTrailEvent would look like.
      client.middlewareStack.addRelativeTo(damageCloudTrailEvent('us-east-1-0001'), {
        relation: 'after',
        toMiddleware: 'deserializerMiddleware',
        name: 'damageCloudTrailEvent',
      });
      return client;
    },
  });

  const items = await collect(source.read(window));

  t.deepEqual(eventIdsOf(items), ['us-east-1-0002', 'us-east-1-0000']);
  const unreadable = itemsOfKind(items, 'unreadable');
  t.is(unreadable.length, 1);
  t.is(unreadable[0]?.origin, 'cloudtrail:us-east-1');
  t.regex(unreadable[0]?.reason ?? '', /^page 1, EventId us-east-1-0001: invalid-cloudtrail-event: CloudTrailEvent: not valid JSON/);
});

test('a window with no Lookout for Vision events says so, points to the S3 source, and is not a clean audit', async (t) => {
  const emulator = await emulatorWith(t, [lfvRecord({ eventID: 'other', eventSource: 's3.amazonaws.com', eventTime: eventTime(inWindow(5)) })]);
  const source = emulatorSource(emulator, { regions: ['us-east-1', 'eu-west-1'] });

  const notAllowed = await auditOf(source);
  t.false(notAllowed.complete, 'a source that yields no record fails the run unless the config allows it');
  t.deepEqual(notAllowed.summary.emptySources, [source.description]);
  const { summary, complete } = await auditOf(source, { allowEmpty: true });

  t.true(complete);
  t.deepEqual(summary.notices?.map((notice) => notice.origin).sort(), ['cloudtrail:eu-west-1', 'cloudtrail:us-east-1']);
  const message = summary.notices?.find((notice) => notice.origin === 'cloudtrail:us-east-1')?.message ?? '';
  t.true(
    message.startsWith(
      `no lookoutvision.amazonaws.com events in us-east-1 event history from ${window.start.toISOString()} to ${window.end.toISOString()}: this is not a clean audit.`,
    ),
  );
  t.regex(message, /end of support on 31 October 2025/);
  t.regex(message, /90 days/);
  t.regex(message, /--source s3:\/\//);
});

test('another event source can be audited, and its empty window is reported without the Lookout for Vision explanation', async (t) => {
  const emulator = await emulatorWith(t, [
    lfvRecord({ eventID: 's3-call', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventTime: eventTime(inWindow(20)) }),
  ]);

  const found = await collect(emulatorSource(emulator, { eventSource: 's3.amazonaws.com' }).read(window));
  const empty = await collect(emulatorSource(emulator, { eventSource: 'iam.amazonaws.com' }).read(window));

  t.deepEqual(eventIdsOf(found), ['s3-call']);
  t.deepEqual(itemsOfKind(empty, 'notice'), [
    {
      kind: 'notice',
      origin: 'cloudtrail:us-east-1',
      message: `no iam.amazonaws.com events in us-east-1 event history from ${window.start.toISOString()} to ${window.end.toISOString()}.`,
    },
  ]);
});

test('a region with events gives no notice', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(1, { firstMs: inWindow(5) }));

  const items = await collect(emulatorSource(emulator).read(window));

  t.deepEqual(itemsOfKind(items, 'notice'), []);
});

test('a window that starts before the 90 days of event history gets a notice that the older part cannot be read', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(1, { firstMs: inWindow(5) }));
  const longWindow = { start: new Date(window.end.getTime() - 100 * 24 * HOUR), end: window.end };

  const items = await collect(emulatorSource(emulator).read(longWindow));

  const notices = itemsOfKind(items, 'notice');
  t.is(notices.length, 1);
  t.is(notices[0]?.origin, 'cloudtrail');
  t.regex(notices[0]?.message ?? '', /^the window starts at .*, but CloudTrail event history only keeps the last 90 days .*--source s3:\/\//);
  t.is(eventIdsOf(items).length, 1);
});

test('without a window the source asks nothing and reports that LookupEvents needs one', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(1, { firstMs: inWindow(5) }));

  const items = await collect(emulatorSource(emulator).read(undefined));

  t.deepEqual(items, [
    {
      kind: 'unreadable',
      origin: 'cloudtrail',
      reason: 'LookupEvents needs a time window (StartTime and EndTime): give --since and --until, or let the state file set it',
    },
  ]);
  t.is(lookupRequests(emulator).length, 0);
});

test('an empty window asks nothing and yields nothing', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(1, { firstMs: inWindow(5) }));

  const items = await collect(emulatorSource(emulator).read({ start: window.end, end: window.end }));

  t.deepEqual(items, []);
  t.is(lookupRequests(emulator).length, 0);
});

/** Replaces one event's CloudTrailEvent in the raw response body with a string that is not JSON. */
function damageCloudTrailEvent(eventId: string): DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> {
  return (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { body: AsyncIterable<Buffer> | Readable; headers: Record<string, string> };
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Events: { EventId: string; CloudTrailEvent: string }[] };
    for (const event of body.Events) if (event.EventId === eventId) event.CloudTrailEvent = '{"eventVersion": "1.08", "eventID": ';
    const damaged = Buffer.from(JSON.stringify(body));
    response.body = Readable.from([damaged]);
    response.headers['content-length'] = String(damaged.length);
    return result;
  };
}
