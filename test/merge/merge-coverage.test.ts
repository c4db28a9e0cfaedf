import test from 'ava';
import fc from 'fast-check';
import { coverageFields, coverageOfFields } from '../../src/findings/coverage-fields.js';
import { hourPeriodOf, periodRange } from '../../src/coverage/periods.js';
import {
  countedForm,
  countOf,
  isLowerBound,
  NO_DIGEST,
  xorOfHashes,
  coverageTotals,
  effectiveCount,
  eventHashOf,
  EventCoverageBuilder,
  makeBucket,
  mergeCoverage,
  NO_HASHES,
  sortedCoverage,
  type CoverageBucket,
  type EventCoverage,
} from '../../src/coverage/event-coverage.js';
import { countOfEvents, hashesOfTexts } from '../support/coverage-hashes.js';

const HASH = fc.stringMatching(/^[A-Za-z0-9_-]{8}$/);
const NAME = fc.oneof(fc.constantFrom('CreateDataset', 'DeleteProject', '(no eventName)', ''), fc.string({ maxLength: 20, unit: 'binary' }));
const HOUR_PERIOD = fc.integer({ min: 0, max: 24 * 400 }).map((hours) => hourPeriodOf(Date.UTC(2025, 0, 1) + hours * 3_600_000));

const bucketArbitrary: fc.Arbitrary<CoverageBucket> = fc
  .record({
    period: fc.oneof({ weight: 5, arbitrary: HOUR_PERIOD }, { weight: 1, arbitrary: fc.constant('-') }),
    eventName: NAME,
    errorCode: fc.option(fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }), { nil: undefined }),
    count: fc.nat({ max: 10_000 }),
    digest: fc.option(fc.integer({ min: 0, max: 2 ** 48 - 1 }), { nil: undefined }),
    lowerBound: fc.boolean(),
    hashes: fc.uniqueArray(HASH, { maxLength: 30 }),
  })
  .filter((bucket) => bucket.count > 0 || bucket.hashes.length > 0)
  .map((bucket) =>
    makeBucket(
      bucket.period,
      bucket.eventName,
      bucket.errorCode,
      { count: bucket.count, digest: bucket.lowerBound ? NO_DIGEST : (bucket.digest ?? NO_DIGEST), lowerBound: bucket.lowerBound },
      hashesOfTexts(bucket.hashes),
    ),
  );

const coverageArbitrary: fc.Arbitrary<EventCoverage> = fc.array(bucketArbitrary, { maxLength: 40 }).map((buckets) => {
  let coverage: EventCoverage = new Map();
  for (const bucket of buckets) coverage = mergeCoverage(coverage, sortedCoverage([bucket]));
  return coverage;
});

test('coverage written to ProductFields reads back the same, whatever the names hold', (t) => {
  fc.assert(
    fc.property(coverageArbitrary, (coverage) => {
      t.deepEqual(coverageOfFields(coverageFields(coverage, 35)), coverage);
    }),
  );
});

test('every coverage field is a valid ProductFields value: 1 to 2048 characters, not blank', (t) => {
  fc.assert(
    fc.property(coverageArbitrary, (coverage) => {
      for (const value of Object.values(coverageFields(coverage, 35))) t.true(value.length >= 1 && value.length <= 2048 && value.trim() !== '');
    }),
  );
});

test('a set of hashes too long for one field is spread over several, and reads back whole', (t) => {
  const hashes = hashesOfTexts(Array.from({ length: 1000 }, (_, index) => eventHashOf(`event-${index}`)));
  const coverage = sortedCoverage([makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(0), hashes)]);

  const fields = coverageFields(coverage, 35);

  t.is(Object.keys(fields).length, 4);
  t.is(coverageTotals(coverageOfFields(fields)).eventCount, 1000);
});

test('names with spaces, slashes and the entry syntax are escaped so entries stay apart', (t) => {
  const coverage = sortedCoverage([makeBucket('2025100109', 'a b/c=d:e!f*g', 'x y', countOfEvents(2), NO_HASHES)]);

  const [value] = Object.values(coverageFields(coverage, 1));

  t.is(value, '2025100109/a%20b%2Fc%3Dd%3Ae%21f%2Ag!x%20y=2');
  t.deepEqual(coverageOfFields({ 'lfvaudit/Coverage/1': value ?? '' }), coverage);
});

test("a run's events land in one bucket per UTC hour and kind of call", (t) => {
  const builder = new EventCoverageBuilder();
  builder.add({ time: Date.parse('2025-10-01T09:59:59Z'), eventName: 'CreateDataset', errorCode: undefined, identity: 'e1' });
  builder.add({ time: Date.parse('2025-10-01T09:00:00Z'), eventName: 'CreateDataset', errorCode: undefined, identity: 'e2' });
  builder.add({ time: Date.parse('2025-10-01T10:00:00Z'), eventName: 'CreateDataset', errorCode: 'AccessDenied', identity: 'e3' });
  builder.add({ time: undefined, eventName: 'CreateDataset', errorCode: undefined, identity: 'e4' });

  const buckets = [...builder.snapshot().values()].map((bucket) => [bucket.period, bucket.eventName, bucket.errorCode, bucket.hashes.length]);

  t.deepEqual(buckets, [
    ['-', 'CreateDataset', undefined, 1],
    ['2025100109', 'CreateDataset', undefined, 2],
    ['2025100110', 'CreateDataset', 'AccessDenied', 1],
  ]);
});

test('a count compacted from hashes knows its events again: the same hashes are exact, others make it a lower bound', (t) => {
  const hashes = hashesOfTexts(['AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC']);
  const seen = makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(0), hashes);
  const counted = makeBucket('2025100109', 'CreateDataset', undefined, countedForm(seen), NO_HASHES);
  const bucketOf = (coverage: EventCoverage) => [...coverage.values()][0];
  const merged = (other: CoverageBucket) => bucketOf(mergeCoverage(sortedCoverage([counted]), sortedCoverage([other])));

  t.deepEqual(countedForm(seen), { count: 3, digest: xorOfHashes(hashes), lowerBound: false });
  const again = merged(seen);
  t.is(again === undefined ? undefined : [effectiveCount(again), isLowerBound(again)].join(), '3,false');
  const part = merged(makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(0), hashesOfTexts(['AAAAAAAA'])));
  t.is(part === undefined ? undefined : [effectiveCount(part), isLowerBound(part)].join(), '3,true');
  const otherCount = merged(makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(3, 12345), NO_HASHES));
  t.deepEqual(otherCount === undefined ? undefined : [otherCount.count, otherCount.countDigest, otherCount.countIsLowerBound], [3, NO_DIGEST, true]);
  const sameCount = merged(counted);
  t.deepEqual(sameCount, counted);
});

test('a count, a lower bound and a count without digest are written so they read back the same', (t) => {
  const coverage = sortedCoverage([
    makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(3, xorOfHashes(hashesOfTexts(['AAAAAAAA']))), NO_HASHES),
    makeBucket('2025100110', 'CreateDataset', undefined, { count: 4, digest: NO_DIGEST, lowerBound: true }, hashesOfTexts(['BBBBBBBB'])),
    makeBucket('2025100111', 'CreateDataset', undefined, countOfEvents(5), NO_HASHES),
  ]);

  const fields = coverageFields(coverage, 1);

  t.is(fields['lfvaudit/Coverage/1'], '2025100109/CreateDataset=3~AAAAAAAA 2025100110/CreateDataset=4+:BBBBBBBB 2025100111/CreateDataset=5');
  t.deepEqual(coverageOfFields(fields), coverage);
  t.true(coverageTotals(coverage).lowerBound);
});

test('a count and a set for the same hour are both kept: the larger is what counts, as a lower bound', (t) => {
  const counted = sortedCoverage([makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(3), NO_HASHES)]);
  const seen = sortedCoverage([makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(0), hashesOfTexts(['AAAAAAAA', 'BBBBBBBB']))]);
  const more = sortedCoverage([makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(0), hashesOfTexts(['CCCCCCCC', 'DDDDDDDD']))]);

  const [bucket] = mergeCoverage(mergeCoverage(counted, seen), more).values();

  t.is(bucket?.count, 3);
  t.is(bucket?.hashes.length, 4);
  t.is(bucket === undefined ? 0 : effectiveCount(bucket), 4);
  t.true(bucket !== undefined && isLowerBound(bucket));
});

test('a compacted day absorbs the hours another run saw in it, counting the larger of the two as a lower bound', (t) => {
  const day = sortedCoverage([makeBucket('20251001', 'CreateDataset', undefined, countOfEvents(5), NO_HASHES)]);
  const hours = sortedCoverage([
    makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(0), hashesOfTexts(['AAAAAAAA', 'BBBBBBBB'])),
    makeBucket('2025100110', 'CreateDataset', undefined, countOfEvents(2), NO_HASHES),
    makeBucket('2025100209', 'CreateDataset', undefined, countOfEvents(1), NO_HASHES),
  ]);

  const merged = mergeCoverage(day, hours);

  t.deepEqual(
    [...merged.values()].map((bucket) => [bucket.period, effectiveCount(bucket), isLowerBound(bucket)]),
    [
      ['20251001', 5, true],
      ['2025100209', 1, false],
    ],
  );
  t.is(coverageTotals(mergeCoverage(day, sortedCoverage([makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(7), NO_HASHES)]))).eventCount, 7);
});

test('periods are UTC hours, days and months, each with its range', (t) => {
  t.is(hourPeriodOf(Date.parse('2025-10-01T23:59:59.999Z')), '2025100123');
  t.is(hourPeriodOf(undefined), '-');
  t.deepEqual(periodRange('2025100123'), { start: Date.parse('2025-10-01T23:00:00Z'), end: Date.parse('2025-10-02T00:00:00Z') });
  t.deepEqual(periodRange('20250228'), { start: Date.parse('2025-02-28T00:00:00Z'), end: Date.parse('2025-03-01T00:00:00Z') });
  t.deepEqual(periodRange('202512'), { start: Date.parse('2025-12-01T00:00:00Z'), end: Date.parse('2026-01-01T00:00:00Z') });
  for (const invalid of ['20250229', '2025100124', '202513', '2025', 'x']) t.is(periodRange(invalid), undefined, invalid);
});

test('an event name with a lone surrogate, or cut inside a pair, still writes and reads back', (t) => {
  const builder = new EventCoverageBuilder();
  builder.add({ time: Date.parse('2025-10-01T09:00:00Z'), eventName: 'Bad\uD800Name', errorCode: undefined, identity: 'e1' });
  builder.add({ time: Date.parse('2025-10-01T09:00:00Z'), eventName: `${'x'.repeat(127)}😀`, errorCode: undefined, identity: 'e2' });
  const coverage = builder.snapshot();

  t.deepEqual(coverageOfFields(coverageFields(coverage, 35)), coverage);
  t.deepEqual(
    [...coverage.values()].map((bucket) => bucket.eventName),
    ['Bad\uFFFDName', `${'x'.repeat(127)}\uFFFD`],
  );
});

test("entries are packed greedily: no value could take the next one's first entry, and a split set of hashes fills its value", (t) => {
  fc.assert(
    fc.property(fc.array(bucketArbitrary, { maxLength: 60 }), fc.integer({ min: 1, max: 400 }), (buckets, setSize) => {
      // Some long sets of hashes, so that sets are split across entries and values.
      const coverage = sortedCoverage(
        buckets.map((bucket, index) =>
          index % 7 === 0
            ? makeBucket(
                bucket.period,
                bucket.eventName,
                bucket.errorCode,
                countOf(bucket),
                hashesOfTexts(Array.from({ length: setSize }, (_, at) => eventHashOf(`${index}/${at}`))),
              )
            : bucket,
        ),
      );
      const values = Object.values(coverageFields(coverage, 1000));
      t.deepEqual(coverageOfFields(coverageFields(coverage, 1000)), coverage);
      values.forEach((value, index) => {
        t.true(value.length <= 2048);
        const nextFirst = values[index + 1]?.split(' ')[0];
        if (nextFirst === undefined) return;
        t.true(value.length + 1 + nextFirst.length > 2048);
        const lastHead = (value.split(' ').at(-1) ?? '').split(/[=:]/)[0] ?? '';
        if (nextFirst.startsWith(`${lastHead}:`)) t.true(value.length + 8 > 2048);
      });
    }),
    { numRuns: 150, seed: 12 },
  );
});

test('merging coverages of hours alone gives what the general normalization gives (which looks for covering buckets)', (t) => {
  // A folded month far from every generated hour covers none of them, but sends the merge down the general path.
  const faraway = makeBucket('199001', undefined, undefined, countOfEvents(1), NO_HASHES);
  let merged = 0;
  fc.assert(
    fc.property(coverageArbitrary, coverageArbitrary, (a, b) => {
      const direct = mergeCoverage(a, b);
      const general = new Map(mergeCoverage(mergeCoverage(a, sortedCoverage([faraway])), b));
      t.true(general.delete([...sortedCoverage([faraway]).keys()][0] ?? ''));
      if (direct.size > 1) merged += 1;
      t.deepEqual([...direct.entries()], [...general.entries()]);
    }),
    { numRuns: 200, seed: 20251125 },
  );
  t.true(merged > 100, `${merged}`);
});
