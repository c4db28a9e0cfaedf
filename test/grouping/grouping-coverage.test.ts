import test from 'ava';
import fc from 'fast-check';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { bucketKey, eventHashOf } from '../../src/coverage/event-coverage.js';
import { hourPeriodOf } from '../../src/coverage/periods.js';
import { identityDigest } from '../../src/records/record-identity.js';
import { textsOfHashes } from '../support/coverage-hashes.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

// Groups share one table of coverage kinds (hours × calls): each group's coverage must still hold
// exactly its own distinct events, each once, in its own bucket.

const rules = [
  testRule({ id: 'r-all', groupBy: [] }),
  testRule({ id: 'r-project', groupBy: ['project'] }),
  testRule({ id: 'r-ip', groupBy: ['sourceIPAddress'] }),
];

const delivery = fc.record({
  /** Several deliveries of one event share its eventID and content. */
  event: fc.nat({ max: 60 }),
  rules: fc.subarray(rules, { minLength: 1 }),
});

test("every distinct event a group matched is in its coverage exactly once, in its hour and call's bucket, delivered once or twice", (t) => {
  fc.assert(
    fc.property(fc.array(delivery, { maxLength: 200 }), fc.boolean(), (deliveries, distinctRecords) => {
      const builder = new FindingGroupBuilder({ distinctRecords });
      const expected = new Map<string, Map<string, Set<string>>>();
      const seen = new Set<string>();
      for (const { event, rules: matched } of deliveries) {
        const eventID = `e${event}`;
        // The audit drops a repeated delivery before grouping when it promises distinct records; a builder without that promise must drop it itself.
        if (distinctRecords && seen.has(eventID)) continue;
        seen.add(eventID);
        const time = Date.UTC(2025, 9, 1) + (event % 7) * 2_400_000 + event;
        const record = lfvRecord({
          eventID,
          eventTime: new Date(time).toISOString(),
          eventName: event % 3 === 0 ? 'DeleteProject' : 'CreateDataset',
          ...(event % 5 === 0 ? { errorCode: 'AccessDenied' } : {}),
          sourceIPAddress: event % 2 === 0 ? '198.51.100.7' : '203.0.113.9',
          requestParameters: { projectName: `P${event % 4}` },
        });
        for (const rule of matched) {
          builder.add(rule, record, { identity: eventID, digest: identityDigest(eventID) });
          const groupKey = `${rule.id} ${rule.groupBy.length === 0 ? '' : rule.groupBy[0] === 'project' ? `P${event % 4}` : String(record['sourceIPAddress'])}`;
          const buckets = expected.get(groupKey) ?? new Map<string, Set<string>>();
          const key = bucketKey(hourPeriodOf(time), String(record['eventName']), event % 5 === 0 ? 'AccessDenied' : undefined);
          buckets.set(key, (buckets.get(key) ?? new Set<string>()).add(eventHashOf(eventID)));
          expected.set(groupKey, buckets);
        }
      }
      const actual = new Map(
        builder
          .groups()
          .map((group) => [
            `${group.ruleId} ${group.parts[0]?.value ?? ''}`,
            new Map([...group.coverage].map(([key, bucket]) => [key, new Set(textsOfHashes(bucket.hashes))])),
          ]),
      );
      t.deepEqual(sortedEntries(actual), sortedEntries(expected));
      // And the count agrees: nothing lost, nothing counted twice.
      for (const group of builder.groups())
        t.is(
          [...group.coverage.values()].reduce((sum, bucket) => sum + bucket.hashes.length, 0),
          group.eventCount,
        );
    }),
    { numRuns: 200, seed: 20261203 },
  );
});

function sortedEntries(groups: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>): [string, [string, string[]][]][] {
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, buckets]) => [group, [...buckets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, hashes]) => [key, [...hashes].sort()])]);
}
