import test from 'ava';

import { positionAt } from '../../src/records/text-position.js';

test('the first character is at line 1, column 1', (t) => {
  t.deepEqual(positionAt('abc', 0), { line: 1, column: 1 });
});

test('a character after a newline starts a new line', (t) => {
  t.deepEqual(positionAt('ab\ncd\nef', 4), { line: 2, column: 2 });
  t.deepEqual(positionAt('ab\ncd\nef', 6), { line: 3, column: 1 });
});

test('the newline itself ends its own line', (t) => {
  t.deepEqual(positionAt('ab\ncd', 2), { line: 1, column: 3 });
});

test('the end of the text is a position after its last character', (t) => {
  t.deepEqual(positionAt('ab\n', 3), { line: 2, column: 1 });
});
