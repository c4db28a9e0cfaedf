import test from 'ava';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../../src/shared/atomic-write-file.js';
import { tempFolder } from '../support/temp-folder.js';

test('pieces land as the UTF-8 of each piece in order, whatever their sizes and characters', async (t) => {
  const folder = tempFolder(t, 'atomic-write');
  const file = path.join(folder, 'out.txt');
  // Repeats make pieces from a few bytes to a few MB: many small ones fill the write buffer, some cross
  // its end, some are larger than it. `binary` strings hold lone surrogates and astral characters too.
  const piece = fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 50_000, max: 300_000 })))
    .map(([text, times]) => text.repeat(times));
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
      await writeFileAtomically(file, pieces);
      const expected = Buffer.concat(pieces.map((text) => Buffer.from(text, 'utf8')));
      return (await readFile(file)).equals(expected);
    }),
    { numRuns: 15, seed: 11 },
  );
  t.pass();
});

test('a single string is written as its UTF-8', async (t) => {
  const folder = tempFolder(t, 'atomic-write');
  const file = path.join(folder, 'out.txt');
  await writeFileAtomically(file, 'façade … 🦊\n');
  t.is(await readFile(file, 'utf8'), 'façade … 🦊\n');
});
