import test from 'ava';
import { medianPeakRow } from '../../bench/repeated-runs.js';
import type { BenchRow } from '../../bench/results-table.js';

const run = (peakRssMb: number, seconds: number): BenchRow => ({ key: 'lfvaudit-2gb', label: '2 GB', status: 'ok', events: 100, seconds, eventsPerSecond: 100 / seconds, peakRssMb, note: 'findings 3' });

test('several runs give the median-peak run, with every peak and how many stayed under the limit', (t) => {
  const row = medianPeakRow([run(316.2, 40), run(275.4, 41), run(301, 42), run(289.6, 43), run(295, 44)], 300);
  t.is(row.seconds, 44);
  t.is(row.peakRssMb, 295);
  t.is(row.note, 'findings 3; peak RSS over 5 runs: 275, 290, 295, 301, 316 MB, 3 under 300; this row is the median run');
});

test('an even number of runs gives the lower middle one', (t) => {
  t.is(medianPeakRow([run(310, 1), run(280, 2), run(290, 3), run(320, 4)], 300).seconds, 3);
});

test('one run is its own row, and a failed run is the row (a failure is not averaged away)', (t) => {
  const only = run(280, 5);
  t.is(medianPeakRow([only], 300), only);
  const failed: BenchRow = { key: 'lfvaudit-2gb', label: '2 GB', status: 'failed', note: 'exit 2' };
  t.is(medianPeakRow([run(280, 1), failed, run(290, 2)], 300), failed);
});
