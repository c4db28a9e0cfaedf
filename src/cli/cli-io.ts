/** Everything the CLI may touch of the process, passed in so `main()` runs in tests without spawning. */
export interface OutputStream {
  write(text: string): unknown;
  /** True on a terminal: progress lines and colour; false in a pipe: quiet, machine-friendly. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** Identify this run in the run lock. */
  readonly pid: number;
  readonly hostname: string;
  readonly signal?: AbortSignal;
}
