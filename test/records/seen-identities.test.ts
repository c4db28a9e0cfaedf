import test from 'ava';
import fc from 'fast-check';
import { identityDigest } from '../../src/records/record-identity.js';
import { SeenIdentities } from '../../src/records/seen-identities.js';

test('an identity is new once, then seen, across growth of the table', (t) => {
  const seen = new SeenIdentities();
  const identities = Array.from({ length: 200_000 }, (_, index) => `event-${index}`);
  t.true(identities.every((identity) => seen.addIfNew(identityDigest(identity))));
  t.is(seen.size, identities.length);
  t.false(identities.some((identity) => seen.addIfNew(identityDigest(identity))));
  t.is(seen.size, identities.length);
});

test('answers like a Set of identities for any sequence', (t) => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 300 }), (identities) => {
      const seen = new SeenIdentities();
      const reference = new Set<string>();
      for (const identity of identities) {
        const expected = !reference.has(identity);
        reference.add(identity);
        if (seen.addIfNew(identityDigest(identity)) !== expected) return false;
      }
      return seen.size === reference.size;
    }),
    { numRuns: 200, seed: 6 },
  );
  t.pass();
});

test('a digest whose key bits are all zero is remembered too', (t) => {
  const seen = new SeenIdentities();
  const zero = new Uint8Array(32);
  t.true(seen.addIfNew(zero));
  t.false(seen.addIfNew(zero));
  const other = new Uint8Array(32);
  other[13] = 1;
  t.true(seen.addIfNew(other));
  t.is(seen.size, 2);
});

test('after clear every record is new again, and the table works as before', (t) => {
  const seen = new SeenIdentities();
  const identities = Array.from({ length: 100_000 }, (_, index) => `event-${index}`);
  for (const identity of identities) seen.addIfNew(identityDigest(identity));
  seen.addIfNew(new Uint8Array(32));
  seen.clear();
  t.is(seen.size, 0);
  t.true(seen.addIfNew(new Uint8Array(32)));
  t.true(identities.every((identity) => seen.addIfNew(identityDigest(identity))));
  t.false(identities.some((identity) => seen.addIfNew(identityDigest(identity))));
  t.is(seen.size, identities.length + 1);
});

test('700,000 records take 8 MiB: 8 bytes a slot, slots filled up to three quarters', (t) => {
  const seen = new SeenIdentities();
  for (let index = 0; index < 700_000; index += 1) seen.addIfNew(identityDigest(`event-${index}`));
  t.is(seen.size, 700_000);
  t.is(seen.byteLength, 8 * 2 ** 20);
});
