import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { FindingGroup } from '../grouping/finding-group.js';
import { buildFinding, type FindingRule } from '../findings/asff-finding.js';
import { diffFindings, type FindingsDiff } from './diff.js';
import { mergeFindingGroups } from './group.js';
import { findingGroupOf } from './read.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';

/** Where merged findings go and when they are made. */
export interface FindingMergeContext {
  /** The receiving Security Hub: ProductArn's account and region. */
  readonly productAccountId: string;
  readonly productRegion: string;
  /** UpdatedAt (and CreatedAt of new findings); an update is moved 1 ms past the stored UpdatedAt when the clocks tie. */
  readonly now: Date;
}

/** What a run would do to Security Hub: the findings to import (created or changed) and the difference. */
export interface FindingImportPlan {
  readonly toImport: readonly AwsSecurityFinding[];
  readonly diff: FindingsDiff;
  /** Every merged finding, imported or unchanged: what Security Hub holds for these Ids once `toImport` is imported. */
  readonly merged: readonly AwsSecurityFinding[];
}

/**
 * Fields that belong to the people who review findings. Security Hub keeps them whatever an import
 * says once a finding exists, and lfvaudit never sends them on an update: `Workflow` is NEW only on
 * creation.
 */
const REVIEWER_FIELDS = ['Workflow', 'Note', 'UserDefinedFields', 'VerificationState'] as const;

/**
 * The import plan for a run's findings against those Security Hub already holds with the same Ids.
 * Each run finding is read back into its group (findings of the run with the same Id are joined first),
 * joined with the stored finding's group, and rendered again with the rule: so re-running a window,
 * overlapping windows and shards all give the same findings and counts as one run over their union.
 * A finding whose content would not change is left alone (no import, so its UpdatedAt stays).
 * Stored findings no run finding matches are not touched: archiving is `lfvaudit findings archive`'s job.
 */
export function planFindingImport(options: {
  readonly fresh: readonly AwsSecurityFinding[];
  readonly stored: readonly AwsSecurityFinding[];
  readonly rules: ReadonlyMap<string, FindingRule>;
  readonly context: FindingMergeContext;
}): FindingImportPlan {
  const storedById = new Map(options.stored.flatMap((finding) => (typeof finding.Id === 'string' ? [[finding.Id, finding] as const] : [])));
  const merged = joinById(options.fresh).map(({ id, group, groupKeyField }) => {
    const rule = options.rules.get(group.ruleId);
    if (rule === undefined) throw new Error(`finding ${id}: rule ${group.ruleId} is not loaded, so the finding cannot be rendered`);
    return mergedFinding(storedById.get(id), { id, group, groupKeyField }, rule, options.context);
  });
  const diff = diffFindings(options.stored, merged);
  const changed = new Set([...diff.create, ...diff.update].map((change) => change.id));
  return { toImport: merged.filter((finding) => changed.has(finding.Id ?? '')), diff, merged };
}

/** One run finding joined with what Security Hub holds for its Id (undefined when nothing). */
export function mergeFinding(
  stored: AwsSecurityFinding | undefined,
  fresh: AwsSecurityFinding,
  rule: FindingRule,
  context: FindingMergeContext,
): AwsSecurityFinding {
  const [joined] = joinById([fresh]);
  if (joined === undefined) throw new Error('bug: a finding read back to nothing');
  return mergedFinding(stored, joined, rule, context);
}

interface FreshGroup {
  readonly id: string;
  readonly group: FindingGroup;
  /** The run's own GroupKey field: the stored one may have been cut to fit 2048 characters. */
  readonly groupKeyField: string | undefined;
}

function joinById(fresh: readonly AwsSecurityFinding[]): FreshGroup[] {
  const byId = new Map<string, FreshGroup>();
  for (const finding of fresh) {
    const group = findingGroupOf(finding);
    const id = finding.Id;
    if (group === undefined || typeof id !== 'string') throw new Error(`finding ${String(id)} was not written by lfvaudit (no ${PRODUCT_FIELD.ruleId})`);
    const earlier = byId.get(id);
    byId.set(id, {
      id,
      group: earlier === undefined ? group : mergeFindingGroups(earlier.group, group),
      groupKeyField: earlier?.groupKeyField ?? finding.ProductFields?.[PRODUCT_FIELD.groupKey],
    });
  }
  return [...byId.values()];
}

function mergedFinding(stored: AwsSecurityFinding | undefined, fresh: FreshGroup, rule: FindingRule, context: FindingMergeContext): AwsSecurityFinding {
  const storedGroup = stored === undefined ? undefined : findingGroupOf(stored);
  // Same Id, same group: the key comes from the run, whose GroupKey field was never cut short.
  const aligned =
    storedGroup === undefined
      ? undefined
      : {
          ...storedGroup,
          ruleId: fresh.group.ruleId,
          account: fresh.group.account,
          region: fresh.group.region,
          parts: fresh.group.parts,
          canonicalKey: fresh.group.canonicalKey,
        };
  const group = aligned === undefined ? fresh.group : mergeFindingGroups(aligned, fresh.group);
  const built = buildFinding(group, rule, { productAccountId: context.productAccountId, productRegion: context.productRegion, now: context.now });
  const finding: AwsSecurityFinding = {
    ...built,
    Id: fresh.id,
    ProductFields: { ...built.ProductFields, ...(fresh.groupKeyField === undefined ? {} : { [PRODUCT_FIELD.groupKey]: fresh.groupKeyField }) },
  };
  if (stored === undefined) return finding;

  for (const field of REVIEWER_FIELDS) delete finding[field];
  finding.CreatedAt = stored.CreatedAt ?? finding.CreatedAt;
  finding.UpdatedAt = laterThan(stored.UpdatedAt, context.now);
  // An archived finding stays archived unless the run brought events it did not have: a new observation reopens it.
  const newEvents = group.eventCount > (aligned?.eventCount ?? 0);
  if (stored.RecordState === 'ARCHIVED' && !newEvents) finding.RecordState = 'ARCHIVED';
  return finding;
}

/** `now`, or 1 ms after the stored UpdatedAt when that is not earlier: Security Hub ignores an update that is not strictly later. */
export function laterThan(storedUpdatedAt: string | undefined, now: Date): string {
  const stored = storedUpdatedAt === undefined ? Number.NaN : Date.parse(storedUpdatedAt);
  return new Date(Number.isFinite(stored) && stored >= now.getTime() ? stored + 1 : now.getTime()).toISOString();
}
