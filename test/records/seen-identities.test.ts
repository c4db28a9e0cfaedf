import test from 'ava';
import fc from 'fast-check';
import { identityDigest } from '../../src/records/record-identity.js';
import { SeenIdentities } from '../../src/records/seen-identities.js';

test('an identity is first once, then a redelivery with the same fingerprint, across growth of the table', (t) => {
  const seen = new SeenIdentities();
  const identities = Array.from({ length: 200_000 }, (_, index) => `event-${index}`);
  t.true(identities.every((identity, index) => seen.add(identityDigest(identity), index) === 'first'));
  t.is(seen.size, identities.length);
  t.true(identities.every((identity, index) => seen.add(identityDigest(identity), index) === 'redelivery'));
  t.is(seen.size, identities.length);
});

test('an identity seen again with another fingerprint is a conflict, kept apart from redeliveries, across growth of the table', (t) => {
  const seen = new SeenIdentities();
  const identities = Array.from({ length: 200_000 }, (_, index) => `event-${index}`);
  for (const [index, identity] of identities.entries()) seen.add(identityDigest(identity), index);
  t.true(identities.every((identity, index) => seen.add(identityDigest(identity), index + 1) === 'conflict'));
  // The first record's fingerprint is the one kept.
  t.true(identities.every((identity, index) => seen.add(identityDigest(identity), index) === 'redelivery'));
  t.is(seen.size, identities.length);
});

test('answers like a Map of identity to first fingerprint for any sequence', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }), (sightings) => {
      const seen = new SeenIdentities();
      const reference = new Map<string, number>();
      for (const [identity, fingerprint] of sightings) {
        const first = reference.get(identity);
        const expected = first === undefined ? 'first' : first === fingerprint ? 'redelivery' : 'conflict';
        if (first === undefined) reference.set(identity, fingerprint);
        if (seen.add(identityDigest(identity), fingerprint) !== expected) return false;
      }
      return seen.size === reference.size;
    }),
    { numRuns: 200, seed: 6 },
  );
  t.pass();
});

test('a digest whose key bits are all zero is remembered too, with its fingerprint', (t) => {
  const seen = new SeenIdentities();
  const zero = new Uint8Array(32);
  t.is(seen.add(zero, 7), 'first');
  t.is(seen.add(zero, 7), 'redelivery');
  t.is(seen.add(zero, 8), 'conflict');
  const other = new Uint8Array(32);
  other[13] = 1;
  t.is(seen.add(other, 7), 'first');
  t.is(seen.size, 2);
});

test('after clear every record is first again, and the table works as before', (t) => {
  const seen = new SeenIdentities();
  const identities = Array.from({ length: 100_000 }, (_, index) => `event-${index}`);
  for (const identity of identities) seen.add(identityDigest(identity), 1);
  seen.add(new Uint8Array(32), 1);
  seen.clear();
  t.is(seen.size, 0);
  t.is(seen.add(new Uint8Array(32), 2), 'first');
  t.true(identities.every((identity) => seen.add(identityDigest(identity), 2) === 'first'));
  t.true(identities.every((identity) => seen.add(identityDigest(identity), 2) === 'redelivery'));
  t.is(seen.size, identities.length + 1);
});

test('700,000 records take 12 MiB: 12 bytes a slot, slots filled up to three quarters', (t) => {
  const seen = new SeenIdentities();
  for (let index = 0; index < 700_000; index += 1) seen.add(identityDigest(`event-${index}`), index);
  t.is(seen.size, 700_000);
  t.is(seen.byteLength, 12 * 2 ** 20);
});
