import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExecutionContext } from 'ava';
import { gzipSync } from 'node:zlib';
import type { CloudTrailRecord } from '../../../src/records/cloudtrail-record.js';
import type { TimeWindow } from '../../../src/sources/event-source.js';
import { createS3Client } from '../../../src/aws/s3-client.js';
import type { RetryOptions } from '../../../src/aws/retry-strategy.js';
import { S3TrailSource, type S3TrailSourceOptions } from '../../../src/sources/s3/trail-source.js';
import { lfvRecord } from '../../support/lfv-record.js';
import { startS3Server, type S3TestServer } from '../../support/s3-server.js';

process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

export const BUCKET = 'trail-bucket';
export const PREFIX = 'logs';
export const ACCOUNT = '111111111111';
export const ORG_ACCOUNT = '222222222222';
export const ORG = 'o-abcdefghij';

/** The window every test audits: 1 October 2025, UTC. */
export const WINDOW: TimeWindow = { start: new Date('2025-10-01T00:00:00Z'), end: new Date('2025-10-02T00:00:00Z') };

/** `logs/AWSLogs/111111111111/CloudTrail/us-east-1/2025/10/01/111111111111_CloudTrail_us-east-1_20251001T0305Z_<unique>.json.gz` */
export function logKey(options: {
  readonly account: string;
  readonly organizationId?: string;
  readonly region: string;
  readonly delivered: string;
  readonly unique: string;
}): string {
  const { account, region, delivered } = options;
  const day = `${delivered.slice(0, 4)}/${delivered.slice(4, 6)}/${delivered.slice(6, 8)}`;
  const org = options.organizationId === undefined ? '' : `${options.organizationId}/`;
  return `${PREFIX}/AWSLogs/${org}${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${delivered}_${options.unique}.json.gz`;
}

/** Records with these eventIDs and times, in `region` of `account`. */
export function events(account: string, region: string, ...idsAndTimes: readonly (readonly [string, string])[]): CloudTrailRecord[] {
  return idsAndTimes.map(([eventID, eventTime]) => lfvRecord({ eventID, eventTime, awsRegion: region, recipientAccountId: account }));
}

export function trailLogBody(records: readonly CloudTrailRecord[]): Buffer {
  return gzipSync(JSON.stringify({ Records: records }));
}

export interface TrailObject {
  readonly key: string;
  readonly body: Buffer;
}

/**
 * A day of trail logs in both layouts: the plain one (account 111… in us-east-1 and eu-west-1) and an
 * organisation's (o-abcdefghij/222… in us-east-1); a late delivery on 2 October holding the window's last
 * event and one after it, files on 30 September and late on 2 October that no window event can be in,
 * digest files, and a corrupt object.
 */
export function trailDay(): TrailObject[] {
  const plain = (region: string, delivered: string, unique: string, ...records: (readonly [string, string])[]): TrailObject => ({
    key: logKey({ account: ACCOUNT, region, delivered, unique }),
    body: trailLogBody(events(ACCOUNT, region, ...records)),
  });
  const org = (delivered: string, unique: string, ...records: (readonly [string, string])[]): TrailObject => ({
    key: logKey({ account: ORG_ACCOUNT, organizationId: ORG, region: 'us-east-1', delivered, unique }),
    body: trailLogBody(events(ORG_ACCOUNT, 'us-east-1', ...records)),
  });
  return [
    plain('us-east-1', '20250930T2350Z', 'before0000000000', ['before-1', '2025-09-30T23:45:00Z']),
    plain('us-east-1', '20251001T0005Z', 'aaaaaaaaaaaaaaaa', ['use1-1', '2025-10-01T00:01:00Z'], ['use1-2', '2025-10-01T00:02:00Z']),
    plain('us-east-1', '20251001T1200Z', 'bbbbbbbbbbbbbbbb', ['use1-3', '2025-10-01T11:56:00Z']),
    plain('us-east-1', '20251002T0003Z', 'cccccccccccccccc', ['use1-late', '2025-10-01T23:58:00Z'], ['use1-next-day', '2025-10-02T00:01:00Z']),
    plain('us-east-1', '20251002T0500Z', 'dddddddddddddddd', ['use1-much-later', '2025-10-02T04:56:00Z']),
    plain('eu-west-1', '20251001T0800Z', 'eeeeeeeeeeeeeeee', ['euw1-1', '2025-10-01T07:55:00Z']),
    org('20251001T0100Z', 'ffffffffffffffff', ['org-1', '2025-10-01T00:57:00Z'], ['org-2', '2025-10-01T00:58:00Z']),
    org('20251001T0200Z', 'gggggggggggggggg', ['org-3', '2025-10-01T01:59:00Z']),
    {
      key: logKey({ account: ORG_ACCOUNT, organizationId: ORG, region: 'us-east-1', delivered: '20251001T1000Z', unique: 'corruptcorruptco' }),
      body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]),
    },
    {
      key: `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2025/10/01/${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20251001T0105Z.json.gz`,
      body: gzipSync(JSON.stringify({ digestStartTime: '2025-10-01T00:05:00Z', digestEndTime: '2025-10-01T01:05:00Z', digestS3Bucket: BUCKET })),
    },
    {
      // Not where a trail writes digests, but a digest met in a day folder is skipped, not parsed.
      key: `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2025/10/01/CloudTrail-Digest/${ACCOUNT}_CloudTrail-Digest_eu-west-1_20251001T0905Z.json.gz`,
      body: gzipSync(JSON.stringify({ digestStartTime: '2025-10-01T08:05:00Z', digestEndTime: '2025-10-01T09:05:00Z', digestS3Bucket: BUCKET })),
    },
  ];
}

/** The eventIDs of the window in trailDay() that one full read yields (the late delivery's next-day event included; the audit filters it). */
/**
 * One day of a coverage report as the S3 source should give it; `counts` are objects listed, in the
 * window, read and unreadable, then records and records in the window.
 */
export function coverageDay(
  account: string,
  region: string,
  date: string,
  counts: readonly [number, number, number, number, number, number],
  organizationId?: string,
): unknown {
  const [objectsListed, objectsInWindow, objectsRead, objectsUnreadable, records, recordsInWindow] = counts;
  return {
    account,
    ...(organizationId === undefined ? {} : { organizationId }),
    region,
    day: date,
    objectsListed,
    objectsInWindow,
    objectsRead,
    objectsUnreadable,
    records,
    recordsInWindow,
  };
}

export const TRAIL_DAY_EVENT_IDS = ['use1-1', 'use1-2', 'use1-3', 'use1-late', 'use1-next-day', 'euw1-1', 'org-1', 'org-2', 'org-3'];

export interface TrailBucket {
  readonly server: S3TestServer;
  /** The real SDK client lfvaudit builds, pointed at s3rver with path-style addressing and its static keys; retries wait 2.5-10 ms. */
  readonly client: S3Client;
  /** Operations and their Bucket/Prefix/Key as the client sent them, in order. */
  readonly requests: { readonly operation: string; readonly input: Readonly<Record<string, unknown>> }[];
}

/** s3rver on loopback holding these objects, closed when the test ends. */
export async function trailBucket(t: ExecutionContext, objects: readonly TrailObject[] = trailDay(), retry: RetryOptions = {}): Promise<TrailBucket> {
  const server = await startS3Server([BUCKET]);
  t.teardown(() => server.close());
  const client = createS3Client({
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: server.credentials,
    timeoutMs: 10_000,
    retry: { baseDelayMs: 5, maxDelayMs: 10, ...retry },
  });
  t.teardown(() => client.destroy());
  for (const object of objects) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: object.key, Body: object.body }));
  const requests: TrailBucket['requests'] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      requests.push({ operation: String(context.commandName).replace(/Command$/, ''), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  return { server, client, requests };
}

export function trailSource(bucket: TrailBucket, options: Partial<S3TrailSourceOptions> = {}): S3TrailSource {
  return new S3TrailSource({ bucket: BUCKET, prefix: PREFIX, client: bucket.client, ...options });
}
