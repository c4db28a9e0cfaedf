import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import type { S3TrailCoverage } from './s3/trail-coverage.js';

/** The half-open time range `[start, end)` an audit covers, on eventTime. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * What a source yields, in the order it reads. Nothing is dropped silently: every input either
 * yields records, or is reported as skipped (on purpose, e.g. a digest file) or unreadable (a fault
 * that makes the run incomplete and its exit status 2). A notice informs without changing the outcome;
 * a coverage report is the evidence of what was read, for the run summary.
 */
export type SourceItem =
  | {
      readonly kind: 'records';
      /** Where the records came from: a file path, an s3:// URI, `cloudtrail:REGION`. */
      readonly origin: string;
      /**
       * Handed over: the audit clears each entry as it takes it (see takeEachRecord), so a source gives
       * an array of its own and does not read it afterwards.
       */
      readonly records: CloudTrailRecord[];
    }
  | {
      readonly kind: 'skipped';
      readonly origin: string;
      /** Why it was skipped on purpose, e.g. `CloudTrail digest file`. */
      readonly reason: string;
    }
  | {
      readonly kind: 'unreadable';
      readonly origin: string;
      /** 1-based line of the bad part, when the fault is inside an otherwise readable file (JSON Lines). */
      readonly line?: number;
      readonly reason: string;
    }
  | {
      /**
       * Something the reader of the run must know that is neither a fault nor a skip, e.g. that
       * LookupEvents found no events at all in a region (an empty audit, not a clean one).
       */
      readonly kind: 'notice';
      readonly origin: string;
      readonly message: string;
    }
  | {
      /** What a read covered, as audit evidence (accounts, regions, days, objects, gaps): yielded once, after its last records. */
      readonly kind: 'coverage';
      readonly origin: string;
      readonly coverage: S3TrailCoverage;
    };

export interface EventSource {
  /** Human-readable, e.g. `file:examples/logs` or `cloudtrail:us-east-1,eu-west-1`. */
  readonly description: string;
  /** Sources that can narrow what they fetch (LookupEvents, S3 day prefixes) use the window; others ignore it. */
  read(window: TimeWindow | undefined, signal?: AbortSignal): AsyncIterable<SourceItem>;
}
