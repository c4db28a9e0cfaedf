import test from 'ava';
import fc from 'fast-check';
import { singleLine, truncateText, wrapText } from '../../src/shared/fit-text.js';

test('text within the limit is left as it is', (t) => {
  t.is(truncateText('short', 5), 'short');
});

test('text over the limit is cut to the limit and ends in an ellipsis', (t) => {
  const cut = truncateText('abcdefghij', 5);
  t.is(cut, 'abcd…');
  t.is(cut.length, 5);
});

test('a cut never splits a surrogate pair', (t) => {
  const cut = truncateText('abc😀def', 5);
  t.is(cut, 'abc…');
  // encodeURIComponent throws on a lone surrogate.
  t.notThrows(() => encodeURIComponent(cut));
});

test('control characters and runs of whitespace become one space', (t) => {
  t.is(singleLine('  a\nb\t\tc\u0000d\r\n '), 'a b c d');
});

test('singleLine gives what replacing every run of whitespace and control characters with a space and trimming gives', (t) => {
  const character = fc.constantFrom(
    'a',
    'Z',
    '…',
    '😀',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u2028',
    '\u3000',
    '\ufeff',
    '\u200b',
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: character, maxLength: 30 }),
        fc.string({ unit: fc.constantFrom('a', '…', ' '), maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
      ),
      (text) => {
        t.is(singleLine(text), text.replace(/[\s\p{Cc}]+/gu, ' ').trim());
      },
    ),
    { numRuns: 2000, seed: 6 },
  );
});

test('wrapText breaks at spaces, never makes a line wider than asked, and loses nothing', (t) => {
  t.deepEqual(wrapText('Lookout for Vision API called with root user credentials: root (weld-seam-inspection)', 40), [
    'Lookout for Vision API called with root',
    'user credentials: root',
    '(weld-seam-inspection)',
  ]);
  t.deepEqual(wrapText('arn:aws:iam::123456789012:role/a-very-long-role-name', 20), ['arn:aws:iam::1234567', '89012:role/a-very-lo', 'ng-role-name']);
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-zé€𝒜]{1,30}$/u), { maxLength: 20 }), fc.integer({ min: 1, max: 50 }), (words, width) => {
      const text = words.join(' ');
      const lines = wrapText(text, width);
      t.true(lines.every((line) => [...line].length <= width));
      t.is(lines.join(' ').replace(/ /g, ''), text.replace(/ /g, ''));
    }),
    { seed: 20261207, numRuns: 200 },
  );
});
