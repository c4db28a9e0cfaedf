import test from 'ava';
import fc from 'fast-check';
import { coverageFields, coverageOfFields } from '../../src/findings/coverage-fields.js';
import {
  bucketHashesOf,
  bucketHashesText,
  bucketHashOfText,
  EventCoverageBuilder,
  makeBucket,
  mergeCoverage,
  NO_HASHES,
  sortedCoverage,
  unionOfHashes,
} from '../../src/coverage/event-coverage.js';
import { countOfEvents, hashesOfTexts, textsOfHashes } from '../support/coverage-hashes.js';

// A bucket keeps its hashes as sorted numbers whose order is their texts' order; text is made only of
// what a finding writes. Each test holds one step against the plain formula with texts in a Set.

const BASE64URL_CHARACTER = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
const HASH_TEXT = fc.string({ unit: BASE64URL_CHARACTER, minLength: 8, maxLength: 8 });
/** Texts from a small pool as well, so that two sides often share hashes. */
const TEXTS = fc.array(fc.oneof(HASH_TEXT, fc.constantFrom('AAAAAAAA', '________', '--------', 'zzzzzzzz', 'a0-_Zz9A')), { maxLength: 60 });

/** The plain formula: each text once, in code-unit order. */
function distinctSorted(texts: Iterable<string>): string[] {
  return [...new Set(texts)].sort();
}

function isStrictlyIncreasing(hashes: Float64Array): boolean {
  return hashes.every((hash, index) => index === 0 || (hashes[index - 1] ?? Number.NaN) < hash);
}

test('a hash text read as a number is written back as the same text, and numbers sort as their texts do', (t) => {
  fc.assert(
    fc.property(HASH_TEXT, HASH_TEXT, (a, b) => {
      const x = bucketHashOfText(a);
      const y = bucketHashOfText(b);
      if (x === undefined || y === undefined) return t.fail(`${a} or ${b} not read`);
      t.true(Number.isInteger(x) && x >= 0 && x < 2 ** 48);
      t.is(bucketHashesText(Float64Array.of(x)), a);
      t.is(Math.sign(x - y), a < b ? -1 : a > b ? 1 : 0);
    }),
    { numRuns: 3000, seed: 61 },
  );
  t.is(bucketHashesText(hashesOfTexts(['--------', '________', 'zzzzzzzz'])), '--------________zzzzzzzz');
});

test('a hash text with a character that is not base64url, or too short, is not read', (t) => {
  fc.assert(
    fc.property(HASH_TEXT, fc.nat({ max: 7 }), fc.constantFrom('=', '+', '/', ' ', '.', '~', '\u0000', '\u007f', 'é', '\uFF21', '\uD800'), (text, at, bad) => {
      t.is(bucketHashOfText(`${text.slice(0, at)}${bad}${text.slice(at + 1)}`), undefined);
      t.is(bucketHashOfText(text.slice(0, at)), undefined);
    }),
    { numRuns: 500, seed: 62 },
  );
  t.is(bucketHashOfText('xx--------', 2), 0, "'-' is the first base64url character in code-unit order");
  t.is(bucketHashOfText('zzzzzzzzxx'), 2 ** 48 - 1, "'z' is the last");
  t.is(bucketHashOfText('AAAAAAAA', 1), undefined);
});

test('hashes from any texts are sorted as their texts, each once', (t) => {
  fc.assert(
    fc.property(TEXTS, (texts) => {
      const hashes = hashesOfTexts(texts);
      t.true(isStrictlyIncreasing(hashes));
      t.deepEqual(textsOfHashes(hashes), distinctSorted(texts));
      t.deepEqual(bucketHashesOf(Float64Array.from(hashes)), hashes, 'sorted, distinct hashes stay as they are');
    }),
    { numRuns: 1000, seed: 63 },
  );
  t.is(bucketHashesOf(new Float64Array(0)), NO_HASHES);
});

test("the union of two buckets' hashes is the union of their texts, sorted, each once", (t) => {
  fc.assert(
    fc.property(TEXTS, TEXTS, (a, b) => {
      const union = unionOfHashes(hashesOfTexts(a), hashesOfTexts(b));
      t.true(isStrictlyIncreasing(union));
      t.deepEqual(textsOfHashes(union), distinctSorted([...a, ...b]));
      t.deepEqual(union, unionOfHashes(hashesOfTexts(b), hashesOfTexts(a)));
    }),
    { numRuns: 2000, seed: 64 },
  );
});

test("a stored entry's hashes read back sorted and each once, whatever order and repeats the text has", (t) => {
  fc.assert(
    fc.property(fc.array(HASH_TEXT, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (texts, picks) => {
      // The texts in a shuffled order with repeats, and the rest as a second entry of the same bucket.
      const listed = picks.map((pick) => texts[pick % texts.length] ?? '');
      const value = `2025100109/CreateDataset=2:${listed.join('')} 2025100109/CreateDataset:${texts.join('')}`;
      const bucket = coverageOfFields({ 'lfvaudit/Coverage/1': value }).get('["2025100109","CreateDataset",null]');
      t.deepEqual(bucket, makeBucket('2025100109', 'CreateDataset', undefined, countOfEvents(2), hashesOfTexts(texts)));
      if (bucket !== undefined) t.true(isStrictlyIncreasing(bucket.hashes));
    }),
    { numRuns: 500, seed: 65 },
  );
  const repeated = coverageOfFields({
    'lfvaudit/Coverage/1': '2025100109/CreateDataset:BBBBBBBBAAAAAAAABBBBBBBB',
    'lfvaudit/Coverage/2': '2025100109/CreateDataset:CCCCCCCCAAAAAAAA',
  });
  t.deepEqual(textsOfHashes([...repeated.values()][0]?.hashes ?? NO_HASHES), ['AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC']);
});

test('a stored entry with a hash that is not base64url is left out', (t) => {
  t.is(coverageOfFields({ 'lfvaudit/Coverage/1': '2025100109/CreateDataset:AAAAAAA=' }).size, 0);
  t.is(coverageOfFields({ 'lfvaudit/Coverage/1': '2025100109/CreateDataset:AAAAAAAAé' }).size, 0);
  t.is(coverageOfFields({ 'lfvaudit/Coverage/1': '2025100109/CreateDataset:AAAAAAAAB' }).size, 0);
});

test('coverage copied to another thread (structured clone) is deeply equal and writes the same fields', (t) => {
  const builder = new EventCoverageBuilder();
  for (let index = 0; index < 300; index += 1)
    builder.add({
      time: Date.UTC(2025, 9, 1, index % 5),
      eventName: index % 3 === 0 ? 'CreateDataset' : 'DeleteModel',
      errorCode: undefined,
      identity: `event-${index}`,
    });
  const coverage = mergeCoverage(builder.snapshot(), sortedCoverage([makeBucket('2025100100', 'CreateDataset', undefined, countOfEvents(4), NO_HASHES)]));
  const copy = structuredClone(coverage);
  t.deepEqual(copy, coverage);
  t.true([...copy.values()].every((bucket) => bucket.hashes instanceof Float64Array));
  t.deepEqual(coverageFields(copy, 5), coverageFields(coverage, 5));
});
