import type { Event as LookupEvent } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../../records/cloudtrail-record.js';
import { unwrapDocument } from '../../records/unwrap-document.js';
import type { SourceItem } from '../event-source.js';

const utf8 = new TextEncoder();

/**
 * The items one LookupEvents page becomes: its records (possibly none), then one unreadable item per
 * event whose CloudTrailEvent is not a JSON object, naming the page and the EventId.
 *
 * Each event is unwrapped on its own, as the lookup-event entry `{"CloudTrailEvent": "..."}`, by the
 * same code that reads `aws cloudtrail lookup-events` output from files: one place decides what a
 * valid CloudTrailEvent string is, and a problem stays tied to its EventId.
 */
export function lookupEventsPageItems(events: readonly Pick<LookupEvent, 'EventId' | 'CloudTrailEvent'>[], origin: string, page: number): SourceItem[] {
  const records: CloudTrailRecord[] = [];
  const problems: SourceItem[] = [];
  for (const event of events) {
    // null, not undefined, so that a missing string is reported as such rather than dropped by stringify.
    const entry = JSON.stringify({ CloudTrailEvent: event.CloudTrailEvent ?? null });
    const document = unwrapDocument(utf8.encode(entry), origin);
    records.push(...document.records);
    for (const problem of document.problems) {
      problems.push({ kind: 'unreadable', origin, reason: `page ${page}, EventId ${event.EventId ?? '(none)'}: ${problem.code}: ${problem.message}` });
    }
  }
  return [{ kind: 'records', origin, records }, ...problems];
}
