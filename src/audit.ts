import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AuditSummary } from './audit-summary.js';
import type { RuleEvaluator } from './evaluate/rule-evaluator.js';
import type { Suppressions } from './evaluate/suppressions.js';
import { FindingGroupBuilder } from './evaluate/finding-group.js';
import { buildFinding, severityLabelOf, sortFindings } from './findings/asff-finding.js';
import { eventTimeOf } from './records/event-time.js';
import { identityDigest, recordIdentity } from './records/record-identity.js';
import { SeenIdentities } from './records/seen-identities.js';
import { SEVERITY_LABELS, type ResolvedRule, type SeverityLabel } from './ruleset/rule.js';
import type { FindingSink } from './sinks/finding-sink.js';
import type { EventSource, TimeWindow } from './sources/event-source.js';

export interface AuditProgress {
  readonly inputsRead: number;
  readonly recordsRead: number;
  readonly matches: number;
  readonly currentInput: string;
}

export interface AuditOptions {
  readonly sources: readonly EventSource[];
  /** Every loaded rule, active or not: inactive ones are reported in the summary. */
  readonly rules: readonly ResolvedRule[];
  readonly evaluator: RuleEvaluator;
  readonly sinks: readonly FindingSink[];
  readonly window?: TimeWindow;
  /** Account and region of the receiving Security Hub (ProductArn); default: each finding's own. */
  readonly product?: { readonly accountId?: string; readonly region?: string };
  readonly now: () => Date;
  /** True when the sources read only part of the window's data (`--shard I/N`): no hour counts as complete. */
  readonly partial?: boolean;
  /** Matches these silence are counted per suppression in the summary, never dropped unseen. */
  readonly suppressions?: Pick<Suppressions, 'isSuppressed'>;
  readonly onProgress?: (progress: AuditProgress) => void;
  readonly signal?: AbortSignal;
}

export interface AuditResult {
  readonly findings: readonly AwsSecurityFinding[];
  readonly summary: AuditSummary;
  /** False when an input could not be read or a sink failed: the run must exit 2 and not mark its window done. */
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
  // Records are deduped run-wide below, so groups need not remember identities (distinctRecords).
  const groups = new FindingGroupBuilder({ distinctRecords: true });
  const seen = new SeenIdentities();
  const evaluateSync = options.evaluator.matchingRulesSync?.bind(options.evaluator);
  const windowStart = options.window?.start.getTime();
  const windowEnd = options.window?.end.getTime();

  let inputsRead = 0;
  let recordsRead = 0;
  let duplicateRecords = 0;
  let outsideWindow = 0;
  let undatedRecords = 0;
  let recordsEvaluated = 0;
  let matches = 0;
  const inputsSkipped: { origin: string; reason: string }[] = [];
  const unreadable: { origin: string; line?: number; reason: string }[] = [];
  const suppressed = new Map<string, { rule: string; reason: string; expires: string; count: number }>();
  const notices: { origin: string; message: string }[] = [];

  for (const source of options.sources) {
    for await (const item of source.read(options.window, options.signal)) {
      if (item.kind === 'skipped') {
        inputsSkipped.push({ origin: item.origin, reason: item.reason });
        continue;
      }
      if (item.kind === 'notice') {
        notices.push({ origin: item.origin, message: item.message });
        continue;
      }
      if (item.kind === 'unreadable') {
        unreadable.push(item.line === undefined ? { origin: item.origin, reason: item.reason } : { origin: item.origin, line: item.line, reason: item.reason });
        continue;
      }
      inputsRead += 1;
      for (const record of item.records) {
        recordsRead += 1;
        const identity = recordIdentity(record);
        // One SHA-256 per record: the dedupe key and the event's coverage hash both come from it.
        const digest = identityDigest(identity);
        if (!seen.addIfNew(digest)) {
          duplicateRecords += 1;
          continue;
        }
        if (windowStart !== undefined && windowEnd !== undefined) {
          const time = eventTimeOf(record);
          if (time === undefined) {
            // Without a time the record cannot be placed in the window: counted, never guessed.
            undatedRecords += 1;
            continue;
          }
          if (time < windowStart || time >= windowEnd) {
            outsideWindow += 1;
            continue;
          }
        }
        recordsEvaluated += 1;
        // Synchronous when the evaluator can: a promise per record costs more than evaluating it.
        const matching = evaluateSync === undefined ? await options.evaluator.matchingRules(record) : evaluateSync(record);
        for (const rule of matching) {
          const suppression = options.suppressions?.isSuppressed(rule, record);
          if (suppression !== undefined) {
            const key = `${suppression.index}`;
            const entry = suppressed.get(key) ?? { rule: rule.id, reason: suppression.reason, expires: suppression.expires, count: 0 };
            suppressed.set(key, { ...entry, count: entry.count + 1 });
            continue;
          }
          matches += 1;
          groups.add(rule, record, { identity, digest });
        }
      }
      options.onProgress?.({ inputsRead, recordsRead, matches, currentInput: item.origin });
    }
  }

  const now = options.now();
  // Which hours this run saw whole: the Security Hub merge counts those, and keeps event hashes for the rest.
  const coverage = { ...(options.window === undefined ? {} : { window: options.window }), complete: options.partial !== true && unreadable.length === 0 };
  const findings = sortFindings(
    groups.groups().map((group) => {
      const rule = rulesById.get(group.ruleId);
      if (rule === undefined) throw new Error(`bug: group for unknown rule ${group.ruleId}`);
      return buildFinding(group, rule, { productAccountId: options.product?.accountId, productRegion: options.product?.region, now, coverage });
    }),
  );

  const findingsBySeverity: Record<string, number> = {};
  for (const finding of findings) {
    const label = severityLabelOf(finding) ?? 'INFORMATIONAL';
    findingsBySeverity[label] = (findingsBySeverity[label] ?? 0) + 1;
  }

  const summaryWithoutDuration = {
    ...(options.window ? { window: { start: options.window.start.toISOString(), end: options.window.end.toISOString() } } : {}),
    sources: options.sources.map((source) => source.description),
    inputsRead,
    inputsSkipped,
    unreadable,
    notices,
    recordsRead,
    duplicateRecords,
    outsideWindow,
    undatedRecords,
    recordsEvaluated,
    rulesActive: activeRules.length,
    rulesInactive: options.rules.filter((rule) => !rule.active).map((rule) => ({ id: rule.id, reason: rule.inactiveReason ?? 'inactive' })),
    matches,
    suppressed: [...suppressed.values()],
    findings: findings.length,
    findingsBySeverity,
  };

  const sinkFailures: { sink: string; reason: string }[] = [];
  const sinkOutcomes: { sink: string; created: number; updated: number; unchanged: number }[] = [];
  for (const sink of options.sinks) {
    try {
      const outcome = await sink.write(findings, { ...summaryWithoutDuration, durationMs: options.now().getTime() - started.getTime() });
      if (outcome) sinkOutcomes.push({ sink: sink.description, ...outcome });
    } catch (error) {
      sinkFailures.push({ sink: sink.description, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    findings,
    summary: { ...summaryWithoutDuration, sinkOutcomes, durationMs: options.now().getTime() - started.getTime() },
    complete: unreadable.length === 0 && sinkFailures.length === 0,
    sinkFailures,
  };
}

/** Whether any finding is at or above the `--fail-on` threshold. */
export function hasFindingAtOrAbove(findings: readonly AwsSecurityFinding[], threshold: SeverityLabel): boolean {
  return findings.some((finding) => {
    const rank = (SEVERITY_LABELS as readonly (string | undefined)[]).indexOf(severityLabelOf(finding));
    return rank >= SEVERITY_LABELS.indexOf(threshold);
  });
}
