/** What one run of one row gave. */
export type RunOutcome =
  | { readonly status: 'ok'; readonly events: number; readonly seconds: number; readonly cpuSeconds?: number; readonly peakRssMb?: number }
  | { readonly status: 'failed' | 'timed out' | 'unavailable'; readonly note: string; readonly seconds?: number };

export interface RunSummary {
  readonly outcome: RunOutcome;
  /** Every ok run's seconds, in the order they ran. */
  readonly runSeconds: readonly number[];
  readonly maxPeakRssMb?: number;
}

/**
 * Runs every job `runs` times, round by round (job 1, job 2, …, then again), so that a change in the
 * machine's load falls on all rows alike instead of on whichever row ran during it. A job that failed,
 * timed out or is unavailable is not run again.
 */
export async function runInterleaved<Job>(
  jobs: readonly Job[],
  runs: number,
  measure: (job: Job, round: number) => Promise<RunOutcome>,
): Promise<RunOutcome[][]> {
  const outcomes: RunOutcome[][] = jobs.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [index, job] of jobs.entries()) {
      const previous = outcomes[index] as RunOutcome[];
      if (previous.some((outcome) => outcome.status !== 'ok')) continue;
      previous.push(await measure(job, round));
    }
  }
  return outcomes;
}

/**
 * The median run (by wall-clock seconds; the lower middle one for an even count) with the median peak RSS.
 * A run that failed is the result: a failure is not averaged away.
 */
export function medianOfRuns(outcomes: readonly RunOutcome[]): RunSummary {
  const failed = outcomes.find((outcome) => outcome.status !== 'ok');
  const ok = outcomes.filter((outcome): outcome is Extract<RunOutcome, { status: 'ok' }> => outcome.status === 'ok');
  const runSeconds = ok.map((outcome) => outcome.seconds);
  if (failed !== undefined) return { outcome: failed, runSeconds };
  if (ok.length === 0) throw new Error('bug: a row without runs');
  const median = lowerMiddle([...ok].sort((a, b) => a.seconds - b.seconds));
  const peaks = ok.map((outcome) => outcome.peakRssMb).filter((peak): peak is number => peak !== undefined);
  const peakRssMb = peaks.length === 0 ? undefined : lowerMiddle([...peaks].sort((a, b) => a - b));
  return {
    outcome: { ...median, ...(peakRssMb === undefined ? {} : { peakRssMb }) },
    runSeconds,
    ...(peaks.length === 0 ? {} : { maxPeakRssMb: Math.max(...peaks) }),
  };
}

function lowerMiddle<T>(sorted: readonly T[]): T {
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}
