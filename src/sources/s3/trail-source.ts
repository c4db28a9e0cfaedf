import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from '../../aws/sdk.js';
import { DIGEST_SKIP_REASON, isDigestPath } from '../../records/digest-file.js';
import { eventTimeOf } from '../../records/event-time.js';
import { readDocument } from '../../records/read-document.js';
import type { EventSource, SourceItem, TimeWindow } from '../event-source.js';
import { documentSourceItems } from '../file/file-source.js';
import { describeFailedCall } from '../../aws/retry.js';
import { readWithinAttempt } from '../../aws/read-within-attempt.js';
import { createS3Client } from '../../aws/s3-client.js';
import { absenceNotices } from './coverage-notices.js';
import { listFolderNames, listKeys, type S3Lister } from './listing.js';
import { readAheadInOrder } from './read-ahead.js';
import { isInShard, shardProblem, shardText, type Shard } from './shard.js';
import { S3TrailCoverageTally, type DayFolder } from './trail-coverage.js';
import {
  ACCOUNT_FOLDER,
  awsLogsPrefix,
  dayFolder,
  deliveredInRange,
  deliveryMinuteOf,
  deliveryRange,
  ORGANIZATION_FOLDER,
  s3Uri,
  utcDaysTouched,
} from './trail-layout.js';

/** Objects read at once by default: enough to hide S3's first-byte latency behind parsing on one core. */
export const DEFAULT_S3_CONCURRENCY = 4;

export interface S3TrailSourceOptions {
  readonly bucket: string;
  /** Key prefix before `AWSLogs/` (may be empty). */
  readonly prefix?: string;
  /** Only these accounts (12 digits); default every account folder found. */
  readonly accounts?: readonly string[];
  /** Only these regions; default every region folder found. */
  readonly regions?: readonly string[];
  /** Only this organisation trail's folder (`AWSLogs/o-.../`); default both layouts, every organisation. */
  readonly organizationId?: string;
  /** Default createS3Client(): the standard chains, lfvaudit's retry policy. */
  readonly client?: S3Client;
  /** Log objects read (or held, read but not yet taken by the audit) at once. Default 4. */
  readonly concurrency?: number;
  /** Read only this part of the window's log objects (every day folder is still listed, so coverage counts the whole window's). */
  readonly shard?: Shard;
  /** Largest decompressed object read; a larger one is unreadable. Default 1 GiB (readDocument's). */
  readonly maxBytes?: number;
  /** Keys per listing page. Default 1000, S3's largest. */
  readonly listPageSize?: number;
}

/** An account's folder: `AWSLogs/ACCOUNT/` or `AWSLogs/o-ID/ACCOUNT/`. */
interface AccountRoot {
  readonly account: string;
  readonly organizationId?: string;
  readonly prefix: string;
}

type ReadTask = () => Promise<readonly SourceItem[]>;

/**
 * CloudTrail trail log files in S3 (or an S3-compatible store), over the run's window. It finds the
 * accounts (both layouts) and regions by listing folders, lists only the day folders the window's
 * deliveries fall in, keeps the objects delivered when they can hold the window's events, and reads
 * them `concurrency` at a time through readDocument (gzip by magic bytes, size cap), yielding them in
 * key order. The audit's window filter keeps only events inside the window. Once every object is read,
 * it yields a notice per absence (an account, region or day with no logs) and its coverage report.
 *
 * An object or listing that cannot be read, after retries, is an unreadable item: the rest is still
 * audited, the run exits 2, its window is not marked done, and the next run reads it again.
 *
 * Re-runs: the source keeps no progress of its own; the state file's window is enough. A re-run
 * of a window reads its day folders again, whole. That neither skips (nothing is remembered as done
 * until the whole window is) nor re-counts: the audit dedupes on eventID within a run, and Security Hub
 * findings merge event coverage per hour as the maximum of complete counts and the union of hashes,
 * so importing the same events twice does not double them (see docs/scale.md).
 */
export class S3TrailSource implements EventSource {
  readonly description: string;
  private readonly bucket: string;
  private readonly logsPrefix: string;
  private readonly accounts: readonly string[] | undefined;
  private readonly regions: readonly string[] | undefined;
  private readonly organizationId: string | undefined;
  private readonly concurrency: number;
  private readonly shard: Shard | undefined;
  private readonly maxBytes: number | undefined;
  private readonly lister: S3Lister;

  constructor(options: S3TrailSourceOptions) {
    if (options.bucket === '') throw new RangeError('an S3 source needs a bucket');
    this.bucket = options.bucket;
    this.logsPrefix = awsLogsPrefix(options.prefix ?? '');
    this.accounts = nonEmpty(options.accounts);
    this.regions = nonEmpty(options.regions);
    this.organizationId = options.organizationId;
    this.concurrency = options.concurrency ?? DEFAULT_S3_CONCURRENCY;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${this.concurrency}`);
    if (options.shard !== undefined) {
      const problem = shardProblem(options.shard);
      if (problem !== undefined) throw new RangeError(problem);
    }
    this.shard = options.shard;
    this.maxBytes = options.maxBytes;
    this.lister = { client: options.client ?? createS3Client(), bucket: this.bucket, pageSize: options.listPageSize ?? 1000 };
    this.description = `${s3Uri(this.bucket, this.logsPrefix.slice(0, -'AWSLogs/'.length))}${this.shard === undefined ? '' : ` ${shardText(this.shard)}`}`;
  }

  async *read(window: TimeWindow | undefined, signal?: AbortSignal): AsyncIterable<SourceItem> {
    const location = s3Uri(this.bucket, this.logsPrefix);
    if (window === undefined) {
      yield {
        kind: 'unreadable',
        origin: location,
        reason:
          'reading trail logs from S3 needs a time window (it lists only the days the window touches): give --since and --until, or let the state file set it',
      };
      return;
    }
    // An empty window (a scheduled run with nothing new to audit) holds no event: nothing to list.
    if (window.start.getTime() >= window.end.getTime()) return;
    const tally = new S3TrailCoverageTally(location, window, this.shard);
    for await (const items of readAheadInOrder(this.tasks(window, tally, signal), this.concurrency)) yield* items;
    const coverage = tally.coverage();
    yield* absenceNotices(coverage);
    yield { kind: 'coverage', origin: location, coverage };
  }

  /** Every object to read, and every listing fault, in key order: listed lazily, one day folder at a time. */
  private async *tasks(window: TimeWindow, tally: S3TrailCoverageTally, signal: AbortSignal | undefined): AsyncGenerator<ReadTask> {
    const roots = await this.accountRoots(tally, signal);
    for (const fault of roots.faults) yield ready(fault);
    for (const root of roots.roots) {
      const regionsPrefix = `${root.prefix}CloudTrail/`;
      const listed = await listFolderNames(this.lister, regionsPrefix, signal);
      if (!listed.ok) {
        yield ready(this.listingFault(tally, regionsPrefix, listed.reason));
        continue;
      }
      const regions = this.regions === undefined ? listed.value : listed.value.filter((region) => this.regions?.includes(region));
      for (const region of this.regions ?? []) if (!listed.value.includes(region)) tally.gap({ kind: 'region-not-found', account: root.account, region });
      if (listed.value.length === 0) tally.gap({ kind: 'no-regions', account: root.account, location: s3Uri(this.bucket, regionsPrefix) });
      for (const region of regions) yield* this.dayTasks(root, region, window, tally, signal);
    }
  }

  /**
   * The account folders to read, sorted by key; with an organization id only that organisation's,
   * otherwise accounts directly under AWSLogs/ and under every organisation folder there.
   */
  private async accountRoots(tally: S3TrailCoverageTally, signal: AbortSignal | undefined): Promise<{ roots: AccountRoot[]; faults: SourceItem[] }> {
    const roots: AccountRoot[] = [];
    const faults: SourceItem[] = [];
    const addAccounts = async (prefix: string, organizationId: string | undefined): Promise<void> => {
      const listed = await listFolderNames(this.lister, prefix, signal);
      if (!listed.ok) {
        faults.push(this.listingFault(tally, prefix, listed.reason));
        return;
      }
      for (const name of listed.value) {
        if (ACCOUNT_FOLDER.test(name)) roots.push({ account: name, ...(organizationId === undefined ? {} : { organizationId }), prefix: `${prefix}${name}/` });
        else if (organizationId === undefined && this.organizationId === undefined && ORGANIZATION_FOLDER.test(name))
          await addAccounts(`${prefix}${name}/`, name);
        else faults.push({ kind: 'skipped', origin: s3Uri(this.bucket, `${prefix}${name}/`), reason: 'not an account or organization folder of a trail' });
      }
    };
    await addAccounts(this.organizationId === undefined ? this.logsPrefix : `${this.logsPrefix}${this.organizationId}/`, this.organizationId);
    const wanted = this.accounts === undefined ? roots : roots.filter((root) => this.accounts?.includes(root.account));
    for (const account of this.accounts ?? []) if (!roots.some((root) => root.account === account)) tally.gap({ kind: 'account-not-found', account });
    if (roots.length === 0 && faults.every((fault) => fault.kind !== 'unreadable'))
      tally.gap({ kind: 'no-accounts', location: s3Uri(this.bucket, this.logsPrefix) });
    wanted.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    return { roots: wanted, faults };
  }

  private async *dayTasks(
    root: AccountRoot,
    region: string,
    window: TimeWindow,
    tally: S3TrailCoverageTally,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ReadTask> {
    const range = deliveryRange(window);
    const windowDays = new Set(utcDaysTouched(window.start.getTime(), window.end.getTime()));
    for (const day of utcDaysTouched(range.start, range.end)) {
      const prefix = `${root.prefix}CloudTrail/${region}/${dayFolder(day)}`;
      const listed = await listKeys(this.lister, prefix, signal);
      if (!listed.ok) {
        yield ready(this.listingFault(tally, prefix, listed.reason));
        continue;
      }
      const folder: DayFolder = { account: root.account, ...(root.organizationId === undefined ? {} : { organizationId: root.organizationId }), region, day };
      // Trails write digests beside CloudTrail/, never in it; one met here anyway is skipped, not counted as a log object.
      for (const key of listed.value.filter(isDigestPath)) yield ready({ kind: 'skipped', origin: s3Uri(this.bucket, key), reason: DIGEST_SKIP_REASON });
      const logs = listed.value.filter((key) => !isDigestPath(key));
      // A name without a delivery time cannot be placed: it is read rather than dropped unseen.
      const inWindow = logs.filter((key) => {
        const delivered = deliveryMinuteOf(key);
        return delivered === undefined || deliveredInRange(delivered, range);
      });
      tally.openDay(folder, logs.length, inWindow.length);
      // Days only listed for late deliveries are not gaps when empty: the next day may not have started yet.
      if (inWindow.length === 0 && windowDays.has(day)) tally.gap({ kind: 'no-log-objects', account: root.account, region, day });
      for (const key of inWindow) {
        if (this.shard === undefined || isInShard({ key, account: root.account, region }, this.shard))
          yield () => this.readObject(key, folder, window, tally, signal);
      }
    }
  }

  /**
   * One object's items. The body is read within each GetObject attempt, so the client's retries cover
   * a body cut short mid-stream too; an object that still cannot be read is unreadable.
   */
  private async readObject(
    key: string,
    folder: DayFolder,
    window: TimeWindow,
    tally: S3TrailCoverageTally,
    signal: AbortSignal | undefined,
  ): Promise<readonly SourceItem[]> {
    const uri = s3Uri(this.bucket, key);
    const command = new (s3Sdk().GetObjectCommand)({ Bucket: this.bucket, Key: key });
    let document;
    try {
      document = await readWithinAttempt(
        command,
        () => this.lister.client.send(command, signal === undefined ? {} : { abortSignal: signal }),
        async (output) => {
          const body = output.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
          if (body === undefined) throw new Error('GetObject returned no body');
          try {
            return await readDocument(body, uri, this.maxBytes === undefined ? {} : { maxBytes: this.maxBytes });
          } finally {
            // A document cut off at the size cap leaves the rest of the body unread: release the connection.
            body.destroy?.();
          }
        },
      );
    } catch (error) {
      // An abort is thrown as the signal's reason: the caller asked to stop, nothing failed.
      signal?.throwIfAborted();
      const reason = `GetObject ${describeFailedCall(error)}`;
      tally.objectUnreadable(folder, uri, reason);
      return [{ kind: 'unreadable', origin: uri, reason }];
    }
    const items = documentSourceItems(document, uri);
    const problem = items.find((item) => item.kind === 'unreadable');
    if (problem?.kind === 'unreadable') {
      tally.objectUnreadable(folder, uri, problem.reason);
    } else {
      const records = document.records;
      tally.objectRead(folder, records.length, records.filter((record) => isInWindow(eventTimeOf(record), window)).length);
    }
    return items;
  }

  private listingFault(tally: S3TrailCoverageTally, prefix: string, reason: string): SourceItem {
    const location = s3Uri(this.bucket, prefix);
    tally.gap({ kind: 'listing-failed', location, reason });
    return { kind: 'unreadable', origin: location, reason };
  }
}

function ready(...items: SourceItem[]): ReadTask {
  return () => Promise.resolve(items);
}

function isInWindow(time: number | undefined, window: TimeWindow): boolean {
  return time !== undefined && time >= window.start.getTime() && time < window.end.getTime();
}

function nonEmpty(values: readonly string[] | undefined): readonly string[] | undefined {
  return values === undefined || values.length === 0 ? undefined : [...new Set(values)];
}
