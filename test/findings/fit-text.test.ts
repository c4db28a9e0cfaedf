import test from 'ava';
import { singleLine, truncateText } from '../../src/findings/fit-text.js';

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
