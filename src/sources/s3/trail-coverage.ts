import type { Shard } from './shard.js';

/**
 * What an S3 trail read covered, as audit evidence: which accounts, regions and days it read, how many
 * log objects and records each day held, and the gaps. Plain JSON, for the run summary and `--format json`.
 */
export interface S3TrailCoverage {
  /** `s3://BUCKET/PREFIX/AWSLogs/`. */
  readonly location: string;
  readonly window: { readonly start: string; readonly end: string };
  /** Present when the run read one shard: its objects counts are that shard's. */
  readonly shard?: Shard;
  /** Accounts read, sorted. */
  readonly accounts: readonly string[];
  /** Regions read in any account, sorted. */
  readonly regions: readonly string[];
  /** One entry per account, region and day folder listed, in key order. */
  readonly days: readonly S3TrailDayCoverage[];
  readonly gaps: readonly S3TrailCoverageGap[];
}

export interface S3TrailDayCoverage {
  readonly account: string;
  /** Present for an organisation trail's folder (`AWSLogs/o-.../ACCOUNT/`). */
  readonly organizationId?: string;
  readonly region: string;
  /** The delivery day, `YYYY-MM-DD` (a day after the window may be listed for late deliveries). */
  readonly day: string;
  /** Log objects in the day folder. */
  readonly objectsListed: number;
  /** Of those, the ones delivered when they can hold events of the window, in all shards together. */
  readonly objectsInWindow: number;
  /** Of those, the ones this run read whole (its shard's). */
  readonly objectsRead: number;
  /** Of those, the ones this run could not read (see gaps). */
  readonly objectsUnreadable: number;
  /** Records in the objects read, and how many of them have an eventTime inside the window. */
  readonly records: number;
  readonly recordsInWindow: number;
}

/**
 * Absences (`no-*`, `*-not-found`) are evidence for the reader: the run stays complete. Faults
 * (`unreadable-object`, `listing-failed`) are also reported as unreadable items: the run exits 2.
 */
export type S3TrailCoverageGap =
  | { readonly kind: 'no-accounts'; readonly location: string }
  | { readonly kind: 'account-not-found'; readonly account: string }
  | { readonly kind: 'no-regions'; readonly account: string; readonly location: string }
  | { readonly kind: 'region-not-found'; readonly account: string; readonly region: string }
  | { readonly kind: 'no-log-objects'; readonly account: string; readonly region: string; readonly day: string }
  | { readonly kind: 'unreadable-object'; readonly uri: string; readonly reason: string }
  | { readonly kind: 'listing-failed'; readonly location: string; readonly reason: string };

/** Where a log object sits: the day entry its counts go to. */
export interface DayFolder {
  readonly account: string;
  readonly organizationId?: string;
  readonly region: string;
  readonly day: string;
}

type DayCounts = { -readonly [K in keyof S3TrailDayCoverage]: S3TrailDayCoverage[K] };

/** Counts a read as it goes; `coverage()` gives the result. Day entries keep the order they were opened in. */
export class S3TrailCoverageTally {
  private readonly dayCounts = new Map<string, DayCounts>();
  private readonly gapList: S3TrailCoverageGap[] = [];

  constructor(
    private readonly location: string,
    private readonly window: { readonly start: Date; readonly end: Date },
    private readonly shard: Shard | undefined,
  ) {}

  /** Starts a day entry with the day folder's listing counts. */
  openDay(folder: DayFolder, objectsListed: number, objectsInWindow: number): void {
    this.dayCounts.set(dayKey(folder), { ...folder, objectsListed, objectsInWindow, objectsRead: 0, objectsUnreadable: 0, records: 0, recordsInWindow: 0 });
  }

  objectRead(folder: DayFolder, records: number, recordsInWindow: number): void {
    const counts = this.day(folder);
    counts.objectsRead += 1;
    counts.records += records;
    counts.recordsInWindow += recordsInWindow;
  }

  objectUnreadable(folder: DayFolder, uri: string, reason: string): void {
    this.day(folder).objectsUnreadable += 1;
    this.gap({ kind: 'unreadable-object', uri, reason });
  }

  gap(gap: S3TrailCoverageGap): void {
    this.gapList.push(gap);
  }

  coverage(): S3TrailCoverage {
    const days = [...this.dayCounts.values()].map((counts) => ({ ...counts }));
    return {
      location: this.location,
      window: { start: this.window.start.toISOString(), end: this.window.end.toISOString() },
      ...(this.shard === undefined ? {} : { shard: this.shard }),
      accounts: sortedUnique(days.map((day) => day.account)),
      regions: sortedUnique(days.map((day) => day.region)),
      days,
      gaps: [...this.gapList],
    };
  }

  private day(folder: DayFolder): DayCounts {
    const counts = this.dayCounts.get(dayKey(folder));
    if (counts === undefined) throw new Error(`bug: day ${dayKey(folder)} counted before it was opened`);
    return counts;
  }
}

function dayKey(folder: DayFolder): string {
  return [folder.organizationId ?? '', folder.account, folder.region, folder.day].join('/');
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
