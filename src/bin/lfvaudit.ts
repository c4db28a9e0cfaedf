#!/usr/bin/env node
import os from 'node:os';
import { ExitStatus } from '../cli/exit-status.js';
import { main } from '../cli/main.js';
import { ProcessOutput } from './process-output.js';

// The only module that touches the process: argv in, exit status out.

/** The first SIGINT or SIGTERM stops the run (a second one ends the process at once, as by default). */
let stoppedBy: NodeJS.Signals | undefined;
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stoppedBy ??= signal;
    controller.abort();
  });
}

const stdout = new ProcessOutput(process.stdout);
const stderr = new ProcessOutput(process.stderr);

main(process.argv.slice(2), {
  stdout,
  stderr,
  cwd: process.cwd(),
  env: process.env,
  now: () => new Date(),
  pid: process.pid,
  hostname: os.hostname(),
  signal: controller.signal,
}).then(
  (status) => finish(status),
  (error: unknown) => {
    if (stoppedBy !== undefined) {
      // The command gave up because it was asked to (its lock already released, no window recorded):
      // one line, no stack, and the shell's convention for a death by that signal.
      const status = 128 + os.constants.signals[stoppedBy];
      // On a terminal the line replaces the progress line the run was drawing.
      stderr.write(`${stderr.isTTY ? '\r\u001b[2K' : ''}lfvaudit: stopped by ${stoppedBy} before it finished; exit status ${status}\n`);
      // The SDK drops a call at the signal, but not a retry's backoff timer, which would keep the process
      // alive for up to its 20 s ceiling: once the stop line is out, the process ends.
      void Promise.all([stdout.flushed(), stderr.flushed()]).then(() => process.exit(status));
      return;
    }
    stderr.write(`lfvaudit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    finish(2);
  },
);

/** Sets the exit status once a failed write to stdout (reported as an event, after the fact) has had its turn. */
function finish(status: number): void {
  setImmediate(() => {
    const failure = stdout.failure;
    // Output that did not arrive makes a completed run incomplete (2); a stop by signal stays a stop.
    if (failure !== undefined && (status === ExitStatus.ok || status === ExitStatus.findings || status === ExitStatus.integrityConflict)) {
      stderr.write(`lfvaudit: error stdout-failed: ${failure.code ?? failure.message}; the findings on stdout are incomplete\n`);
      process.exitCode = 2;
      return;
    }
    process.exitCode = status;
  });
}
