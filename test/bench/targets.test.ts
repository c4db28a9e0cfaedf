import test from 'ava';
import type { BenchRow } from '../../bench/results-table.js';
import { formatTargets, judgeTargets, type TargetKeys } from '../../bench/targets.js';

const KEYS: TargetKeys = {
  typicalSet: 'typical',
  stormSet: 'alert-storm',
  largeSet: 'typical-2gb',
  floor: 'floor',
  missionRules: 'lfvaudit-3',
  rulePack: 'lfvaudit-100',
  duckDb: 'duckdb-3',
  baseline: 'baseline-100',
};
const row = (set: string, key: string, fields: Partial<BenchRow>): BenchRow => ({ set, key, label: key, status: 'ok', note: '', ...fields });

test('every target is judged from the rows it needs', (t) => {
  const verdicts = judgeTargets(
    [
      row('typical', 'floor', { eventsPerSecond: 100_000 }),
      row('typical', 'lfvaudit-3', { eventsPerSecond: 90_000, cpuSeconds: 2 }),
      row('typical', 'duckdb-3', { eventsPerSecond: 60_000, cpuSeconds: 3.2 }),
      row('typical', 'lfvaudit-100', { eventsPerSecond: 50_000 }),
      row('alert-storm', 'lfvaudit-100', { seconds: 10.2 }),
      row('alert-storm', 'baseline-100', { seconds: 10 }),
      row('typical-2gb', 'lfvaudit-100', { peakRssMb: 300, maxPeakRssMb: 351 }),
    ],
    KEYS,
  );
  t.deepEqual(
    verdicts.map((verdict) => verdict.verdict),
    ['met', 'not met', 'met', 'not met'],
  );
  t.is(verdicts[0]?.measured, '90,000 vs 60,000 events/s (1.50×); CPU s 2.00 vs 3.20 (1.60×)');
  t.is(verdicts[1]?.measured, '50,000 vs 100,000 events/s (0.50×)', 'no CPU figure where a row has none');
  t.is(verdicts[3]?.measured, 'highest 351 MB, median 300 MB');
});

test('a target whose rows are missing or failed is not measured, and says which row is missing', (t) => {
  const verdicts = judgeTargets([row('typical', 'lfvaudit-3', { eventsPerSecond: 1 }), { ...row('typical', 'duckdb-3', {}), status: 'unavailable' }], KEYS);
  t.deepEqual(
    verdicts.map((verdict) => [verdict.verdict, verdict.measured]),
    [
      ['not measured', 'no DuckDB row'],
      ['not measured', 'no lfvaudit row'],
      ['not measured', 'no baseline row (--baseline COMMIT)'],
      ['not measured', 'no large row (--large)'],
    ],
  );
  t.regex(
    formatTargets(verdicts),
    /^NOT MEASURED {2}typical: lfvaudit with the three mission rules at least as fast as DuckDB \(one thread\): no DuckDB row$/m,
  );
});
