import test from 'ava';
import fc from 'fast-check';
import { coverageFields } from '../../src/findings/coverage-fields.js';
import { hourPeriodOf } from '../../src/coverage/periods.js';
import {
  bucketKey,
  CoverageKinds,
  EventCoverageBuilder,
  eventHashText,
  makeBucket,
  NO_DIGEST,
  NO_HASHES,
  sortedCoverage,
  type CoverageKind,
} from '../../src/coverage/event-coverage.js';
import { bufferHashText, countOfEvents, entriesOf, plainSnapshot } from '../support/coverage-hashes.js';

// The builder's snapshot, hash texts, bucket keys, hours and name encoding are worked out by hand for
// speed; each test here holds one against the plain formula it stands for.

const HASH_NUMBER = fc.tuple(fc.nat({ max: 2 ** 24 - 1 }), fc.nat({ max: 2 ** 24 - 1 })).map(([high, low]) => high * 2 ** 24 + low);

test("an event hash text is the base64url of the hash's six bytes", (t) => {
  fc.assert(
    fc.property(HASH_NUMBER, (hash) => {
      t.is(eventHashText(hash), bufferHashText(hash));
    }),
    { numRuns: 2000, seed: 3 },
  );
  t.is(eventHashText(0), 'AAAAAAAA');
  t.is(eventHashText(2 ** 48 - 1), '________');
});

test("a snapshot holds each bucket's distinct hash texts in text order and its buckets oldest first, whatever order events came in", (t) => {
  const kindArbitrary = fc.record({
    time: fc.option(fc.integer({ min: Date.UTC(2025, 9, 1), max: Date.UTC(2025, 9, 3) }), { nil: undefined }),
    eventName: fc.constantFrom('CreateDataset', 'DeleteProject', 'a"b', 'x\\y'),
    errorCode: fc.constantFrom(undefined, 'AccessDenied', 'Throttling'),
  });
  const eventsArbitrary = fc.tuple(
    fc.array(kindArbitrary, { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(fc.nat(), fc.oneof(HASH_NUMBER, fc.constantFrom(0, 1, 2 ** 48 - 1))), { maxLength: 80 }),
  );
  fc.assert(
    fc.property(eventsArbitrary, fc.boolean(), ([kindParts, picks], interned) => {
      const table = new CoverageKinds();
      const internedKinds = kindParts.map(({ time, eventName, errorCode }) => table.kindOf(time, eventName, errorCode));
      const events = picks.map(([pick, hash]) => {
        const at = pick % kindParts.length;
        const parts = kindParts[at];
        // Callers intern kinds, but a kind made afresh for each event must land in the same bucket.
        const kind = interned || parts === undefined ? internedKinds[at] : table.kindOf(parts.time, parts.eventName, parts.errorCode);
        return { kind, hash };
      });
      const builder = new EventCoverageBuilder(table);
      for (const { kind, hash } of events) if (kind !== undefined) builder.addHash(kind, hash);
      const expected = plainSnapshot(events.flatMap(({ kind, hash }) => (kind === undefined ? [] : [{ kind, hash }])));
      t.deepEqual(entriesOf(builder.snapshot()), expected);
    }),
    { numRuns: 500, seed: 5 },
  );
});

test("a snapshot of many events over many kinds is the plain formula's, as the builder grows", (t) => {
  // Past the first capacities and tens of thousands of kinds, as a busy group of a large run meets them.
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (events, repeats, seed) => {
      const table = new CoverageKinds();
      const kinds = Array.from({ length: Math.ceil(events / repeats) }, (_, hour) =>
        table.kindOf(Date.UTC(2020, 0, 1) + hour * 3_600_000, hour % 2 === 0 ? 'CreateDataset' : 'DeleteModel', undefined),
      );
      const builder = new EventCoverageBuilder(table);
      const added: { kind: CoverageKind; hash: number }[] = [];
      let state = seed;
      for (let index = 0; index < events; index += 1) {
        state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
        const kind = kinds[state % kinds.length] ?? kinds[0];
        // Some hashes repeat, as two events of one bucket sharing a hash would.
        const hash = index % 7 === 0 ? 42 : (state * 65_537 + index) % 2 ** 48;
        if (kind === undefined) continue;
        builder.addHash(kind, hash);
        added.push({ kind, hash });
      }
      t.deepEqual(entriesOf(builder.snapshot()), plainSnapshot(added));
    }),
    { numRuns: 6, seed: 11 },
  );
});

test('a builder refuses a kind numbered by another table, which it would read back as another kind', (t) => {
  const builder = new EventCoverageBuilder(new CoverageKinds());
  const foreign = new CoverageKinds().kindOf(Date.UTC(2025, 9, 1), 'CreateDataset', undefined);
  t.throws(() => builder.addHash(foreign, 1), { message: /not from this builder's table/ });
});

test('events added one by one share one numbered kind per bucket, and kinds from another table are interned by key', (t) => {
  const table = new CoverageKinds();
  const builder = new EventCoverageBuilder(table);
  for (let index = 0; index < 100; index += 1)
    builder.add({ time: Date.UTC(2025, 9, 1, 9, index % 60), eventName: 'CreateDataset', errorCode: undefined, identity: `event-${index}` });
  t.not(table.at(0), undefined);
  t.is(table.at(1), undefined, 'one kind for 100 events of one hour and call');
  const foreign = new CoverageKinds().kindOf(Date.UTC(2025, 9, 1, 9), 'CreateDataset', undefined);
  t.true(table.intern(foreign) === table.at(0), 'the same numbered kind');
  t.is(builder.snapshot().size, 1);
});

test('a bucket key is the JSON of its period, event name and error code', (t) => {
  const text = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9]{0,12}$/),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '😀'), maxLength: 8 }),
  );
  fc.assert(
    fc.property(text, fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), (period, eventName, errorCode) => {
      t.is(bucketKey(period, eventName, errorCode), JSON.stringify([period, eventName ?? null, errorCode ?? null]));
    }),
    { numRuns: 2000, seed: 8 },
  );
});

test('a bucket has the same keys in the same order as one spread together from its parts', (t) => {
  fc.assert(
    fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (eventName, errorCode) => {
      const hashes = NO_HASHES;
      const bucket = makeBucket('2025100109', eventName, errorCode, countOfEvents(3), hashes);
      const spread = {
        period: '2025100109',
        ...(eventName === undefined ? {} : { eventName }),
        ...(errorCode === undefined ? {} : { errorCode }),
        count: 3,
        countDigest: NO_DIGEST,
        countIsLowerBound: false,
        hashes,
      };
      t.deepEqual(Object.entries(bucket), Object.entries(spread));
    }),
    { numRuns: 50, seed: 9 },
  );
});

test('an hour period is the UTC date and hour of the time as toISOString writes them', (t) => {
  const isoHour = (epochMs: number): string => {
    const iso = new Date(epochMs).toISOString();
    return /^\d{4}-/.test(iso) ? `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}` : '-';
  };
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        fc.integer({ min: -62_200_000_000_000, max: 253_500_000_000_000 }),
        fc.integer({ min: 0, max: 4_200_000_000_000 }),
      ),
      (epochMs) => {
        t.is(hourPeriodOf(epochMs), isoHour(epochMs));
      },
    ),
    { numRuns: 3000, seed: 4 },
  );
  for (const edge of [-62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, -1, 0]) t.is(hourPeriodOf(edge), isoHour(edge));
  t.is(hourPeriodOf(Number.NaN), '-');
});

test("names in coverage entries are encodeURIComponent with !'()*~ escaped as well", (t) => {
  const name = fc.string({
    unit: fc.constantFrom('a', 'Z', '0', '_', '.', '-', '~', '!', '*', '(', ')', "'", ' ', '/', '=', ':', '%', 'é', '😀'),
    minLength: 1,
    maxLength: 20,
  });
  const encode = (text: string): string =>
    encodeURIComponent(text).replace(/[!'()*~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  fc.assert(
    fc.property(fc.oneof(name, fc.stringMatching(/^[A-Za-z0-9]{1,20}$/)), fc.option(name, { nil: undefined }), (eventName, errorCode) => {
      const coverage = sortedCoverage([makeBucket('2025100109', eventName, errorCode, countOfEvents(4), NO_HASHES)]);
      t.deepEqual(Object.values(coverageFields(coverage, 1)), [`2025100109/${encode(eventName)}${errorCode === undefined ? '' : `!${encode(errorCode)}`}=4`]);
    }),
    { numRuns: 1000, seed: 10 },
  );
});
