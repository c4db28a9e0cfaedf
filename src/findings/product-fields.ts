import type { FindingGroup } from '../grouping/finding-group.js';
import type { KeptCounts, KeptValues } from '../shared/bounded-collections.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { ELLIPSIS, singleLine, truncateText } from '../shared/fit-text.js';
import { classifySourceAddress } from './source-address.js';

/** The ProductFields keys lfvaudit writes (`aws/` is reserved for AWS; ours all start with `lfvaudit/`). */
export const PRODUCT_FIELD = {
  ruleId: 'lfvaudit/RuleId',
  eventCount: 'lfvaudit/EventCount',
  eventCountIsLowerBound: 'lfvaudit/EventCountIsLowerBound',
  sampleEventIds: 'lfvaudit/SampleEventIds',
  eventNames: 'lfvaudit/EventNames',
  sourceIps: 'lfvaudit/SourceIPs',
  remoteIpV6: 'lfvaudit/RemoteIpV6',
  errorCodes: 'lfvaudit/ErrorCodes',
  groupKey: 'lfvaudit/GroupKey',
  principals: 'lfvaudit/Principals',
  projects: 'lfvaudit/Projects',
  userAgents: 'lfvaudit/UserAgents',
  /** The rule's threshold, `50 within 10m` (findings/threshold-text.ts). */
  threshold: 'lfvaudit/Threshold',
  /** The fullest span's count of events (or distinct values), and its first and last event's times. */
  thresholdCount: 'lfvaudit/ThresholdCount',
  thresholdSpan: 'lfvaudit/ThresholdSpan',
} as const;

/**
 * The finding's ProductFields. Identifiers that cannot hold a comma (event ids and names, error codes,
 * addresses, project names) are comma-separated; principals (IAM names may contain commas), user agents
 * and the group key are JSON, so a reader can split them back. Values that would pass 2048 characters
 * drop whole items and end with `…`; empty values are left out (the API rejects them).
 */
export function productFieldsOf(group: FindingGroup): Record<string, string> {
  const fields: Record<string, string> = {};
  const set = (key: string, value: string): void => {
    if (value.trim() !== '') fields[key] = value;
  };
  set(PRODUCT_FIELD.ruleId, group.ruleId);
  set(PRODUCT_FIELD.eventCount, String(group.eventCount));
  // Absent when the count is exact: a reader (or a filter in Security Hub) looks for "true".
  if (group.eventCountIsLowerBound === true) set(PRODUCT_FIELD.eventCountIsLowerBound, 'true');
  // A sample by definition: EventCount says how many events there were in all.
  set(PRODUCT_FIELD.sampleEventIds, commaList({ values: group.sampleEventIds, more: false }));
  set(PRODUCT_FIELD.eventNames, countList(group.eventNames));
  set(PRODUCT_FIELD.sourceIps, commaList(group.sourceAddresses));
  const [onlyAddress] = group.sourceAddresses.values;
  if (onlyAddress !== undefined && group.sourceAddresses.values.length === 1 && classifySourceAddress(onlyAddress).kind === 'ipv6') {
    // AwsApiCallAction.RemoteIpDetails has only IpAddressV4: an IPv6 caller is recorded here instead.
    set(PRODUCT_FIELD.remoteIpV6, onlyAddress);
  }
  set(PRODUCT_FIELD.errorCodes, countList(group.errorCodes));
  const groupKey = JSON.stringify(Object.fromEntries(group.parts.map((part) => [part.name, part.value])));
  set(PRODUCT_FIELD.groupKey, truncateText(groupKey, ASFF_LIMITS.productFields.valueLength));
  set(PRODUCT_FIELD.principals, jsonList(group.principals));
  set(PRODUCT_FIELD.projects, commaList(group.projects));
  set(PRODUCT_FIELD.userAgents, jsonList(group.userAgents));
  if (group.threshold !== undefined) {
    set(PRODUCT_FIELD.thresholdCount, String(group.threshold.count));
    set(PRODUCT_FIELD.thresholdSpan, `${new Date(group.threshold.start).toISOString()}/${new Date(group.threshold.end).toISOString()}`);
  }
  return fields;
}

/** `a,b,c`, or `a,b,…` when items were left out (not kept, or past the length limit). */
function commaList(kept: KeptValues<string>): string {
  return fitList(kept.values.map(singleLine), kept.more, (items) => items.join(','));
}

/** `["a","b"]`, or `["a","b","…"]` when items were left out. */
function jsonList(kept: KeptValues<string>): string {
  return fitList(kept.values, kept.more, (items) => JSON.stringify(items));
}

/** `CreateDataset:3,DeleteProject:1`, with `…:N` for the events whose name was not kept. */
function countList(kept: KeptCounts): string {
  const items = kept.counts.map(([key, count]) => `${singleLine(key)}:${count}`);
  if (kept.otherCount > 0) items.push(`${ELLIPSIS}:${kept.otherCount}`);
  return fitList(items, false, (parts) => parts.join(','));
}

/** The longest prefix of `items` whose rendering fits a ProductFields value, marked with `…` when anything is left out. */
function fitList(items: readonly string[], more: boolean, render: (items: readonly string[]) => string): string {
  const limit = ASFF_LIMITS.productFields.valueLength;
  for (let count = items.length; count >= 0; count -= 1) {
    const shown = count === items.length ? items : items.slice(0, count);
    const omitted = more || count < items.length;
    const value = render(omitted ? [...shown, ELLIPSIS] : shown);
    if (value.length <= limit) return value;
  }
  return ELLIPSIS;
}
