import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { FindingGroup } from '../grouping/finding-group.js';
import { compareStrings } from '../shared/bounded-collections.js';
import { MISSING_KEY_VALUE } from '../grouping/group-key.js';
import { SEVERITY_LABELS, type ResolvedRule } from '../ruleset/rule.js';
import { apiCallActionOf } from './api-call-action.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { findingIdOf, generatorIdOf } from './finding-id.js';
import { mergeFieldsOf } from './evidence-fields.js';
import { asffResourcesOf } from './finding-resources.js';
import { findingDescription, findingTitle } from './finding-text.js';
import { singleLine, truncateText } from '../shared/fit-text.js';
import { PRODUCT_FIELD, productFieldsOf } from './product-fields.js';
import { sigmaFieldsOf } from './sigma-fields.js';
import { thresholdRuleText } from './threshold-text.js';
import { partitionOf } from '../grouping/record-resources.js';

/** What a finding needs from its rule. */
export type FindingRule = Pick<ResolvedRule, 'id' | 'title' | 'description' | 'severity' | 'types' | 'remediation' | 'threshold' | 'sigma'>;

export interface BuildFindingOptions {
  /** Account of the Security Hub that receives the finding (ProductArn); default: the group's account. */
  readonly productAccountId?: string;
  /** Region of that Security Hub; default: the group's region. */
  readonly productRegion?: string;
  /** CreatedAt and UpdatedAt. Security Hub ignores an update whose UpdatedAt is not later than the stored one. */
  readonly now: Date;
}

/**
 * The ASFF finding for one group of matches. Pure: the same group, rule and options give the same finding.
 * `id`: the group's {@link findingIdOf}, when the caller has worked it out already (a finding list, to sort).
 */
export function buildFinding(
  group: FindingGroup,
  rule: FindingRule,
  options: BuildFindingOptions,
  id: string = findingIdOf(group, group.canonicalKey),
): AwsSecurityFinding {
  const account = knownOr(group.account, options.productAccountId);
  const region = knownOr(group.region, options.productRegion);
  const productAccount = options.productAccountId ?? account;
  const productRegion = options.productRegion ?? region;
  const now = options.now.toISOString();
  const types = [...rule.types];
  const remediationText = truncateText(singleLine(rule.remediation.text), ASFF_LIMITS.recommendationTextLength);
  const productFields = {
    ...productFieldsOf(group),
    ...(rule.threshold === undefined ? {} : { [PRODUCT_FIELD.threshold]: thresholdRuleText(rule.threshold) }),
    ...sigmaFieldsOf(rule.sigma),
  };

  return {
    SchemaVersion: ASFF_LIMITS.schemaVersion,
    Id: id,
    ProductArn: `arn:${partitionOf(productRegion)}:securityhub:${productRegion}:${productAccount}:product/${productAccount}/default`,
    GeneratorId: generatorIdOf(rule.id),
    AwsAccountId: account,
    ...(region === MISSING_KEY_VALUE ? {} : { Region: region }),
    Types: types,
    CreatedAt: now,
    UpdatedAt: now,
    ...(group.firstEventTime === undefined ? {} : { FirstObservedAt: new Date(group.firstEventTime).toISOString() }),
    ...(group.lastEventTime === undefined ? {} : { LastObservedAt: new Date(group.lastEventTime).toISOString() }),
    // Security Hub expects providers to set severity and types in FindingProviderFields; the top-level
    // copies are for readers of the JSON file who never import it.
    Severity: { Label: rule.severity },
    FindingProviderFields: { Severity: { Label: rule.severity, Original: rule.severity }, Types: [...types] },
    Title: findingTitle(group, rule),
    Description: findingDescription(group, rule),
    Remediation: { Recommendation: { Text: remediationText, ...(rule.remediation.url === undefined ? {} : { Url: rule.remediation.url }) } },
    ProductFields: { ...productFields, ...mergeFieldsOf(group, Object.keys(productFields).length) },
    Resources: asffResourcesOf(group),
    Action: apiCallActionOf(group),
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
    Compliance: { Status: 'FAILED' },
  };
}

/** Most severe first, then by rule id, then by Id: the same findings always come out in the same order. */
export function sortFindings(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b) - severityRank(a) ||
      compareStrings(a.ProductFields?.[PRODUCT_FIELD.ruleId] ?? '', b.ProductFields?.[PRODUCT_FIELD.ruleId] ?? '') ||
      compareStrings(a.Id ?? '', b.Id ?? ''),
  );
}

/** The finding's severity label as its provider set it (FindingProviderFields first). */
export function severityLabelOf(finding: AwsSecurityFinding): string | undefined {
  return finding.FindingProviderFields?.Severity?.Label ?? finding.Severity?.Label;
}

function severityRank(finding: AwsSecurityFinding): number {
  return (SEVERITY_LABELS as readonly (string | undefined)[]).indexOf(severityLabelOf(finding));
}

/** The group's value, unless the events did not say; then the fallback (if any), else `-`. */
function knownOr(value: string, fallback: string | undefined): string {
  return value === MISSING_KEY_VALUE ? (fallback ?? MISSING_KEY_VALUE) : value;
}
