import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledBenchDir } from './bench-paths.js';

/** One whole-process measurement: a fresh `node` running a script, timed from outside. */
export interface ProcessMeasurement {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** From spawn to exit, startup and module loading included. */
  readonly wallSeconds: number;
  readonly stdout: string;
  /** The last part of stderr (it can be long when a run fails). */
  readonly stderrTail: string;
  /** Summed over the process and every node process it started (an upper bound when they peak at different times). */
  readonly peakRssMb?: number;
  readonly cpuSeconds?: number;
  /** How many node processes reported their usage. */
  readonly processes: number;
}

export interface MeasureOptions {
  readonly script: string;
  readonly args: readonly string[];
  readonly timeoutSeconds: number;
  /** Where the preloaded report-usage script appends its lines; removed first. */
  readonly usageFile: string;
  readonly cwd: string;
  /** Variables added to the environment (e.g. credentials for a local S3). */
  readonly env?: Readonly<Record<string, string>>;
}

const STDOUT_LIMIT = 1 << 20;
const STDERR_TAIL = 16 << 10;
/** After SIGTERM, how long a process may take to stop before it is killed. */
const TERMINATE_GRACE_MS = 10_000;

export function measureNodeProcess(options: MeasureOptions): Promise<ProcessMeasurement> {
  rmSync(options.usageFile, { force: true });
  const preload = pathToFileURL(join(compiledBenchDir, 'report-usage.js')).href;
  const env = {
    ...process.env,
    ...options.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
    LFVAUDIT_BENCH_USAGE_FILE: options.usageFile,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [options.script, ...options.args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < STDOUT_LIMIT) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    let killTimer: NodeJS.Timeout | undefined;
    const stopTimer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), TERMINATE_GRACE_MS);
    }, options.timeoutSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(stopTimer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(stopTimer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      const wallSeconds = (performance.now() - started) / 1000;
      resolvePromise({ exitCode, signal, timedOut, wallSeconds, stdout, stderrTail: stderr, ...usageOf(options.usageFile) });
    });
  });
}

function usageOf(usageFile: string): { peakRssMb?: number; cpuSeconds?: number; processes: number } {
  if (!existsSync(usageFile)) return { processes: 0 };
  const lines = readFileSync(usageFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { maxRssKb: number; cpuSeconds: number });
  if (lines.length === 0) return { processes: 0 };
  return {
    peakRssMb: lines.reduce((sum, line) => sum + line.maxRssKb, 0) / 1024,
    cpuSeconds: lines.reduce((sum, line) => sum + line.cpuSeconds, 0),
    processes: lines.length,
  };
}
