import type { BenchRow } from './results-table.js';

/** A speed or memory target of issue 19, judged on the measured rows. */
export interface TargetVerdict {
  readonly target: string;
  readonly verdict: 'met' | 'not met' | 'not measured';
  readonly measured: string;
}

export interface TargetKeys {
  readonly typicalSet: string;
  readonly stormSet: string;
  readonly largeSet: string;
  readonly floor: string;
  readonly missionRules: string;
  readonly rulePack: string;
  readonly duckDb: string;
  readonly baseline: string;
}

/** Timings of the same build move by a few percent between interleaved runs; "no slower" allows that much. */
export const SAME_SPEED_TOLERANCE = 0.03;
export const RULE_PACK_FLOOR_SHARE = 0.6;
export const LARGE_PEAK_RSS_LIMIT_MB = 350;

export function judgeTargets(rows: readonly BenchRow[], keys: TargetKeys): TargetVerdict[] {
  const row = (set: string, key: string): BenchRow | undefined =>
    rows.find((candidate) => candidate.set === set && candidate.key === key && candidate.status === 'ok');
  const speed = (set: string, key: string): number | undefined => row(set, key)?.eventsPerSecond;
  // On a shared machine wall-clock time stretches with the load while CPU time barely moves: shown beside the verdict.
  const byCpu = (set: string, key: string, otherKey: string): string => {
    const [mine, other] = [row(set, key)?.cpuSeconds, row(set, otherKey)?.cpuSeconds];
    return mine === undefined || other === undefined ? '' : `; CPU s ${mine.toFixed(2)} vs ${other.toFixed(2)} (${(other / mine).toFixed(2)}×)`;
  };
  const verdicts: TargetVerdict[] = [];

  const lfv3 = speed(keys.typicalSet, keys.missionRules);
  const duck = speed(keys.typicalSet, keys.duckDb);
  verdicts.push(
    lfv3 === undefined || duck === undefined
      ? {
          target: `${keys.typicalSet}: lfvaudit with the three mission rules at least as fast as DuckDB (one thread)`,
          verdict: 'not measured',
          measured: lfv3 === undefined ? 'no lfvaudit row' : 'no DuckDB row',
        }
      : {
          target: `${keys.typicalSet}: lfvaudit with the three mission rules at least as fast as DuckDB (one thread)`,
          verdict: lfv3 >= duck ? 'met' : 'not met',
          measured: `${rate(lfv3)} vs ${rate(duck)} events/s (${(lfv3 / duck).toFixed(2)}×)${byCpu(keys.typicalSet, keys.missionRules, keys.duckDb)}`,
        },
  );

  const pack = speed(keys.typicalSet, keys.rulePack);
  const floor = speed(keys.typicalSet, keys.floor);
  const packTarget = `${keys.typicalSet}: lfvaudit with the 100-rule pack at least ${RULE_PACK_FLOOR_SHARE}× the parse floor`;
  verdicts.push(
    pack === undefined || floor === undefined
      ? { target: packTarget, verdict: 'not measured', measured: pack === undefined ? 'no lfvaudit row' : 'no floor row' }
      : {
          target: packTarget,
          verdict: pack >= RULE_PACK_FLOOR_SHARE * floor ? 'met' : 'not met',
          measured: `${rate(pack)} vs ${rate(floor)} events/s (${(pack / floor).toFixed(2)}×)${byCpu(keys.typicalSet, keys.rulePack, keys.floor)}`,
        },
  );

  const now = row(keys.stormSet, keys.rulePack)?.seconds;
  const before = row(keys.stormSet, keys.baseline)?.seconds;
  const stormTarget = `${keys.stormSet}: lfvaudit with the 100-rule pack no slower than the baseline (within ${SAME_SPEED_TOLERANCE * 100} %)`;
  verdicts.push(
    now === undefined || before === undefined
      ? { target: stormTarget, verdict: 'not measured', measured: before === undefined ? 'no baseline row (--baseline COMMIT)' : 'no lfvaudit row' }
      : {
          target: stormTarget,
          verdict: now <= before * (1 + SAME_SPEED_TOLERANCE) ? 'met' : 'not met',
          measured: `${now.toFixed(2)} s vs ${before.toFixed(2)} s (${(before / now).toFixed(2)}× the baseline's speed)${byCpu(keys.stormSet, keys.rulePack, keys.baseline)}`,
        },
  );

  const large = row(keys.largeSet, keys.rulePack);
  const largeTarget = `${keys.largeSet}: at most ${LARGE_PEAK_RSS_LIMIT_MB} MB peak RSS in every run, V8's default settings`;
  verdicts.push(
    large?.maxPeakRssMb === undefined
      ? { target: largeTarget, verdict: 'not measured', measured: 'no large row (--large)' }
      : {
          target: largeTarget,
          verdict: large.maxPeakRssMb <= LARGE_PEAK_RSS_LIMIT_MB ? 'met' : 'not met',
          measured: `highest ${Math.round(large.maxPeakRssMb)} MB, median ${Math.round(large.peakRssMb ?? 0)} MB`,
        },
  );
  return verdicts;
}

export function formatTargets(verdicts: readonly TargetVerdict[]): string {
  const width = Math.max(...verdicts.map((verdict) => verdict.verdict.length));
  return verdicts.map((verdict) => `${verdict.verdict.toUpperCase().padEnd(width)}  ${verdict.target}: ${verdict.measured}`).join('\n');
}

function rate(eventsPerSecond: number): string {
  return Math.round(eventsPerSecond).toLocaleString('en-US');
}
