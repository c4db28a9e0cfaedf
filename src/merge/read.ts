import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { compareStrings, type KeptValues } from '../shared/bounded-collections.js';
import { compareCallerResources, compareSampleEvents, GROUP_LIMITS, type FindingGroup } from '../grouping/finding-group.js';
import { canonicalGroupKey, MISSING_KEY_VALUE, type GroupKeyPart } from '../grouping/group-key.js';
import { redactSecrets } from '../records/secret-text.js';
import { coverageOfFields } from '../findings/coverage-fields.js';
import { keptJsonItems, sampleEventsOfFields } from '../findings/evidence-fields.js';
import { withCoverage } from './group.js';
import { sortedDistinct } from './kept.js';
import { ELLIPSIS } from '../shared/fit-text.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';
import type { CallerResource, CallerResourceType } from '../grouping/record-resources.js';
import type { ThresholdPeak } from '../grouping/threshold-spans.js';

/**
 * The group a finding of lfvaudit describes, read back from the finding: what a stored finding in
 * Security Hub (or one a run just built) knows, in the shape buildFinding renders from. Undefined for a
 * finding lfvaudit did not write (no `lfvaudit/RuleId`).
 *
 * Findings read from Security Hub are untrusted input: every field is read as own properties of the
 * right type, lists are made sorted and distinct, and what cannot be read is taken as unknown (a list
 * with "more"), so merging never invents a value. Counts come from the event coverage alone.
 * Event text read back is redacted again (src/records/secret-text.ts): a finding stored before a
 * pattern existed must not carry a secret into the finding merged with it. The group key stays as
 * stored: it is what the finding's Id was made from.
 */
export function findingGroupOf(finding: AwsSecurityFinding): FindingGroup | undefined {
  const fields = ownStrings(finding.ProductFields);
  const ruleId = fields.get(PRODUCT_FIELD.ruleId);
  if (ruleId === undefined) return undefined;
  const { account, region } = accountAndRegionOf(finding, ruleId);
  const parts = groupKeyPartsOf(fields.get(PRODUCT_FIELD.groupKey));
  const key = { ruleId, account, region, parts };
  const principals = bounded(redacted(jsonList(fields.get(PRODUCT_FIELD.principals))), GROUP_LIMITS.distinctValues, compareStrings);
  const { targets, callers } = resourcesOf(finding, principals.values);
  const sampleEvents = bounded(redactedIds(sampleEventsOfFields(Object.fromEntries(fields))), GROUP_LIMITS.sampleEventIds, compareSampleEvents);
  const first = timeOf(finding.FirstObservedAt);
  const last = timeOf(finding.LastObservedAt);
  const service = stringOrUndefined(finding.Action?.AwsApiCallAction?.ServiceName);
  const serviceShown = service === undefined ? undefined : redactSecrets(service);
  const threshold = thresholdPeakOf(fields.get(PRODUCT_FIELD.thresholdCount), fields.get(PRODUCT_FIELD.thresholdSpan));
  return withCoverage(
    {
      ...key,
      ...(threshold === undefined ? {} : { threshold }),
      canonicalKey: canonicalGroupKey(key),
      ...(first === undefined ? {} : { firstEventTime: first }),
      ...(last === undefined ? {} : { lastEventTime: last }),
      // The finding names only the first event source (AwsApiCallAction.ServiceName): the rest are unknown.
      eventSources: serviceShown === undefined ? { values: [], more: false } : { values: [serviceShown], more: true },
      principals,
      callers: bounded(redactedIds(callers), GROUP_LIMITS.resources, compareCallerResources),
      projects: bounded(redacted(commaList(fields.get(PRODUCT_FIELD.projects))), GROUP_LIMITS.distinctValues, compareStrings),
      sourceAddresses: bounded(redacted(commaList(fields.get(PRODUCT_FIELD.sourceIps))), GROUP_LIMITS.distinctValues, compareStrings),
      userAgents: bounded(redacted(jsonList(fields.get(PRODUCT_FIELD.userAgents))), GROUP_LIMITS.distinctValues, compareStrings),
      resources: bounded(redacted(targets), GROUP_LIMITS.resources, compareStrings),
      sampleEvents,
      sampleEventIds: sampleEvents.values.map((event) => event.id),
    },
    coverageOfFields(Object.fromEntries(fields)),
  );
}

/** A JSON list of strings as lfvaudit writes it (`["a","b","…"]`); unreadable text is an unknown list. */
export function jsonList(text: string | undefined): KeptValues<string> {
  const kept = keptJsonItems(text);
  return kept.values.every((item): item is string => typeof item === 'string') ? (kept as KeptValues<string>) : { values: [], more: true };
}

function commaList(text: string | undefined): KeptValues<string> {
  if (text === undefined) return { values: [], more: false };
  const items = text.split(',').filter((item) => item !== '');
  return items.at(-1) === ELLIPSIS ? { values: items.slice(0, -1), more: true } : { values: items, more: false };
}

function redacted(kept: KeptValues<string>): KeptValues<string> {
  return { values: kept.values.map(redactSecrets), more: kept.more };
}

function redactedIds<T extends { readonly id: string }>(kept: KeptValues<T>): KeptValues<T> {
  return { values: kept.values.map((item) => ({ ...item, id: redactSecrets(item.id) })), more: kept.more };
}

/** Sorted, distinct and at most `capacity`, as the group builder keeps lists. */
function bounded<T>(kept: KeptValues<T>, capacity: number, compare: (a: T, b: T) => number): KeptValues<T> {
  const values = sortedDistinct(kept.values, compare);
  return { values: values.slice(0, capacity), more: kept.more || values.length > capacity };
}

/**
 * The Id is `lfvaudit/<rule>/<account>/<region>/<hash>` (src/findings/finding-id.ts), with `-` where the
 * events did not say; that is the group's own account and region, whereas AwsAccountId and Region may
 * have been filled in from the receiving Security Hub. The rare hash-only Id falls back to those.
 */
function accountAndRegionOf(finding: AwsSecurityFinding, ruleId: string): { account: string; region: string } {
  const id = stringOrUndefined(finding.Id) ?? '';
  const prefix = `lfvaudit/${ruleId}/`;
  if (id.startsWith(prefix)) {
    const parts = id.slice(prefix.length).split('/');
    const [account, region, hash] = parts;
    if (parts.length === 3 && account !== undefined && region !== undefined && hash !== undefined && /^[0-9a-f]{32}$/.test(hash)) return { account, region };
  }
  return { account: stringOrUndefined(finding.AwsAccountId) ?? MISSING_KEY_VALUE, region: stringOrUndefined(finding.Region) ?? MISSING_KEY_VALUE };
}

/** `{"principal":"…","project":"P1"}` in ProductFields; JSON.parse makes `__proto__` an own key, and only own keys are read. */
function groupKeyPartsOf(text: string | undefined): GroupKeyPart[] {
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
    return Object.entries(parsed).flatMap(([name, value]) => (typeof value === 'string' ? [{ name, value }] : []));
  } catch {
    return [];
  }
}

const CALLER_TYPES: ReadonlySet<string> = new Set<CallerResourceType>(['AwsIamRole', 'AwsIamUser']);

/**
 * Resources list the Lookout for Vision ARNs a group acted on (type `Other`), then its callers
 * (src/findings/finding-resources.ts). IAM roles and users are callers; an `Other` resource is a caller
 * when it is not an ARN (a service host, `Type:principalId`) or is one of the finding's principals
 * (a root or federated user), and a target otherwise. The stand-in `AwsAccount` / `unknown` resource
 * of a group with neither is dropped. When all 32 slots are used, either list may have been cut.
 */
function resourcesOf(finding: AwsSecurityFinding, principals: readonly string[]): { targets: KeptValues<string>; callers: KeptValues<CallerResource> } {
  const resources = Array.isArray(finding.Resources) ? finding.Resources : [];
  const targets: string[] = [];
  const callers: CallerResource[] = [];
  for (const resource of resources) {
    const type = stringOrUndefined(resource?.Type);
    const id = stringOrUndefined(resource?.Id);
    if (type === undefined || id === undefined) continue;
    if (CALLER_TYPES.has(type)) callers.push({ type: type as CallerResourceType, id });
    else if (type === 'Other' && id !== 'unknown') {
      if (!id.startsWith('arn:') || principals.includes(id)) callers.push({ type: 'Other', id });
      else targets.push(id);
    }
  }
  const full = resources.length >= GROUP_LIMITS.resources;
  return { targets: { values: targets, more: full }, callers: { values: callers, more: full } };
}

/** `lfvaudit/ThresholdCount` and `lfvaudit/ThresholdSpan` (`start/end`, ISO times); anything else reads as no span. */
function thresholdPeakOf(countText: string | undefined, spanText: string | undefined): ThresholdPeak | undefined {
  if (countText === undefined || spanText === undefined || !/^[1-9][0-9]{0,15}$/.test(countText)) return undefined;
  const [startText, endText, ...rest] = spanText.split('/');
  const start = timeOf(startText);
  const end = timeOf(endText);
  if (rest.length > 0 || start === undefined || end === undefined || end < start) return undefined;
  return { count: Number(countText), start, end };
}

function ownStrings(fields: Record<string, string> | undefined): Map<string, string> {
  const strings = new Map<string, string>();
  if (typeof fields !== 'object' || fields === null) return strings;
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') strings.set(key, value);
  return strings;
}

function timeOf(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const time = Date.parse(text);
  return Number.isFinite(time) ? time : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
