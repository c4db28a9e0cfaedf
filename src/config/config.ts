import type { SeverityLabel } from '../ruleset/rule.js';

/**
 * `allowEmpty`: the source may yield no CloudTrail record (e.g. LookupEvents after Lookout for Vision's
 * end of support); otherwise a source that yields none makes the run exit 2.
 */
export type SourceSpec =
  | { readonly type: 'file'; readonly path: string; readonly allowEmpty?: boolean }
  | { readonly type: 'cloudtrail'; readonly regions?: readonly string[]; readonly allowEmpty?: boolean }
  | {
      readonly type: 's3';
      readonly allowEmpty?: boolean;
      readonly bucket: string;
      readonly prefix: string;
      readonly accounts?: readonly string[];
      readonly regions?: readonly string[];
      readonly organizationId?: string;
      readonly endpoint?: string;
      readonly forcePathStyle?: boolean;
    };

export type SinkSpec =
  { readonly type: 'file'; readonly path: string } | { readonly type: 'stdout' } | { readonly type: 'securityhub'; readonly region?: string };

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
  /** ISO date; after it the suppression stops applying and the run warns. */
  readonly expires: string;
  readonly conditions?: unknown;
}

/** The validated, defaulted configuration. Paths are absolute (resolved against the config file's folder). */
export interface Config {
  /** The file it was read from; undefined when no config file was found and defaults apply. */
  readonly file?: string;
  readonly rules: {
    /** Load the built-in Lookout for Vision pack. */
    readonly builtIn: boolean;
    /** Custom rule files or folders. */
    readonly paths: readonly string[];
    /** Rule ids not to run. */
    readonly disable: readonly string[];
  };
  /** Values for rule parameters, by name (`mfaRequiredActions`, `allowedSourceCidrs`, ...). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Named lists (`lists:`), read by name from rules and params (`{list: NAME}`); no prototype, so any name is only a key. */
  readonly lists: Readonly<Record<string, readonly unknown[]>>;
  readonly sources: readonly SourceSpec[];
  /**
   * Runs are scheduled runs (as with `lfvaudit run --scheduled`): each continues from the window the
   * state file records for its sources, under the run lock, and records its window once complete.
   */
  readonly scheduled: boolean;
  readonly sinks: readonly SinkSpec[];
  /** Exit 1 when a finding at or above this severity was produced. */
  readonly failOn?: SeverityLabel;
  /** Account and region of the Security Hub that receives findings (ProductArn); defaults from STS / the SDK. */
  /** The receiving Security Hub; `assumeRole` (with `{accountId}`) imports other accounts' findings into their own. */
  readonly securityHub: {
    readonly accountId?: string;
    readonly region?: string;
    readonly assumeRole?: string;
    /** Seconds between an import and reading it back to check that concurrent importers left its evidence. */
    readonly settleSeconds: number;
  };
  readonly state: {
    readonly path: string;
    /** Minutes between an API call and its delivery that the automatic window leaves out. */
    readonly deliveryLagMinutes: number;
    readonly overlapMinutes: number;
    readonly lookbackHours: number;
    /** A run lock held from another host is taken over after this long without its heartbeat. */
    readonly lockStaleMinutes: number;
  };
  readonly suppressions: readonly Suppression[];
}
