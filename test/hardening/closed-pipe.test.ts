import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { emulatorEnvironment, startAwsEmulator } from '../support/aws-emulator/index.js';
import { repoRoot } from '../support/repo-root.js';
import { loadEvents, nightlyProject, readState, storedFindings, windowsOf } from './nightly-job.js';

// `lfvaudit run | head -1`: the reader takes one line and closes the pipe. The next write to stdout then
// fails with EPIPE; unhandled, it ended the process with a stack trace and exit 1 (the status for
// findings), before the sinks after stdout were written, and left the run lock behind. A reader that
// stops early must end the stdout sink quietly; every other sink completes, the lock is released, and
// the run exits as it would have (here 0), recording its window.

interface PipedRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the reader took before closing the pipe. */
  readonly read: string;
  readonly stderr: string;
}

/** The built CLI with stdout piped into a reader that closes the pipe after `lines` lines (0: before anything is written). */
async function runIntoClosingReader(cwd: string, argv: readonly string[], env: Readonly<Record<string, string>>, lines: number): Promise<PipedRun> {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist/src/bin/lfvaudit.js'), ...argv], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let read = '';
  let stderr = '';
  const stdout = child.stdout;
  if (lines === 0) stdout.destroy();
  else {
    stdout.setEncoding('utf8').on('data', (chunk: string) => {
      read += chunk;
      if (read.split('\n').length > lines) stdout.destroy();
    });
  }
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [status, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { status, signal, read, stderr };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

for (const [label, format, lines] of [
  ['a JSON reader that closes after one line', 'json', 1],
  ['a table reader that closes before anything is written', 'table', 0],
] as const) {
  test.serial(`${label}: stdout ends quietly, the findings file and Security Hub are whole, the lock is released, the window recorded, exit 0`, async (t) => {
    const emulator = await startAwsEmulator();
    t.teardown(() => emulator.close());
    loadEvents(emulator, new Date(Date.now() - 5 * 3_600_000));
    const dir = await nightlyProject(t);
    const findingsFile = path.join(dir, 'findings.json');
    const run = await runIntoClosingReader(
      dir,
      ['run', '--format', format, '--sink', 'stdout', '--sink', `file:${findingsFile}`, '--sink', 'securityhub'],
      emulatorEnvironment(emulator),
      lines,
    );

    t.is(run.signal, null);
    t.is(run.status, 0, run.stderr);
    t.false(/internal error|EPIPE|at .*\.js:\d+/.test(run.stderr), run.stderr);
    const logLine = JSON.parse(run.stderr.split('\n').find((line) => line.startsWith('{"lfvaudit"')) ?? '{}') as Record<string, unknown>;
    t.like(logLine, { complete: true, sinkFailures: 0 });
    const findingCount = logLine['findings'] as number;
    t.true(findingCount > 100, `${findingCount} findings: too few for the output to outgrow the pipe`);

    // The reader got the start of stdout and nothing after it closed.
    if (lines === 1) t.is(run.read.split('\n')[0], '{');
    else t.is(run.read, '');
    // The sinks after stdout: the file is whole JSON with every finding, Security Hub holds them all.
    const written = (JSON.parse(await readFile(findingsFile, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
    t.is(written.length, findingCount);
    t.is(storedFindings(emulator).length, findingCount);
    // The lock is gone and the window is recorded: a reader stopping early is not an audit failure.
    t.false(await exists(path.join(dir, '.lfvaudit/state.json.lock')));
    t.is(Object.keys(windowsOf(await readState(dir))).length, 1);
    t.log(`${format}: ${findingCount} findings; the reader took ${run.read.length} characters of stdout`);
  });
}
