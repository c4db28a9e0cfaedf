import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AuditSummary } from '../sinks/audit-summary.js';
import type { RuleEvaluator } from '../evaluate/rule-evaluator.js';
import { RecordEvaluation } from './record-evaluation.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { BuildFindingOptions } from '../findings/asff-finding.js';
import { findingListOf, type FindingList } from '../findings/finding-list.js';
import { GROUP_LIMITS } from '../grouping/finding-group.js';
import { ContentFingerprints } from '../records/content-fingerprint.js';
import { contentIdentity, identityDigest, isContentIdentity, recordIdentity } from '../records/record-identity.js';
import { SeenIdentities } from '../records/seen-identities.js';
import { takeEachRecord } from '../records/take-each-record.js';
import { SEVERITY_LABELS, type ResolvedRule, type SeverityLabel } from '../ruleset/rule.js';
import type { FindingSink, SinkOutcome } from '../sinks/finding-sink.js';
import type { EventSource, SourceItem, TimeWindow } from '../sources/event-source.js';
import { shardText, type Shard } from '../sources/s3/shard.js';
import type { S3TrailCoverage } from '../sources/s3/trail-coverage.js';

export interface AuditProgress {
  /** `reading` while records come in; `writing` once, when every input is read and the sinks start. */
  readonly phase: 'reading' | 'writing';
  readonly inputsRead: number;
  readonly recordsRead: number;
  readonly matches: number;
  readonly currentInput: string;
}

export interface AuditOptions {
  readonly sources: readonly EventSource[];
  /**
   * Sources that may yield no record (config `allowEmpty`, e.g. LookupEvents after Lookout for Vision's
   * end of support): reading nothing from them is a notice. Any other source that yields no CloudTrail
   * record makes the run incomplete: an empty folder or a filter that matches nothing is not an all-clear.
   */
  readonly allowEmpty?: ReadonlySet<EventSource>;
  /** Every loaded rule, active or not: inactive ones are reported in the summary. */
  readonly rules: readonly ResolvedRule[];
  readonly evaluator: RuleEvaluator;
  readonly sinks: readonly FindingSink[];
  readonly window?: TimeWindow;
  /** Account and region of the receiving Security Hub (ProductArn); default: each finding's own. */
  readonly product?: { readonly accountId?: string; readonly region?: string };
  readonly now: () => Date;
  /** Matches these silence are counted per suppression in the summary, never dropped unseen. */
  readonly suppressions?: Pick<Suppressions, 'isSuppressed'>;
  readonly onProgress?: (progress: AuditProgress) => void;
  /** How many matching events threshold rules may hold in all; default GROUP_LIMITS.thresholdEvents. Past it the run is incomplete. */
  readonly thresholdEventLimit?: number;
  /**
   * The shard the sources read, when they read one (`--shard`): a threshold group whose account and
   * region the shard does not own may have events in another shard, so its rule is not decided here
   * (split by object, no shard owns any).
   */
  readonly shard?: Shard;
  readonly signal?: AbortSignal;
}

export interface AuditResult {
  /** Built as they are iterated, afresh each time: the sinks have had them once already. */
  readonly findings: FindingList;
  readonly summary: AuditSummary;
  /** False when an input could not be read, a source yielded no record, a threshold could not be decided, or a sink failed: the run must exit 2 and not mark its window done. */
  readonly complete: boolean;
  readonly sinkFailures: readonly { readonly sink: string; readonly reason: string }[];
}

/**
 * Composes the pipeline: sources → records (dedupe, window) → evaluate → group → ASFF → sinks.
 * The one place that wires stages together; each stage stays ignorant of the others.
 */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const started = options.now();
  const activeRules = options.rules.filter((rule) => rule.active);
  const rulesById = new Map(options.rules.map((rule) => [rule.id, rule]));
  // Run-wide dedupe on the identity's digest and the content's fingerprint (records/seen-identities.ts):
  // kept in one place, in read order.
  const seen = new SeenIdentities();
  const fingerprints = new ContentFingerprints();

  let inputsRead = 0;
  let recordsRead = 0;
  let duplicateRecords = 0;
  const integrityConflicts: { origin: string; eventId: string }[] = [];
  const inputsSkipped: { origin: string; reason: string }[] = [];
  const unreadable: { origin: string; line?: number; reason: string }[] = [];
  const notices: { origin: string; message: string }[] = [];
  const sourceCoverage: S3TrailCoverage[] = [];
  const emptySources: string[] = [];
  /** Items other than records, as every source and worker reports them. */
  const noteItem = (item: Exclude<SourceItem, { kind: 'records' }>): void => {
    if (item.kind === 'skipped') inputsSkipped.push({ origin: item.origin, reason: item.reason });
    else if (item.kind === 'notice') notices.push({ origin: item.origin, message: item.message });
    else if (item.kind === 'coverage') sourceCoverage.push(item.coverage);
    else
      unreadable.push(item.line === undefined ? { origin: item.origin, reason: item.reason } : { origin: item.origin, line: item.line, reason: item.reason });
  };

  const buildOptions = (): BuildFindingOptions => ({
    ...(options.product?.accountId === undefined ? {} : { productAccountId: options.product.accountId }),
    ...(options.product?.region === undefined ? {} : { productRegion: options.product.region }),
    now: options.now(),
  });

  const evaluation = new RecordEvaluation(options);
  for (const source of options.sources) {
    let sourceRecords = 0;
    let sourceNotices = 0;
    let sourceShareEmpty: string | undefined;
    for await (const item of source.read(options.window, options.signal)) {
      if (item.kind !== 'records') {
        if (item.kind === 'notice') sourceNotices += 1;
        if (item.kind === 'coverage') sourceShareEmpty = emptyShardMessage(item.coverage);
        noteItem(item);
        continue;
      }
      inputsRead += 1;
      for (const record of takeEachRecord(item.records)) {
        recordsRead += 1;
        sourceRecords += 1;
        let identity = recordIdentity(record);
        // One SHA-256 per record: the dedupe key and the event's coverage hash both come from it.
        let digest = identityDigest(identity);
        // An identity made from the content needs no fingerprint: other content is another identity.
        const sighting = seen.add(digest, isContentIdentity(identity) ? 0 : fingerprints.of(record));
        if (sighting === 'redelivery') {
          duplicateRecords += 1;
          continue;
        }
        if (sighting === 'conflict') {
          // Not a duplicate: a record reusing another's eventID with other content (a forgery, or a
          // tampered copy). It is evaluated under an identity of its own content, so its evidence (the
          // coverage hash) never stands in for the other record's, and its own redeliveries count once.
          const eventId = identity;
          identity = contentIdentity(record);
          digest = identityDigest(identity);
          if (seen.add(digest, 0) === 'redelivery') {
            duplicateRecords += 1;
            continue;
          }
          integrityConflicts.push({ origin: item.origin, eventId });
        }
        const pending = evaluation.evaluate(record, { identity, digest });
        if (pending !== undefined) await pending;
      }
      options.onProgress?.({ phase: 'reading', inputsRead, recordsRead, matches: evaluation.counts.matches, currentInput: item.origin });
    }
    if (sourceRecords > 0) continue;
    if (sourceShareEmpty !== undefined) notices.push({ origin: source.description, message: sourceShareEmpty });
    else if (options.allowEmpty?.has(source) !== true) emptySources.push(source.description);
    else if (sourceNotices === 0)
      notices.push({
        origin: source.description,
        message: 'no CloudTrail records; the config allows this source to be empty (allowEmpty), so this is not an error, and not a clean audit either',
      });
  }
  // Every record has been read: building and writing the findings would otherwise keep the dedupe tables alive.
  seen.clear();
  const { outsideWindow, undatedRecords, recordsEvaluated, matches } = evaluation.counts;

  // Groups are settled here: a threshold's verdict needs every matching event, in whatever order they came.
  const groups = evaluation.groups.lazyGroups();
  const thresholdsIncomplete: { rule: string; reason: string }[] = [];
  for (const shortfall of evaluation.groups.thresholdShortfalls()) {
    if (shortfall.notHeld > 0) {
      thresholdsIncomplete.push({
        rule: shortfall.ruleId,
        reason:
          `${shortfall.notHeld} matching event${shortfall.notHeld === 1 ? ' was' : 's were'} not weighed: threshold rules hold at most ${options.thresholdEventLimit ?? GROUP_LIMITS.thresholdEvents} ` +
          'matching events a run, so spans may have been missed; audit shorter windows (--since/--until) so that each holds fewer',
      });
    }
    if (shortfall.elsewhere > 0 && options.shard !== undefined) {
      thresholdsIncomplete.push({
        rule: shortfall.ruleId,
        reason:
          `${shortfall.elsewhere} matching event${shortfall.elsewhere === 1 ? ' belongs' : 's belong'} to groups whose account and region (e.g. ${shortfall.elsewhereExample ?? '-'}) ` +
          `${shardText(options.shard)} does not read whole, so other events of ${shortfall.elsewhere === 1 ? 'its group' : 'their groups'} may be in other shards` +
          (options.shard.by === 'object'
            ? ': split the shards by account and region (--shard-by account-region)'
            : ': the records lie in another account’s or region’s folder, or carry no account or region; audit the rule in an unsharded run'),
      });
    }
    if (shortfall.undated > 0) {
      notices.push({
        origin: `rule ${shortfall.ruleId}`,
        message: `${shortfall.undated} matching event${shortfall.undated === 1 ? ' has' : 's have'} no readable eventTime: no threshold span can hold ${shortfall.undated === 1 ? 'it' : 'them'}, so ${shortfall.undated === 1 ? 'it is' : 'they are'} not evidence`,
      });
    }
  }

  // Built one at a time as the sinks take them: a large run's built findings weigh more than its groups.
  const findings = findingListOf(groups, rulesById, buildOptions());

  // A record with no 12-digit recipientAccountId or userIdentity.accountId cannot say whose finding it
  // is; without a receiving account (securityHub.accountId) its finding is not importable ASFF.
  const unattributed = findings.unattributed;
  if (unattributed > 0) {
    notices.push({
      origin: 'findings',
      message:
        `${unattributed} finding${unattributed === 1 ? ' has' : 's have'} no AWS account: ${unattributed === 1 ? 'its' : 'their'} records carry no 12-digit ` +
        'recipientAccountId or userIdentity.accountId; set securityHub.accountId in the config to attribute them, or Security Hub refuses them',
    });
  }

  const summaryWithoutDuration = {
    ...(options.window ? { window: { start: options.window.start.toISOString(), end: options.window.end.toISOString() } } : {}),
    sources: options.sources.map((source) => source.description),
    inputsRead,
    inputsSkipped,
    unreadable,
    notices,
    ...(emptySources.length === 0 ? {} : { emptySources }),
    ...(thresholdsIncomplete.length === 0 ? {} : { thresholdsIncomplete }),
    ...(sourceCoverage.length === 0 ? {} : { coverage: sourceCoverage }),
    recordsRead,
    duplicateRecords,
    integrityConflicts,
    outsideWindow,
    undatedRecords,
    recordsEvaluated,
    rulesActive: activeRules.length,
    rulesInactive: options.rules.filter((rule) => !rule.active).map((rule) => ({ id: rule.id, reason: rule.inactiveReason ?? 'inactive' })),
    matches,
    suppressed: evaluation.suppressed().map(({ index: _index, ...entry }) => entry),
    findings: findings.count,
    findingsBySeverity: { ...findings.bySeverity },
    sinks: options.sinks.map((sink) => sink.description),
  };

  options.onProgress?.({ phase: 'writing', inputsRead, recordsRead, matches, currentInput: '' });
  const sinkFailures: { sink: string; reason: string }[] = [];
  const sinkOutcomes: (SinkOutcome & { sink: string })[] = [];
  // One sink takes the findings as they are built; several share one built array rather than each
  // building them all again (the Security Hub sink holds them whole anyway, to merge with what it stores).
  const handedOver: Iterable<AwsSecurityFinding> = options.sinks.length > 1 ? [...findings] : findings;
  for (const sink of options.sinks) {
    // A stopped run writes no further sink: what it read is not the whole window.
    options.signal?.throwIfAborted();
    try {
      const summary = { ...summaryWithoutDuration, durationMs: options.now().getTime() - started.getTime() };
      const outcome = await sink.write(handedOver, summary);
      if (outcome) sinkOutcomes.push({ sink: sink.description, ...outcome });
    } catch (error) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      sinkFailures.push({ sink: sink.description, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  options.signal?.throwIfAborted();
  return {
    findings,
    summary: { ...summaryWithoutDuration, sinkOutcomes, durationMs: options.now().getTime() - started.getTime() },
    complete: unreadable.length === 0 && emptySources.length === 0 && thresholdsIncomplete.length === 0 && sinkFailures.length === 0,
    sinkFailures,
  };
}

/**
 * When a shard read nothing because the split gave it none of the window's log objects, though other
 * shards have some: what to say, since that is its whole share, not an empty input. Undefined otherwise
 * (no shard, no object in the whole window, or objects of its own that held no record).
 */
function emptyShardMessage(coverage: S3TrailCoverage): string | undefined {
  if (coverage.shard === undefined) return undefined;
  const sum = (pick: (day: S3TrailCoverage['days'][number]) => number): number => coverage.days.reduce((total, day) => total + pick(day), 0);
  const inWindow = sum((day) => day.objectsInWindow);
  if (inWindow === 0 || sum((day) => day.objectsRead) > 0 || sum((day) => day.objectsUnreadable) > 0) return undefined;
  return `${shardText(coverage.shard)} holds none of the window's ${inWindow} log object${inWindow === 1 ? '' : 's'}: the other shards read them`;
}

/** Whether any finding is at or above the `--fail-on` threshold, from the counts per severity. */
export function hasFindingAtOrAbove(findingsBySeverity: Readonly<Record<string, number>>, threshold: SeverityLabel): boolean {
  return SEVERITY_LABELS.slice(SEVERITY_LABELS.indexOf(threshold)).some((label) => (findingsBySeverity[label] ?? 0) > 0);
}
