import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { compareStrings } from '../shared/bounded-collections.js';
import { canonicalJson } from '../records/record-identity.js';
import { severityLabelOf } from '../findings/asff-finding.js';
import { COVERAGE_FIELD_PREFIX } from '../findings/coverage-fields.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';

/** How one finding would change; `before` is absent for a finding Security Hub does not hold yet. */
export interface FindingChange {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Transition<string>;
  readonly eventCount: Transition<number>;
  /** LastObservedAt. */
  readonly lastSeen: Transition<string>;
  readonly recordState: Transition<string>;
  /** The provider fields whose content differs: `Title`, `LastObservedAt`, `lfvaudit/EventCount`, `lfvaudit/Coverage`… */
  readonly changedFields: readonly string[];
}

export interface Transition<T> {
  readonly before?: T;
  readonly after?: T;
}

/** What importing `merged` would do to what Security Hub holds. */
export interface FindingsDiff {
  readonly create: readonly FindingChange[];
  readonly update: readonly FindingChange[];
  readonly unchanged: readonly FindingChange[];
  /** Updates that do nothing but archive an active finding (`lfvaudit findings archive`). A run never archives. */
  readonly archive: readonly FindingChange[];
}

const TIME_FIELDS = new Set(['FirstObservedAt', 'LastObservedAt']);

/**
 * The difference between the findings Security Hub holds and those a run (or the archive command)
 * would import, by Id. Only what the provider owns is compared: not UpdatedAt, CreatedAt or ProcessedAt,
 * not the reviewer's Workflow and Note, not the fields Security Hub fills in itself (Region,
 * ProductName, `aws/` ProductFields). Stored findings without a merged one are not part of the diff.
 */
export function diffFindings(stored: readonly AwsSecurityFinding[], merged: readonly AwsSecurityFinding[]): FindingsDiff {
  const storedById = new Map(stored.map((finding) => [finding.Id ?? '', finding]));
  const create: FindingChange[] = [];
  const update: FindingChange[] = [];
  const unchanged: FindingChange[] = [];
  const archive: FindingChange[] = [];
  for (const after of [...merged].sort((a, b) => compareStrings(a.Id ?? '', b.Id ?? ''))) {
    const before = storedById.get(after.Id ?? '');
    const change = changeOf(before, after);
    if (before === undefined) create.push(change);
    else if (change.changedFields.length === 0) unchanged.push(change);
    else if (change.changedFields.length === 1 && change.changedFields[0] === 'RecordState' && after.RecordState === 'ARCHIVED') archive.push(change);
    else update.push(change);
  }
  return { create, update, unchanged, archive };
}

function changeOf(before: AwsSecurityFinding | undefined, after: AwsSecurityFinding): FindingChange {
  const beforeView = before === undefined ? new Map<string, string>() : providerView(before);
  const afterView = providerView(after);
  const names = [...new Set([...beforeView.keys(), ...afterView.keys()])].sort(compareStrings);
  return {
    id: after.Id ?? '',
    ruleId: after.ProductFields?.[PRODUCT_FIELD.ruleId] ?? '',
    title: after.Title ?? '',
    severity: transition(before === undefined ? undefined : severityLabelOf(before), severityLabelOf(after)),
    eventCount: transition(before === undefined ? undefined : eventCountOf(before), eventCountOf(after)),
    lastSeen: transition(before?.LastObservedAt, after.LastObservedAt),
    recordState: transition(before?.RecordState ?? (before === undefined ? undefined : 'ACTIVE'), after.RecordState ?? 'ACTIVE'),
    changedFields: before === undefined ? [] : names.filter((name) => beforeView.get(name) !== afterView.get(name)),
  };
}

/** The provider-owned content of a finding, field by field, as comparable text. */
function providerView(finding: AwsSecurityFinding): Map<string, string> {
  const view = new Map<string, string>();
  const put = (name: string, value: unknown): void => {
    if (value !== undefined) view.set(name, TIME_FIELDS.has(name) && typeof value === 'string' ? normalizedTime(value) : canonicalJson(value));
  };
  put('GeneratorId', finding.GeneratorId);
  put('AwsAccountId', finding.AwsAccountId);
  put('Title', finding.Title);
  put('Description', finding.Description);
  put('FirstObservedAt', finding.FirstObservedAt);
  put('LastObservedAt', finding.LastObservedAt);
  put('Severity', finding.FindingProviderFields?.Severity?.Label ?? finding.Severity?.Label);
  put('Types', finding.FindingProviderFields?.Types ?? finding.Types);
  put('Remediation', finding.Remediation);
  put('Resources', finding.Resources);
  put('Action', finding.Action);
  put('Compliance', finding.Compliance?.Status);
  put('RecordState', finding.RecordState ?? 'ACTIVE');
  const coverage: string[] = [];
  for (const [key, value] of Object.entries(finding.ProductFields ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
    if (key.startsWith(COVERAGE_FIELD_PREFIX)) coverage.push(`${key}=${value}`);
    else if (key.startsWith('lfvaudit/')) put(key, value);
  }
  if (coverage.length > 0) put('lfvaudit/Coverage', coverage);
  return view;
}

function eventCountOf(finding: AwsSecurityFinding): number | undefined {
  const text = finding.ProductFields?.[PRODUCT_FIELD.eventCount];
  const count = text === undefined ? Number.NaN : Number(text);
  return Number.isSafeInteger(count) ? count : undefined;
}

function normalizedTime(text: string): string {
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time).toISOString() : text;
}

function transition<T>(before: T | undefined, after: T | undefined): Transition<T> {
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}
