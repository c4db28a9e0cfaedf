import test from 'ava';
import fc from 'fast-check';
import { CHUNK_EVENTS, CoverageEventStore } from '../../src/coverage/event-store.js';
import { CoverageKinds, EventCoverageBuilder, type NumberedCoverageKind } from '../../src/coverage/event-coverage.js';
import { entriesOf, plainSnapshot } from '../support/coverage-hashes.js';

const HOUR_MS = 60 * 60 * 1000;

test('builders sharing one store each give back exactly their own events, however their additions interleave', (t) => {
  // Up to 6,000 events: past many chunks and several slabs (they start at 16 chunks and double).
  const additions = fc.array(fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 2 ** 48 - 1 }), fc.nat({ max: 5 })), { minLength: 1, maxLength: 6000, size: 'max' });
  let crossedSlabs = 0;
  fc.assert(
    fc.property(additions, (events) => {
      const kinds = new CoverageKinds();
      const kindTable: NumberedCoverageKind[] = [];
      for (let index = 0; index < 6; index += 1) kindTable.push(kinds.kindOf(index * HOUR_MS, 'CreateDataset', undefined));
      const store = new CoverageEventStore();
      const builders = Array.from({ length: 5 }, () => new EventCoverageBuilder(kinds, store));
      const expected: { hashes: number[]; kinds: NumberedCoverageKind[] }[] = builders.map(() => ({ hashes: [], kinds: [] }));
      for (const [builder, hash, kind] of events) {
        const numbered = kindTable[kind] as NumberedCoverageKind;
        builders[builder]?.addHash(numbered, hash);
        expected[builder]?.hashes.push(hash);
        expected[builder]?.kinds.push(numbered);
      }
      if (events.length > 16 * CHUNK_EVENTS * 3) crossedSlabs += 1;
      builders.forEach((builder, index) => {
        const own = expected[index] as { hashes: number[]; kinds: NumberedCoverageKind[] };
        t.deepEqual(entriesOf(builder.snapshot()), plainSnapshot(own.hashes.map((hash, at) => ({ hash, kind: own.kinds[at] as NumberedCoverageKind }))));
      });
    }),
    { numRuns: 60, seed: 20261203 },
  );
  t.true(crossedSlabs > 10, `${crossedSlabs}`);
});

test('a store hands out chunks that never overlap, across slabs', (t) => {
  const store = new CoverageEventStore();
  const chunks = new Set<number>();
  let previous = -1;
  for (let index = 0; index < 5000; index += 1) {
    const chunk = store.newChunk(previous);
    t.false(chunks.has(chunk));
    chunks.add(chunk);
    for (let offset = 0; offset < CHUNK_EVENTS; offset += 1) store.set(chunk, offset, index * CHUNK_EVENTS + offset, index);
    previous = chunk;
  }
  const size = 5000 * CHUNK_EVENTS;
  const hashes: number[] = [];
  const kindNumbers: number[] = [];
  store.visitChain([...chunks][0] as number, size, (hash, kindNumber) => {
    hashes.push(hash);
    kindNumbers.push(kindNumber);
  });
  t.deepEqual(
    hashes,
    Array.from({ length: size }, (_, at) => at),
  );
  t.deepEqual(
    kindNumbers,
    Array.from({ length: size }, (_, at) => Math.floor(at / CHUNK_EVENTS)),
  );
  // A chain is as long as what was stored in it: asking for more is a bug, reported.
  t.throws(() => store.visitChain([...chunks][4999] as number, CHUNK_EVENTS + 1, () => undefined), { message: /shorter than its size/ });
});

test('a store gives back every 48-bit hash and 32-bit kind number exactly, whether or not a slab holds kinds of 65,536 and up', (t) => {
  // Edges first: the bits at which an event is split into parts (32 for hashes, 16 for kinds).
  const hash = fc.oneof(fc.constantFrom(0, 2 ** 16 - 1, 2 ** 16, 2 ** 32 - 1, 2 ** 32, 2 ** 48 - 1), fc.nat({ max: 2 ** 48 - 1 }));
  const kindNumber = fc.oneof(fc.constantFrom(0, 2 ** 16 - 1, 2 ** 16, 2 ** 32 - 1), fc.nat({ max: 2 ** 16 - 1 }), fc.nat({ max: 2 ** 32 - 1 }));
  let mixedSlabs = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(hash, kindNumber), { minLength: 1, maxLength: 3000 }), (events) => {
      const store = new CoverageEventStore();
      let chunk = -1;
      let first = -1;
      events.forEach(([eventHash, kind], index) => {
        if (index % CHUNK_EVENTS === 0) {
          chunk = store.newChunk(chunk);
          if (first < 0) first = chunk;
        }
        store.set(chunk, index % CHUNK_EVENTS, eventHash, kind);
      });
      const back: [number, number][] = [];
      store.visitChain(first, events.length, (eventHash, kind) => back.push([eventHash, kind]));
      t.deepEqual(back, events);
      if (events.some(([, kind]) => kind >= 2 ** 16) && events.some(([, kind]) => kind < 2 ** 16)) mixedSlabs += 1;
    }),
    { numRuns: 100, seed: 20261203 },
  );
  t.true(mixedSlabs > 10, `${mixedSlabs}`);
});
