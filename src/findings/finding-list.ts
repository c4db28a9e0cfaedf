import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { compareStrings } from '../shared/bounded-collections.js';
import type { LazyFindingGroup } from '../grouping/finding-group.js';
import { MISSING_KEY_VALUE } from '../grouping/group-key.js';
import { SEVERITY_LABELS } from '../ruleset/rule.js';
import { buildFinding, type BuildFindingOptions, type FindingRule } from './asff-finding.js';
import { findingIdOf } from './finding-id.js';

/**
 * A run's findings in {@link sortFindings} order, built one at a time as they are iterated. A sink that
 * writes each finding as it comes never holds them all: for a large run the built findings (coverage
 * fields included) weigh several times the groups they come from. Every iteration builds them afresh
 * from the same groups, so iterating twice gives equal findings.
 */
export interface FindingList extends Iterable<AwsSecurityFinding> {
  readonly count: number;
  /** How many findings have each severity label. */
  readonly bySeverity: Readonly<Record<string, number>>;
  /** Findings whose AwsAccountId is `-`: their records named no account and none was configured. */
  readonly unattributed: number;
}

/** What {@link sortFindings} orders a finding by, known before it is built. */
export interface FindingOrderKey {
  /** Index of the severity label in SEVERITY_LABELS: higher is more severe. */
  readonly rank: number;
  readonly ruleId: string;
  readonly id: string;
}

/** The order sortFindings gives built findings: most severe first, then rule id, then Id. */
export function compareFindingOrder(a: FindingOrderKey, b: FindingOrderKey): number {
  return b.rank - a.rank || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.id, b.id);
}

/** The findings of `groups`, ordered as {@link sortFindings} orders them, known by their keys until iterated. */
export function findingListOf(groups: readonly LazyFindingGroup[], rules: ReadonlyMap<string, FindingRule>, options: BuildFindingOptions): FindingList {
  const ordered = groups
    .map((group) => {
      const rule = rules.get(group.key.ruleId);
      if (rule === undefined) throw new Error(`bug: group for unknown rule ${group.key.ruleId}`);
      return { group, rule, order: { rank: SEVERITY_LABELS.indexOf(rule.severity), ruleId: rule.id, id: findingIdOf(group.key, group.canonicalKey) } };
    })
    .sort((a, b) => compareFindingOrder(a.order, b.order));

  const bySeverity: Record<string, number> = {};
  let unattributed = 0;
  for (const { group, rule } of ordered) {
    bySeverity[rule.severity] = (bySeverity[rule.severity] ?? 0) + 1;
    // buildFinding's AwsAccountId: the group's account, else the receiving one, else `-`.
    if (group.key.account === MISSING_KEY_VALUE && options.productAccountId === undefined) unattributed += 1;
  }

  return {
    count: ordered.length,
    bySeverity,
    unattributed,
    *[Symbol.iterator]() {
      for (const { group, rule, order } of ordered) yield buildFinding(group.snapshot(), rule, options, order.id);
    },
  };
}
