import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInterleaved, type RunOutcome } from './interleaved-runs.js';
import { measureNodeProcess } from './measure-process.js';

/** Issue 17, point 8: `--help` and `rules validate` of the built-in pack within this many seconds, wall clock. */
export const STARTUP_TARGET_SECONDS = 0.25;
/** Each start-up row takes well under a second: more runs than the data rows, for a steady median. */
export const DEFAULT_STARTUP_RUNS = 11;

interface StartupJob {
  readonly key: string;
  readonly label: string;
  /** What node is started with: a script and its arguments, or `-e 0`. */
  readonly argv: readonly string[];
  /** The exit status the command gives when it works as it should. */
  readonly exitCode: number;
  readonly targetSeconds?: number;
}

export interface StartupRow {
  readonly key: string;
  readonly label: string;
  readonly status: 'ok' | 'failed';
  /** Median wall-clock seconds from spawn to exit, and the median CPU seconds (user + system). */
  readonly seconds?: number;
  readonly cpuSeconds?: number;
  readonly runSeconds: readonly number[];
  readonly targetSeconds?: number;
  readonly verdict?: 'met' | 'not met';
  readonly note: string;
}

/**
 * The start-up rows: fresh node processes that do little besides starting, against plain `node -e 0`.
 * They run in `projectDir`, a folder with an empty package.json (no config is found above it) and an
 * empty `events/` folder, so `rules validate` reads the built-in pack and `run` finds no records (exit 2,
 * as an empty input must).
 */
export async function measureStartup(options: {
  readonly lfvauditBin: string;
  readonly projectDir: string;
  readonly runs: number;
  readonly log: (line: string) => void;
}): Promise<StartupRow[]> {
  mkdirSync(join(options.projectDir, 'events'), { recursive: true });
  writeFileSync(join(options.projectDir, 'package.json'), '{}\n');
  const lfvaudit = (args: readonly string[]): readonly string[] => [options.lfvauditBin, ...args];
  const jobs: readonly StartupJob[] = [
    { key: 'node', label: 'node -e 0', argv: ['-e', '0'], exitCode: 0 },
    { key: 'help', label: 'lfvaudit --help', argv: lfvaudit(['--help']), exitCode: 0, targetSeconds: STARTUP_TARGET_SECONDS },
    { key: 'version', label: 'lfvaudit --version', argv: lfvaudit(['--version']), exitCode: 0 },
    {
      key: 'rules-validate',
      label: 'lfvaudit rules validate (built-in pack)',
      argv: lfvaudit(['rules', 'validate']),
      exitCode: 0,
      targetSeconds: STARTUP_TARGET_SECONDS,
    },
    {
      key: 'run-empty',
      label: 'lfvaudit run over an empty folder',
      argv: lfvaudit(['run', '--source', 'file:events', '--sink', 'file:findings.json']),
      exitCode: 2,
    },
  ];
  const cpuByJob = new Map<StartupJob, number[]>();
  const outcomes = await runInterleaved(jobs, options.runs, async (job, round): Promise<RunOutcome> => {
    if (round === 0) options.log(`start-up: ${job.label} × ${options.runs}`);
    const [script = '', ...args] = job.argv;
    const measurement = await measureNodeProcess({
      script,
      args,
      timeoutSeconds: 60,
      usageFile: join(options.projectDir, `${job.key}.usage.jsonl`),
      cwd: options.projectDir,
    });
    if (measurement.exitCode !== job.exitCode)
      return {
        status: 'failed',
        note: `exit ${measurement.exitCode ?? measurement.signal ?? '?'} (expected ${job.exitCode})`,
        seconds: measurement.wallSeconds,
      };
    if (measurement.cpuSeconds !== undefined) cpuByJob.set(job, [...(cpuByJob.get(job) ?? []), measurement.cpuSeconds]);
    return { status: 'ok', events: 0, seconds: measurement.wallSeconds };
  });
  return jobs.map((job, index) => {
    const runs = outcomes[index] ?? [];
    const failed = runs.find((run) => run.status !== 'ok');
    const runSeconds = runs.flatMap((run) => (run.status === 'ok' ? [run.seconds] : []));
    const base = { key: job.key, label: job.label, runSeconds, ...(job.targetSeconds === undefined ? {} : { targetSeconds: job.targetSeconds }) };
    if (failed !== undefined && 'note' in failed) return { ...base, status: 'failed', note: failed.note };
    const seconds = median(runSeconds);
    const cpu = cpuByJob.get(job) ?? [];
    return {
      ...base,
      status: 'ok',
      seconds,
      ...(cpu.length === 0 ? {} : { cpuSeconds: median(cpu) }),
      ...(job.targetSeconds === undefined ? {} : { verdict: seconds <= job.targetSeconds ? 'met' : 'not met' }),
      note: `runs ${runSeconds.map((value) => value.toFixed(2)).join(', ')} s`,
    };
  });
}

/** The start-up table: median and CPU seconds, the time beyond plain node's, and the target where there is one. */
export function formatStartupTable(rows: readonly StartupRow[]): string {
  const node = rows.find((row) => row.key === 'node' && row.status === 'ok');
  const header = ['start-up', 'median s', 'CPU s', 'beyond node s', 'target', 'verdict'];
  const lines = rows.map((row) => [
    row.label,
    row.seconds?.toFixed(3) ?? '—',
    row.cpuSeconds?.toFixed(3) ?? '—',
    row.key === 'node' || row.seconds === undefined || node?.seconds === undefined ? '—' : (row.seconds - node.seconds).toFixed(3),
    row.targetSeconds === undefined ? '' : `≤ ${row.targetSeconds.toFixed(2)} s`,
    row.status === 'ok' ? (row.verdict?.toUpperCase() ?? '') : `FAILED: ${row.note}`,
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...lines.map((line) => (line[index] ?? '').length)));
  return [header, ...lines]
    .map((line) =>
      line
        .map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The middle value; the lower middle one for an even count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}
