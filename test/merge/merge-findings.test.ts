import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import fc from 'fast-check';
import { FindingGroupBuilder, type FindingGroup } from '../../src/grouping/finding-group.js';
import { buildFinding } from '../../src/findings/asff-finding.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { countedForm, makeBucket, NO_HASHES, sortedCoverage } from '../../src/coverage/event-coverage.js';
import { diffFindings } from '../../src/merge/diff.js';
import { mergeFindingGroups, withCoverage } from '../../src/merge/group.js';
import { findingGroupOf } from '../../src/merge/read.js';
import { laterThan, mergeFinding, planFindingImport, type FindingMergeContext } from '../../src/merge/merge-findings.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { lfvEvents, simulateRun } from '../support/finding-runs.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

const HOUR = 60 * 60 * 1000;
const T0 = new Date('2025-10-01T00:00:00Z');
const rule = testRule({ groupBy: [] });
const rules = new Map([[rule.id, rule]]);
const context: FindingMergeContext = { productAccountId: '123456789012', productRegion: 'us-east-1', now: new Date('2025-10-02T00:00:00Z') };

/** 40 events over 8 hours, two principals, three calls, some errors: one group under `rule`. */
const universe = lfvEvents(40, T0, 12 * 60 * 1000);

function at(hours: number): Date {
  return new Date(T0.getTime() + hours * HOUR);
}

/**
 * The group one run finds: the events it reads as hashes, or, as compaction leaves them when `counted`,
 * as counts with their digests.
 */
function groupOfRun(records: readonly CloudTrailRecord[], counted: boolean): FindingGroup | undefined {
  const builder = new FindingGroupBuilder();
  for (const record of records) builder.add(rule, record);
  const [group] = builder.groups();
  if (group === undefined || !counted) return group;
  return withCoverage(
    group,
    sortedCoverage([...group.coverage.values()].map((bucket) => makeBucket(bucket.period, bucket.eventName, bucket.errorCode, countedForm(bucket), NO_HASHES))),
  );
}

const runArbitrary = fc
  .record({
    picked: fc.array(fc.boolean(), { minLength: universe.length, maxLength: universe.length }),
    start: fc.integer({ min: 0, max: 8 * 60 }),
    length: fc.integer({ min: 1, max: 8 * 60 }),
    counted: fc.boolean(),
  })
  .map(({ picked, start, length, counted }) => {
    const window = { start: new Date(T0.getTime() + start * 60_000), end: new Date(T0.getTime() + (start + length) * 60_000) };
    const records = universe.filter((record, index) => {
      const time = Date.parse(String(record['eventTime']));
      return (picked[index] ?? false) && time >= window.start.getTime() && time < window.end.getTime();
    });
    return groupOfRun(records, counted);
  })
  .filter((group): group is FindingGroup => group !== undefined);

test('merging groups is commutative', (t) => {
  fc.assert(
    fc.property(runArbitrary, runArbitrary, (a, b) => {
      t.deepEqual(mergeFindingGroups(a, b), mergeFindingGroups(b, a));
    }),
  );
});

test('merging groups is associative', (t) => {
  fc.assert(
    fc.property(runArbitrary, runArbitrary, runArbitrary, (a, b, c) => {
      t.deepEqual(mergeFindingGroups(mergeFindingGroups(a, b), c), mergeFindingGroups(a, mergeFindingGroups(b, c)));
    }),
  );
});

test('merging a group with itself changes nothing', (t) => {
  fc.assert(
    fc.property(runArbitrary, (a) => {
      t.deepEqual(mergeFindingGroups(a, a), a);
    }),
  );
});

test('a merged group counts every event once, whichever runs saw it', (t) => {
  fc.assert(
    fc.property(runArbitrary, runArbitrary, (a, b) => {
      const merged = mergeFindingGroups(a, b);
      const seen = new Set([...a.sampleEventIds, ...b.sampleEventIds]);
      t.true(merged.eventCount >= Math.max(a.eventCount, b.eventCount));
      t.true(merged.eventCount <= a.eventCount + b.eventCount);
      t.true(merged.sampleEventIds.every((id) => seen.has(id)));
    }),
  );
});

test('a finding read back and built again is the same finding', (t) => {
  const [finding] = simulateRun(universe, { rules: [rule], now: context.now, window: { start: at(1.5), end: at(6.5) } });
  if (finding === undefined) return t.fail('no finding');
  const group = findingGroupOf(finding);
  if (group === undefined) return t.fail('not read back');

  t.deepEqual(buildFinding(group, rule, { now: context.now }), finding);
});

/** Runs imported one after another, each merged with what the previous ones left, as the sink does. */
function importRuns(runs: readonly AwsSecurityFinding[][], ruleMap: ReadonlyMap<string, ReturnType<typeof testRule>> = rules): AwsSecurityFinding[] {
  let stored: AwsSecurityFinding[] = [];
  runs.forEach((fresh, index) => {
    const plan = planFindingImport({ fresh, stored, rules: ruleMap, context: { ...context, now: new Date(context.now.getTime() + index * 1000) } });
    const byId = new Map(stored.map((finding) => [finding.Id, finding]));
    for (const finding of plan.toImport) byId.set(finding.Id, finding);
    stored = [...byId.values()];
  });
  return stored;
}

/** The provider fields that differ between two imports, other than how the coverage is written down. */
function differences(expected: AwsSecurityFinding[], actual: AwsSecurityFinding[]): string[] {
  const diff = diffFindings(expected, actual);
  return [
    ...diff.create.map((change) => `extra ${change.id}`),
    ...diff.update.flatMap((change) => change.changedFields.filter((field) => field !== 'lfvaudit/Coverage').map((field) => `${change.id} ${field}`)),
    ...expected.filter((finding) => !actual.some((other) => other.Id === finding.Id)).map((finding) => `missing ${finding.Id}`),
  ];
}

const windowArbitrary = fc
  .tuple(fc.integer({ min: 0, max: 8 * 60 }), fc.integer({ min: 0, max: 8 * 60 }), fc.integer({ min: 0, max: 8 * 60 }))
  .map((minutes) => {
    const [a, b, c] = [...minutes].sort((x, y) => x - y) as [number, number, number];
    return { start: a, overlapStart: b, end: c };
  });

test('two overlapping windows give the findings and counts of one run over their union', (t) => {
  const groupedRule = testRule({ groupBy: ['principal'] });
  const grouped = new Map([[groupedRule.id, groupedRule]]);
  fc.assert(
    fc.property(windowArbitrary, fc.integer({ min: 1, max: 60 }), fc.boolean(), ({ start, overlapStart, end }, overlap, firstRunsFirst) => {
      const minute = (m: number) => new Date(T0.getTime() + m * 60_000);
      const first = { start: minute(start), end: minute(Math.min(end, overlapStart + overlap)) };
      const second = { start: minute(overlapStart), end: minute(end) };
      const run = (window: { start: Date; end: Date }) => simulateRun(universe, { rules: [groupedRule], now: context.now, window });
      const runs = firstRunsFirst ? [run(first), run(second)] : [run(second), run(first)];
      const apart = importRuns(runs, grouped);
      const union = importRuns([run({ start: minute(start), end: minute(end) })], grouped);
      t.deepEqual(differences(union, apart), []);
    }),
  );
});

test('three shards imported in any order give the findings and counts of one run', (t) => {
  const window = { start: at(0.25), end: at(7.75) };
  const shard = (index: number) => (record: CloudTrailRecord) => Number(String(record['eventID']).slice(-6)) % 3 === index;
  const shards = [0, 1, 2].map((index) => simulateRun(universe, { rules: [rule], now: context.now, window, shard: shard(index) }));
  const one = importRuns([simulateRun(universe, { rules: [rule], now: context.now, window })]);
  fc.assert(
    fc.property(fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }), (order) => {
      t.deepEqual(differences(one, importRuns(order.map((index) => shards[index] ?? []))), []);
    }),
  );
  const inWindow = universe.filter(
    (record) => Date.parse(String(record['eventTime'])) >= window.start.getTime() && Date.parse(String(record['eventTime'])) < window.end.getTime(),
  );
  t.is(one[0]?.ProductFields?.['lfvaudit/EventCount'], String(inWindow.length));
});

test('re-running the same window leaves nothing to import', (t) => {
  const run = () => simulateRun(universe, { rules: [rule], now: context.now, window: { start: at(1), end: at(5.5) } });
  const stored = importRuns([run()]);

  const plan = planFindingImport({ fresh: run(), stored, rules, context: { ...context, now: new Date(context.now.getTime() + HOUR) } });

  t.deepEqual(plan.toImport, []);
  t.is(plan.diff.unchanged.length, 1);
});

test('an event seen by a run over a whole hour and again by a later partial run is counted once', (t) => {
  const events = lfvEvents(6, at(2), 10 * 60 * 1000);
  const whole = simulateRun(events, { rules: [rule], now: context.now, window: { start: at(2), end: at(3) } });
  const edge = simulateRun(events, { rules: [rule], now: context.now, window: { start: at(2.5), end: at(4) } });

  const [stored] = importRuns([whole, edge]);

  t.is(stored?.ProductFields?.['lfvaudit/EventCount'], '6');
});

test('a later complete pass over an hour adds the events delivered late', (t) => {
  const events = lfvEvents(6, at(2), 10 * 60 * 1000);
  const early = simulateRun(events.slice(0, 4), { rules: [rule], now: context.now, window: { start: at(2), end: at(3) } });
  const late = simulateRun(events, { rules: [rule], now: context.now, window: { start: at(2), end: at(3) } });

  const [stored] = importRuns([early, late]);

  t.is(stored?.ProductFields?.['lfvaudit/EventCount'], '6');
});

test('every hour a run reads is stored as event hashes, whether its window holds the hour whole or in part', (t) => {
  const [finding] = simulateRun(universe, { rules: [rule], now: context.now, window: { start: at(1.5), end: at(3.5) } });
  const coverage = Object.entries(finding?.ProductFields ?? {}).filter(([key]) => key.startsWith('lfvaudit/Coverage/'));

  t.is(coverage.length, 1);
  const entries = (coverage[0]?.[1] ?? '').split(' ');
  t.true(entries.some((entry) => entry.startsWith('2025100102/')));
  t.true(
    entries.every((entry) => /^\d{10}\/[^=]*:[A-Za-z0-9_-]+$/.test(entry)),
    entries.join(' '),
  );
});

test('two runs over different parts of the same whole hours add up', (t) => {
  const window = { start: at(0), end: at(8) };
  const part = (index: number) => (record: CloudTrailRecord) => Number(String(record['eventID']).slice(-6)) % 2 === index;
  const [merged] = importRuns([0, 1].map((index) => simulateRun(universe, { rules: [rule], now: context.now, window, shard: part(index) })));

  t.is(merged?.ProductFields?.['lfvaudit/EventCount'], String(universe.length));
  t.is(merged?.ProductFields?.['lfvaudit/EventCountIsLowerBound'], undefined);
});

test('a finding whose coverage outgrows its ProductFields is compacted, oldest first, keeping its count', (t) => {
  // 20,000 partly covered events over ten weeks: far more hashes than 50 fields of 2048 characters hold.
  const events = lfvEvents(20_000, at(0), 5 * 60 * 1000, { principals: 1 });
  const [finding] = simulateRun(events, { rules: [rule], now: context.now });
  if (finding === undefined) return t.fail('no finding');
  const fields = finding.ProductFields ?? {};

  t.deepEqual(validateAsffFinding(finding), []);
  t.true(Object.keys(fields).length <= 47);
  t.is(fields['lfvaudit/EventCount'], '20000');
  t.is(findingGroupOf(finding)?.eventCount, 20_000);
  const entries = Object.entries(fields)
    .filter(([key]) => key.startsWith('lfvaudit/Coverage/'))
    .flatMap(([, value]) => value.split(' '));
  // The oldest hours became counts of whole days; the newest keep their hashes.
  t.regex(entries[0] ?? '', /^20251001\/[^:]*=\d+~[A-Za-z0-9_-]{8}$/);
  t.is(fields['lfvaudit/EventCountIsLowerBound'], undefined);
  t.regex(entries.at(-1) ?? '', /^2025120\d{3}\/.*:[A-Za-z0-9_-]{8,}$/);
});

test('after compaction, a run over old events adds nothing it cannot tell apart, and the count says it is a lower bound', (t) => {
  const events = lfvEvents(20_000, at(0), 5 * 60 * 1000, { principals: 1 });
  const again = simulateRun(events.slice(0, 500), { rules: [rule], now: context.now });

  const [merged] = importRuns([simulateRun(events, { rules: [rule], now: context.now }), again]);

  t.is(merged?.ProductFields?.['lfvaudit/EventCount'], '20000');
  t.is(merged?.ProductFields?.['lfvaudit/EventCountIsLowerBound'], 'true');
  t.regex(merged?.Description ?? '', /^At least 20000 events \(the counts are lower bounds\)\. /);
});

test('an update never sends the reviewer fields, and a new finding starts as NEW', (t) => {
  const [fresh] = simulateRun(universe, { rules: [rule], now: context.now, window: { start: at(0), end: at(4) } });
  const [later] = simulateRun(universe, { rules: [rule], now: context.now, window: { start: at(0), end: at(8) } });
  if (fresh === undefined || later === undefined) return t.fail('no finding');
  const created = mergeFinding(undefined, fresh, rule, context);
  const stored = { ...created, Workflow: { Status: 'RESOLVED' as const }, Note: { Text: 'looked at', UpdatedBy: 'me', UpdatedAt: '2025-10-02T00:00:00Z' } };

  const updated = mergeFinding(stored, later, rule, { ...context, now: new Date('2025-10-03T00:00:00Z') });

  t.deepEqual(created.Workflow, { Status: 'NEW' });
  for (const field of ['Workflow', 'Note', 'UserDefinedFields', 'VerificationState'] as const) t.false(Object.hasOwn(updated, field), field);
  t.is(updated.CreatedAt, created.CreatedAt);
  t.is(updated.UpdatedAt, '2025-10-03T00:00:00.000Z');
});

test('an update is dated 1 ms after the stored finding when the clocks tie or run behind', (t) => {
  t.is(laterThan('2025-10-02T00:00:00.000Z', new Date('2025-10-02T00:00:00.000Z')), '2025-10-02T00:00:00.001Z');
  t.is(laterThan('2025-10-02T00:00:05.000Z', new Date('2025-10-02T00:00:00.000Z')), '2025-10-02T00:00:05.001Z');
  t.is(laterThan('2025-10-01T00:00:00.000Z', new Date('2025-10-02T00:00:00.000Z')), '2025-10-02T00:00:00.000Z');
});

test('an archived finding stays archived when a run brings nothing new, and reopens when it does', (t) => {
  const window = { start: at(0), end: at(4) };
  const [first] = importRuns([simulateRun(universe, { rules: [rule], now: context.now, window })]);
  if (first === undefined) return t.fail('no finding');
  const archived = { ...first, RecordState: 'ARCHIVED' as const };

  const same = planFindingImport({ fresh: simulateRun(universe, { rules: [rule], now: context.now, window }), stored: [archived], rules, context });
  const more = planFindingImport({
    fresh: simulateRun(universe, { rules: [rule], now: context.now, window: { start: at(0), end: at(8) } }),
    stored: [archived],
    rules,
    context,
  });

  t.deepEqual(same.toImport, []);
  t.is(more.toImport[0]?.RecordState, 'ACTIVE');
});

test('coverage entries a stored finding holds that do not parse are ignored, never counted', (t) => {
  const [fresh] = simulateRun([lfvRecord({ eventID: 'e1' })], { rules: [rule], now: context.now });
  if (fresh === undefined) return t.fail('no finding');
  const tampered = {
    ...fresh,
    ProductFields: {
      ...fresh.ProductFields,
      'lfvaudit/Coverage/1': '2025100109/CreateDataset=x 99999999/Bad=3 2025100109/%E0=4 garbage',
      'lfvaudit/Coverage/2': '2025100109/DeleteProject=2',
    },
  };

  t.is(findingGroupOf(tampered)?.eventCount, 2);
});

test('a finding another tool wrote is not read as one of lfvaudit', (t) => {
  const [finding] = simulateRun(universe.slice(0, 1), { rules: [rule], now: context.now });
  if (finding === undefined) return t.fail('no finding');

  t.is(findingGroupOf({ ...finding, ProductFields: { 'vendor/Field': 'x' } }), undefined);
});

test('findings of one run with the same Id are joined before they are merged', (t) => {
  const half = (index: number) => universe.filter((_, position) => position % 2 === index);
  const fresh = [...simulateRun(half(0), { rules: [rule], now: context.now }), ...simulateRun(half(1), { rules: [rule], now: context.now })];

  const plan = planFindingImport({ fresh, stored: [], rules, context });

  t.is(plan.toImport.length, 1);
  t.is(plan.toImport[0]?.ProductFields?.['lfvaudit/EventCount'], '40');
});

test('a finding of a rule that is not loaded cannot be planned', (t) => {
  const fresh = simulateRun(universe.slice(0, 1), { rules: [testRule({ id: 'lfv-other' })], now: context.now });

  t.throws(() => planFindingImport({ fresh, stored: [], rules, context }), { message: /rule lfv-other is not loaded/ });
});
