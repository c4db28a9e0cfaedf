import test from 'ava';
import { formatTable, withFloorRatios, type BenchRow } from '../../bench/results-table.js';

const floor: BenchRow = {
  set: 'typical',
  key: 'floor',
  label: 'parse floor',
  status: 'ok',
  events: 200_000,
  seconds: 2,
  eventsPerSecond: 100_000,
  cpuSeconds: 1.9,
  peakRssMb: 120.4,
  note: 'runs 2.00 s',
};
const lfvaudit: BenchRow = {
  set: 'typical',
  key: 'lfvaudit-100',
  label: 'lfvaudit, 100-rule pack',
  status: 'ok',
  events: 200_000,
  seconds: 4,
  eventsPerSecond: 50_000,
  peakRssMb: 180.6,
  matches: 12_345,
  note: 'findings 7',
};

test('each row is compared with the parse floor of its own data set', (t) => {
  const stormFloor: BenchRow = { ...floor, set: 'alert-storm', eventsPerSecond: 25_000 };
  const rows = withFloorRatios([floor, stormFloor, lfvaudit, { ...lfvaudit, set: 'alert-storm' }], 'floor');
  t.deepEqual(
    rows.map((row) => row.ratioToFloor),
    [1, 1, 0.5, 2],
  );
});

test('the table pads columns, shows a dash where a row measured nothing, and names a failure in the note', (t) => {
  const failed: BenchRow = { set: 'typical', key: 'duckdb-3', label: 'DuckDB', status: 'unavailable', note: 'npm install @duckdb/node-api failed' };
  const text = formatTable(withFloorRatios([floor, lfvaudit, failed], 'floor'));
  t.is(
    text,
    [
      'data set  row                       events  median s  events/s  × floor  CPU s  peak RSS MB  matches  note',
      '----------------------------------------------------------------------------------------------------------',
      'typical   parse floor              200,000      2.00   100,000    1.00×   1.90          120        —  runs 2.00 s',
      'typical   lfvaudit, 100-rule pack  200,000      4.00    50,000    0.50×      —          181   12,345  findings 7',
      'typical   DuckDB                         —         —         —        —      —            —        —  UNAVAILABLE: npm install @duckdb/node-api failed',
    ].join('\n'),
  );
});
