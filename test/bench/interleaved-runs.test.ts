import test from 'ava';
import { medianOfRuns, runInterleaved, type RunOutcome } from '../../bench/interleaved-runs.js';

const ok = (seconds: number, peakRssMb?: number): RunOutcome => ({ status: 'ok', events: 100, seconds, ...(peakRssMb === undefined ? {} : { peakRssMb }) });

test('rows run round by round, so a slow spell of the machine falls on every row alike', async (t) => {
  const order: string[] = [];
  await runInterleaved(['a', 'b', 'c'], 2, (job, round) => {
    order.push(`${job}${round}`);
    return Promise.resolve(ok(1));
  });
  t.deepEqual(order, ['a0', 'b0', 'c0', 'a1', 'b1', 'c1']);
});

test('a row that failed is not run again', async (t) => {
  const order: string[] = [];
  const outcomes = await runInterleaved(['a', 'b'], 3, (job, round) => {
    order.push(`${job}${round}`);
    return Promise.resolve<RunOutcome>(job === 'a' ? { status: 'failed', note: 'exit 2' } : ok(1));
  });
  t.deepEqual(order, ['a0', 'b0', 'b1', 'b2']);
  t.is(outcomes[0]?.length, 1);
});

test('the median run by seconds, with the median and the highest peak RSS over all runs', (t) => {
  const summary = medianOfRuns([ok(3.1, 300), ok(2.9, 280), ok(3.5, 320)]);
  t.deepEqual(summary, { outcome: { status: 'ok', events: 100, seconds: 3.1, peakRssMb: 300 }, runSeconds: [3.1, 2.9, 3.5], maxPeakRssMb: 320 });
});

test('an even number of runs gives the lower middle one', (t) => {
  t.like(medianOfRuns([ok(4), ok(1), ok(3), ok(2)]).outcome, { seconds: 2 });
});

test('a failed run is the result: a failure is not averaged away', (t) => {
  const failed: RunOutcome = { status: 'timed out', note: 'stopped after 600 s', seconds: 600 };
  t.is(medianOfRuns([ok(1), failed]).outcome, failed);
});
