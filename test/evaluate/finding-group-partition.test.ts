import test from 'ava';
import fc from 'fast-check';
import { FindingGroupBuilder, type FindingGroup, type PartialFindingGroup } from '../../src/evaluate/finding-group.js';
import { groupOwnerOf, joinedOwnGroups } from '../../src/evaluate/finding-group-partition.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

const rules = [
  testRule({ id: 'r-default' }),
  testRule({ id: 'r-project', groupBy: ['project'], severity: 'HIGH' }),
  testRule({ id: 'r-ip', groupBy: ['sourceIPAddress'], severity: 'LOW' }),
  testRule({ id: 'r-none', groupBy: [], severity: 'CRITICAL' }),
];

/** Records that fall into groups of every size, some in one group, some spread over many. */
function recordsOf(count: number): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, index) =>
    lfvRecord({
      eventID: `e${index}`,
      eventTime: `2025-10-0${1 + (index % 3)}T${String(index % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00Z`,
      eventName: ['CreateDataset', 'DeleteProject', 'DetectAnomalies'][index % 3],
      sourceIPAddress: `198.51.100.${index % 37}`,
      userAgent: `agent/${index % 23}`,
      requestParameters: { projectName: `P${index % 4}`, modelVersion: String(index % 30) },
      awsRegion: index % 5 === 0 ? 'eu-west-1' : 'us-east-1',
      ...(index % 7 === 0 ? { errorCode: 'AccessDeniedException' } : {}),
    }),
  );
}

/** Each record matches the rules its eventID picks, whichever thread it reaches. */
function builderOf(records: readonly CloudTrailRecord[]): FindingGroupBuilder {
  const builder = new FindingGroupBuilder({ distinctRecords: true });
  for (const record of records) {
    const serial = Number(String(record['eventID']).slice(1));
    for (const rule of rules) if ((serial + rule.id.length) % 3 !== 0 || rule.id === 'r-none') builder.add(rule, record);
  }
  return builder;
}

/** What each of `parts` threads ends with: its own groups, joined with what the others sent it. */
function partitioned(threads: readonly FindingGroupBuilder[]): FindingGroup[][] {
  const parts = threads.length;
  const sent = threads.map(() => new Map<string, PartialFindingGroup[]>());
  const own = threads.map((builder, self) =>
    builder.lazyGroups().filter((group) => {
      const owner = groupOwnerOf(group.canonicalKey, parts);
      if (owner === self) return true;
      const inbox = sent[owner] as Map<string, PartialFindingGroup[]>;
      // As a worker sends it: structured-cloned.
      inbox.set(group.canonicalKey, [...(inbox.get(group.canonicalKey) ?? []), structuredClone(group.partial())]);
      return false;
    }),
  );
  return own.map((groups, self) => joinedOwnGroups(groups, sent[self] as Map<string, PartialFindingGroup[]>).map((group) => group.snapshot()));
}

const byKey = (a: FindingGroup, b: FindingGroup): number => (a.canonicalKey < b.canonicalKey ? -1 : a.canonicalKey > b.canonicalKey ? 1 : 0);

test('records split among threads in any way, their groups owned by key and joined, give exactly the groups of one builder over all records', (t) => {
  const records = recordsOf(150);
  const expected = builderOf(records).groups();
  t.true(expected.length > 40);
  t.true(expected.some((group) => group.eventCount > 30));
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: records.length, maxLength: records.length }), (parts, assignment) => {
        const threads = Array.from({ length: parts }, (_, thread) => builderOf(records.filter((_, index) => (assignment[index] ?? 0) % parts === thread)));
        const owned = partitioned(threads);
        // Every group is some thread's, and only that thread's.
        owned.forEach((groups, self) => groups.forEach((group) => t.is(groupOwnerOf(group.canonicalKey, parts), self)));
        t.deepEqual(owned.flat().sort(byKey), expected);
      }),
      { numRuns: 40, seed: 20261203 },
    );
  });
});

test('owners spread groups about evenly, and one thread owns every group', (t) => {
  const keys = [...builderOf(recordsOf(400)).lazyGroups().map((group) => group.canonicalKey), ...Array.from({ length: 1000 }, (_, index) => `["r",${index}]`)];
  const counts = [0, 0, 0];
  for (const key of keys) counts[groupOwnerOf(key, 3)] = (counts[groupOwnerOf(key, 3)] ?? 0) + 1;
  for (const count of counts) t.true(count > keys.length / 4, `${counts.join(', ')}`);
  t.true(keys.every((key) => groupOwnerOf(key, 1) === 0));
});
