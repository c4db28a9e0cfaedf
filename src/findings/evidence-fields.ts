import type { KeptValues } from '../shared/bounded-collections.js';
import type { FindingGroup, SampleEvent } from '../grouping/finding-group.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { coverageFields } from './coverage-fields.js';
import { ELLIPSIS } from '../shared/fit-text.js';

/** The sample events with their times, as JSON `[["2025-10-01T09:00:00.000Z","e1"],…]`, `"…"` last when there are more. */
export const SAMPLE_EVENTS_FIELD = 'lfvaudit/SampleEvents';

/**
 * ProductFields pairs Security Hub adds to every stored finding (`aws/securityhub/FindingId`,
 * `…/ProductName`, `…/CompanyName`): kept free so a stored finding stays within the 50 pairs.
 */
const SECURITY_HUB_FIELDS = 3;

/**
 * What a finding carries so that a later run can merge with it (docs/findings-lifecycle.md): its sample
 * events with their times, and its event coverage in as many fields as the 50 pairs leave, after the
 * finding's `otherFields` and Security Hub's own.
 */
export function mergeFieldsOf(group: FindingGroup, otherFields: number): Record<string, string> {
  const coverageBudget = ASFF_LIMITS.productFields.pairs - SECURITY_HUB_FIELDS - otherFields - 1;
  return {
    [SAMPLE_EVENTS_FIELD]: sampleEventsText(group.sampleEvents),
    ...coverageFields(group.coverage, coverageBudget),
  };
}

/** The sample events a finding's ProductFields hold; absent or unreadable gives none. */
export function sampleEventsOfFields(fields: Readonly<Record<string, string>> | undefined): KeptValues<SampleEvent> {
  const kept = keptJsonItems(fields !== undefined && Object.hasOwn(fields, SAMPLE_EVENTS_FIELD) ? fields[SAMPLE_EVENTS_FIELD] : undefined);
  const values: SampleEvent[] = [];
  for (const item of kept.values) {
    const event = sampleEventOf(item);
    // An item that does not read breaks the prefix: what follows it cannot be trusted to be the smallest.
    if (event === undefined) return { values, more: true };
    values.push(event);
  }
  return { values, more: kept.more };
}

/**
 * A JSON list as lfvaudit writes kept values into ProductFields (`[a, b, "…"]`, the ellipsis saying more
 * were left out). Stored findings are untrusted: text that is no JSON list is an unknown list.
 */
export function keptJsonItems(text: string | undefined): KeptValues<unknown> {
  if (text === undefined) return { values: [], more: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { values: [], more: true };
  }
  if (!Array.isArray(parsed)) return { values: [], more: true };
  const items: unknown[] = parsed;
  return items.at(-1) === ELLIPSIS ? { values: items.slice(0, -1), more: true } : { values: items, more: false };
}

function sampleEventsText(sample: KeptValues<SampleEvent>): string {
  // JSON.stringify of `[[time, id], …]` (and `"…"` last when items are left out), written from each
  // item's text once rather than stringifying the list again for every length tried.
  const items = sample.values.map((event) => `[${event.time === undefined ? 'null' : `"${new Date(event.time).toISOString()}"`},${JSON.stringify(event.id)}]`);
  for (let count = items.length; count >= 0; count -= 1) {
    const omitted = sample.more || count < items.length;
    const shown = count === items.length ? items : items.slice(0, count);
    const text = omitted ? `[${shown.join(',')}${count > 0 ? ',' : ''}${JSON.stringify(ELLIPSIS)}]` : `[${shown.join(',')}]`;
    if (text.length <= ASFF_LIMITS.productFields.valueLength) return text;
  }
  return JSON.stringify([ELLIPSIS]);
}

function sampleEventOf(item: unknown): SampleEvent | undefined {
  if (!Array.isArray(item) || item.length !== 2) return undefined;
  const [time, id] = item as unknown[];
  if (typeof id !== 'string' || id === '') return undefined;
  if (time === null) return { time: undefined, id };
  if (typeof time !== 'string') return undefined;
  const epochMs = Date.parse(time);
  return Number.isFinite(epochMs) ? { time: epochMs, id } : undefined;
}
