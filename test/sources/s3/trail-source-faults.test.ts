import type { S3Client } from '@aws-sdk/client-s3';
import test from 'ava';
import { Readable } from 'node:stream';
import { collect, eventIdsOf, itemsOfKind } from '../cloudtrail/fixtures.js';
import { ACCOUNT, trailBucket, trailDay, trailSource, WINDOW } from './fixtures.js';

/** An S3 error as the SDK raises it. */
function s3Error(name: string, status: number): Error {
  return Object.assign(new Error(`${name} injected`), { name, $metadata: { httpStatusCode: status } });
}

/**
 * Makes the client fail `operation` attempts for keys or prefixes containing `match`, `times` times
 * (default always): in the deserialize step, below the SDK's retry middleware, so each attempt counts.
 */
function failing(client: S3Client, operation: string, match: string, error: () => Error, times = Number.POSITIVE_INFINITY): { attempts: number } {
  const counter = { attempts: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (context.commandName === `${operation}Command` && String(input['Key'] ?? input['Prefix']).includes(match)) {
        counter.attempts += 1;
        if (counter.attempts <= times) throw error();
      }
      return next(args);
    },
    { step: 'deserialize', priority: 'high', name: `fail${operation}` },
  );
  return counter;
}

test('retries an object whose GetObject fails transiently, and reads it', async (t) => {
  const bucket = await trailBucket(t);
  const counter = failing(bucket.client, 'GetObject', '20251001T1200Z', () => s3Error('InternalError', 500), 2);
  const items = await collect(trailSource(bucket).read(WINDOW));
  t.true(eventIdsOf(items).includes('use1-3'));
  t.is(counter.attempts, 3);
});

test('reports an object unreadable after its attempts run out, and reads the rest', async (t) => {
  const bucket = await trailBucket(t, trailDay(), { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
  const counter = failing(bucket.client, 'GetObject', '20251001T1200Z', () => s3Error('SlowDown', 503));
  const items = await collect(trailSource(bucket).read(WINDOW));
  const unreadable = itemsOfKind(items, 'unreadable').filter((item) => item.origin.includes('20251001T1200Z'));
  t.is(unreadable.length, 1);
  t.regex(unreadable[0]?.origin ?? '', /^s3:\/\/trail-bucket\/logs\/AWSLogs\/111111111111\/CloudTrail\/us-east-1\/2025\/10\/01\//);
  t.is(unreadable[0]?.reason, 'GetObject failed after 3 attempts: SlowDown (HTTP 503): SlowDown injected');
  t.is(counter.attempts, 3);
  t.true(eventIdsOf(items).includes('use1-1'));
});

test('does not retry a GetObject refused for good (access denied)', async (t) => {
  const bucket = await trailBucket(t);
  const counter = failing(bucket.client, 'GetObject', '20251001T1200Z', () => s3Error('AccessDenied', 403));
  const items = await collect(trailSource(bucket).read(WINDOW));
  t.is(counter.attempts, 1);
  t.true(itemsOfKind(items, 'unreadable').some((item) => item.reason === 'GetObject failed after 1 attempt: AccessDenied (HTTP 403): AccessDenied injected'));
});

test('retries an object whose body is cut off mid-stream', async (t) => {
  const bucket = await trailBucket(t);
  let cuts = 0;
  bucket.client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as Record<string, unknown>;
      if (context.commandName === 'GetObjectCommand' && String(input['Key']).includes('20251001T1200Z') && cuts === 0) {
        cuts += 1;
        const output = result.output as { Body?: unknown };
        (output.Body as Readable).destroy();
        const cut = new Readable({ read() {} });
        cut.push(Buffer.from([0x1f, 0x8b, 0x08]));
        setImmediate(() => cut.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
        output.Body = cut;
      }
      return result;
    },
    // Below the SDK's retry middleware and the source's reading of the body, as a real cut would be.
    { step: 'deserialize', priority: 'high', name: 'cutBody' },
  );
  const items = await collect(trailSource(bucket).read(WINDOW));
  t.is(cuts, 1);
  t.true(eventIdsOf(items).includes('use1-3'));
  t.deepEqual(
    itemsOfKind(items, 'unreadable').filter((item) => item.origin.includes('20251001T1200Z')),
    [],
  );
});

test('reports a day folder whose listing fails unreadable, and reads the other days', async (t) => {
  const bucket = await trailBucket(t, trailDay(), { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
  failing(bucket.client, 'ListObjectsV2', `${ACCOUNT}/CloudTrail/us-east-1/2025/10/01/`, () => s3Error('InternalError', 500));
  const items = await collect(trailSource(bucket).read(WINDOW));
  const unreadable = itemsOfKind(items, 'unreadable').map((item) => [item.origin, item.reason]);
  t.true(
    unreadable.some(
      ([origin, reason]) =>
        origin === `s3://trail-bucket/logs/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2025/10/01/` &&
        reason === 'ListObjectsV2 page 1 failed after 2 attempts: InternalError (HTTP 500): InternalError injected',
    ),
  );
  t.false(eventIdsOf(items).includes('use1-1'));
  t.true(eventIdsOf(items).includes('use1-late'));
});

test('stops when its signal aborts', async (t) => {
  const bucket = await trailBucket(t);
  const controller = new AbortController();
  const reason = new Error('stop');
  await t.throwsAsync(
    async () => {
      for await (const item of trailSource(bucket).read(WINDOW, controller.signal)) if (item.kind === 'records') controller.abort(reason);
    },
    { is: reason },
  );
});
