import type { SinkOutcome } from './finding-sink.js';
import type { S3TrailCoverage } from '../sources/s3/trail-coverage.js';

/** What a run did, for the terminal table, `--format json` and a scheduler's logs. */
export interface AuditSummary {
  readonly window?: { readonly start: string; readonly end: string };
  readonly sources: readonly string[];
  /** Inputs read (files, objects, pages) and those skipped on purpose (digests). */
  readonly inputsRead: number;
  readonly inputsSkipped: readonly { readonly origin: string; readonly reason: string }[];
  /** Inputs (or parts of them) that could not be read: the run is incomplete and exits 2. */
  readonly unreadable: readonly { readonly origin: string; readonly line?: number; readonly reason: string }[];
  /** Sources that yielded no CloudTrail record and were not allowed to (config `allowEmpty`): the run is incomplete and exits 2. Absent means none. */
  readonly emptySources?: readonly string[];
  /**
   * Threshold rules whose verdict this run could not decide from every matching event (more were held
   * than the run keeps): the run is incomplete and exits 2. Absent means none.
   */
  readonly thresholdsIncomplete?: readonly { readonly rule: string; readonly reason: string }[];
  /** What the sources want the reader to know, e.g. that a region's event history held no events at all. Absent means none. */
  readonly notices: readonly { readonly origin: string; readonly message: string }[];
  /** What each S3 trail source read, as audit evidence: accounts, regions, days, objects and records per day, gaps. Absent when no source reports coverage. */
  readonly coverage?: readonly S3TrailCoverage[];
  readonly recordsRead: number;
  /** Same eventID and same content seen again (CloudTrail delivers some events more than once). */
  readonly duplicateRecords: number;
  /**
   * Records whose eventID an earlier record of the run had, with other content: each was evaluated
   * too, and the run exits 3. `origin` is where the later record was read; the other has the same eventID.
   */
  readonly integrityConflicts: readonly { readonly origin: string; readonly eventId: string }[];
  /** Records whose eventTime is outside the window. */
  readonly outsideWindow: number;
  /** Records with no readable eventTime while a window was set: they cannot be placed, so they are counted, not evaluated. */
  readonly undatedRecords: number;
  readonly recordsEvaluated: number;
  readonly rulesActive: number;
  readonly rulesInactive: readonly { readonly id: string; readonly reason: string }[];
  readonly matches: number;
  /** Matches silenced by a config suppression, per suppression: counted and shown, not findings. */
  readonly suppressed: readonly { readonly rule: string; readonly reason: string; readonly expires: string; readonly count: number }[];
  readonly findings: number;
  /** Findings per severity label. */
  readonly findingsBySeverity: Readonly<Record<string, number>>;
  /** Where this run's findings go, every sink by its description (`stdout`, `file:/abs/findings.json`, `securityhub:eu-west-1`), so no file is written unnamed. Absent means not told. */
  readonly sinks?: readonly string[];
  /** Per sink that keeps findings (Security Hub): findings created, updated and left unchanged. Known after the sinks ran. */
  readonly sinkOutcomes?: readonly (SinkOutcome & { readonly sink: string })[];
  readonly durationMs: number;
}
