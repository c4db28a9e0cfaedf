import test, { type ExecutionContext } from 'ava';
import { runAudit } from '../../../src/audit/run-audit.js';
import { createCloudTrailClient } from '../../../src/aws/cloudtrail-client.js';
import type { SourceItem } from '../../../src/sources/event-source.js';
import { emulatorClientConfig, type AwsEmulator, type FaultSpec } from '../../support/aws-emulator/index.js';
import { collect, emulatorSource, emulatorWith, eventIdsOf, itemsOfKind, lfvEvents, lookupRequests, recentWindow, recordingSleep } from './fixtures.js';

const window = recentWindow();
const EVENTS = 120; // three pages: 50, 50, 20
/** Only the slow-fault tests set a short timeout: under a busy event loop, a short one would also hit healthy requests. */
const TIMEOUT_MS = 1000;

type TransientFault = Exclude<FaultSpec['kind'], 'failedFindings' | 'repeatNextToken'>;

function faultSpec(kind: TransientFault, times: number): FaultSpec {
  return kind === 'slow' ? { kind, operation: 'LookupEvents', times, delayMs: 3 * TIMEOUT_MS } : { kind, operation: 'LookupEvents', times };
}

/** Reads the first page, injects the fault so that it hits page 2, then reads on to the end. */
async function readWithFaultFromPage2(emulator: AwsEmulator, spec: FaultSpec, options: Parameters<typeof emulatorSource>[1] = {}): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of emulatorSource(emulator, { ...(spec.kind === 'slow' ? { timeoutMs: TIMEOUT_MS } : {}), ...options }).read(window)) {
    items.push(item);
    if (items.length === 1) emulator.faults.inject(spec);
  }
  return items;
}

const recoversFrom = test.macro({
  async exec(t: ExecutionContext, kind: TransientFault) {
    const emulator = await emulatorWith(t, lfvEvents(EVENTS, { firstMs: window.start.getTime() }));

    const items = await readWithFaultFromPage2(emulator, faultSpec(kind, 2), { retry: { maxAttempts: 3 } });

    t.deepEqual(itemsOfKind(items, 'unreadable'), []);
    t.is(new Set(eventIdsOf(items)).size, EVENTS);
    t.is(eventIdsOf(items).length, EVENTS);
    const requests = lookupRequests(emulator);
    t.is(requests.filter((entry) => entry.fault === kind).length, 2);
    t.is(requests.length, 3 + 2);
  },
  title: (_, kind: TransientFault) => `after two ${kind} faults on page 2, the page is tried a third time and every event arrives exactly once`,
});

const reportsPersistent = test.macro({
  async exec(t: ExecutionContext, kind: TransientFault, errorName: RegExp) {
    const emulator = await emulatorWith(t, lfvEvents(EVENTS, { firstMs: window.start.getTime() }));

    const items = await readWithFaultFromPage2(emulator, faultSpec(kind, Number.POSITIVE_INFINITY), { retry: { maxAttempts: 3 } });

    t.is(eventIdsOf(items).length, 50, 'the first page is kept');
    const unreadable = itemsOfKind(items, 'unreadable');
    t.is(unreadable.length, 1);
    t.is(unreadable[0]?.origin, 'cloudtrail:us-east-1');
    t.regex(unreadable[0]?.reason ?? '', /^LookupEvents page 2 failed after 3 attempts \(50 events read before it\): /);
    t.regex(unreadable[0]?.reason ?? '', errorName);
    t.is(lookupRequests(emulator).length, 1 + 3);
  },
  title: (_, kind: TransientFault) => `a ${kind} fault that does not go away ends the region in an unreadable item after the events already read`,
});

test(recoversFrom, 'throttle');
test(recoversFrom, 'http500');
test(recoversFrom, 'http503');
test(recoversFrom, 'reset');
test(recoversFrom, 'slow');
test(recoversFrom, 'truncatedBody');

test(reportsPersistent, 'throttle', /: ThrottlingException \(HTTP 400\): Rate exceeded$/);
test(reportsPersistent, 'http500', /: InternalFailure \(HTTP 500\): /);
test(reportsPersistent, 'http503', /: ServiceUnavailable \(HTTP 503\): /);
test(reportsPersistent, 'reset', /: TimeoutError \(ECONNRESET\): socket hang up$/);
test(reportsPersistent, 'slow', new RegExp(`: TimeoutError \\(ETIMEDOUT\\): .*exceeded the configured ${TIMEOUT_MS} ms requestTimeout`));
test(reportsPersistent, 'truncatedBody', /: Error \(ECONNRESET\): aborted$/);

test('a NextToken handed back again is not followed: the pages read are kept and the region is reported unreadable', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(EVENTS, { firstMs: window.start.getTime() }));
  emulator.faults.inject({ kind: 'repeatNextToken', operation: 'LookupEvents', times: Number.POSITIVE_INFINITY });

  const items = await collect(emulatorSource(emulator).read(window));

  t.is(new Set(eventIdsOf(items)).size, 100);
  t.deepEqual(itemsOfKind(items, 'unreadable'), [
    {
      kind: 'unreadable',
      origin: 'cloudtrail:us-east-1',
      reason: 'LookupEvents page 2 returned a NextToken it had returned before: stopped rather than loop (100 events read), the window was not read to its end',
    },
  ]);
  t.is(lookupRequests(emulator).length, 2);
});

test('a listing longer than maxPages stops there and is reported unreadable', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(EVENTS, { firstMs: window.start.getTime() }));

  const items = await collect(emulatorSource(emulator, { maxPages: 2 }).read(window));

  t.is(eventIdsOf(items).length, 100);
  t.deepEqual(
    itemsOfKind(items, 'unreadable').map((item) => item.reason),
    ['stopped after 2 pages (100 events) with more to read: the window was not read to its end'],
  );
  t.is(lookupRequests(emulator).length, 2);
});

test('retries wait with exponential backoff and jitter: with random fixed at 0.5, three-quarters of 40, 80 and 160 ms', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(3, { firstMs: window.start.getTime() }));
  emulator.faults.inject({ kind: 'throttle', operation: 'LookupEvents', times: 3 });
  const { waits, sleep } = recordingSleep();

  // A pace that never waits, so every recorded wait is a backoff.
  const items = await collect(
    emulatorSource(emulator, {
      pace: { requests: 1, windowMs: 0 },
      retry: { maxAttempts: 4, baseDelayMs: 40, maxDelayMs: 1000, sleep, random: () => 0.5 },
    }).read(window),
  );

  t.is(eventIdsOf(items).length, 3);
  t.deepEqual(waits, [30, 60, 120]);
});

test('backoff never grows past maxDelayMs', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(3, { firstMs: window.start.getTime() }));
  emulator.faults.inject({ kind: 'http500', operation: 'LookupEvents', times: 4 });
  const { waits, sleep } = recordingSleep();

  await collect(
    emulatorSource(emulator, {
      pace: { requests: 1, windowMs: 0 },
      retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 50, sleep, random: () => 0.999 },
    }).read(window),
  );

  t.deepEqual(
    waits.map((ms) => Math.round(ms)),
    [20, 40, 50, 50],
  );
});

test('an error that is not transient is not retried, and its reason does not reveal the secret key', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(3, { firstMs: window.start.getTime() }));
  const wrongSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET';
  const config = emulatorClientConfig(emulator);
  const source = emulatorSource(emulator, {
    clientFor: (region) => createCloudTrailClient(region, { ...config, credentials: { ...config.credentials, secretAccessKey: wrongSecret } }),
  });

  const items = await collect(source.read(window));

  const unreadable = itemsOfKind(items, 'unreadable');
  t.is(unreadable.length, 1);
  t.regex(unreadable[0]?.reason ?? '', /^LookupEvents page 1 failed after 1 attempt \(0 events read before it\): \w+ \(HTTP 4\d\d\)/);
  t.false(unreadable[0]?.reason.includes(wrongSecret));
  t.is(lookupRequests(emulator).length, 1);
});

test('a region that cannot be reached makes the run incomplete while the other region’s events are all audited', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(60, { region: 'us-east-1', firstMs: window.start.getTime() }));
  const unreachable = 'http://127.0.0.1:9'; // the discard port: nothing listens there
  const source = emulatorSource(emulator, {
    regions: ['us-east-1', 'eu-west-1'],
    clientFor: (region) =>
      createCloudTrailClient(region, {
        ...emulatorClientConfig(emulator, { region: region ?? 'us-east-1' }),
        ...(region === 'eu-west-1' ? { endpoint: unreachable } : {}),
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
      }),
  });

  const result = await runAudit({
    sources: [source],
    rules: [],
    evaluator: { matchingRules: () => Promise.resolve([]) },
    sinks: [],
    window,
    now: () => new Date(),
  });

  t.false(result.complete);
  t.is(result.summary.recordsEvaluated, 60);
  t.deepEqual(
    result.summary.unreadable.map((item) => item.origin),
    ['cloudtrail:eu-west-1'],
  );
  t.regex(result.summary.unreadable[0]?.reason ?? '', /failed after 2 attempts .*ECONNREFUSED/);
});

test('aborting the read rejects it with the abort reason instead of reporting the region unreadable', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(EVENTS, { firstMs: window.start.getTime() }));
  emulator.faults.inject({ kind: 'throttle', operation: 'LookupEvents', times: Number.POSITIVE_INFINITY });
  const controller = new AbortController();
  const reason = new Error('run cancelled');
  setTimeout(() => controller.abort(reason), 300);

  await t.throwsAsync(collect(emulatorSource(emulator, { retry: { maxAttempts: 100, baseDelayMs: 50, maxDelayMs: 50 } }).read(window, controller.signal)), {
    is: reason,
  });
});
