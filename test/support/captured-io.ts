import type { CliIo } from '../../src/cli/cli-io.js';

/** A CliIo whose output is kept in strings, for running `main()` in-process. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function capturedIo(
  cwd: string,
  options: { readonly now?: Date; readonly env?: Record<string, string | undefined>; readonly tty?: boolean } = {},
): CapturedIo {
  let out = '';
  let err = '';
  const now = options.now ?? new Date('2025-10-25T12:00:00Z');
  return {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty ?? false, columns: 120 },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false, columns: 120 },
    cwd,
    env: options.env ?? {},
    now: () => now,
    pid: process.pid,
    hostname: 'test-host',
    out: () => out,
    err: () => err,
  };
}
