import test from 'ava';
import { fit, renderTable, type TableColumn } from '../../src/shared/text-table.js';

const columns: TableColumn[] = [
  { header: 'NAME', minWidth: 4 },
  { header: 'COUNT', minWidth: 5, align: 'right' },
  { header: 'NOTE', minWidth: 4 },
];

test('a table that fits keeps every cell whole', (t) => {
  t.deepEqual(renderTable(columns, [['alpha', '3', 'fine']], 40), ['NAME   COUNT  NOTE', 'alpha      3  fine']);
});

test('a table too wide shrinks its widest column first', (t) => {
  const lines = renderTable(columns, [['alpha', '3', 'a rather long note']], 24);
  t.deepEqual(lines, ['NAME   COUNT  NOTE', 'alpha      3  a rather…']);
});

test('no column shrinks below its minimum width', (t) => {
  const lines = renderTable(columns, [['a-very-long-name', '12345', 'a rather long note']], 10);
  t.deepEqual(lines, ['NAME  COUNT  NOTE', 'a-v…  12345  a r…']);
});

test('control characters in cells cannot break a row', (t) => {
  t.deepEqual(renderTable(columns, [['two\nlines', '1', '\u001b[31mred']], 40), ['NAME       COUNT  NOTE', 'two lines      1  [31mred']);
});

test('fit pads to the width or cuts with an ellipsis', (t) => {
  t.is(fit('ab', 4), 'ab  ');
  t.is(fit('ab', 4, 'right'), '  ab');
  t.is(fit('abcdef', 4), 'abc…');
  t.is(fit('😀😀😀', 2), '😀…');
});
