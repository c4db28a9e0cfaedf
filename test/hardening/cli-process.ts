import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { repoRoot } from '../support/repo-root.js';

export interface CliExit {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly exit: Promise<CliExit>;
}

/** The built CLI (dist/src/bin/lfvaudit.js) as its own process, in `cwd`, with exactly the environment given plus PATH. */
export function spawnLfvaudit(cwd: string, argv: readonly string[], env: Readonly<Record<string, string>>): CliProcess {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist/src/bin/lfvaudit.js'), ...argv], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = once(child, 'close').then(([status, signal]) => ({ status: status as number | null, signal: signal as NodeJS.Signals | null, stdout, stderr }));
  return { child, exit };
}
