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
  /** A full garbage collection of the process's heap, run between the audit's phases (see AuditOptions.collectGarbage). */
  readonly collectGarbage?: () => void;
  /**
   * Caps how far V8 lets the process's heap grow between full collections (src/bin/heap-growth.ts). A run
   * on one thread asks for it: a predictable peak for a few % of CPU. Worker runs do not: there it costs
   * about 7 % of their wall time, and they are what a user picks for speed.
   */
  readonly limitHeapGrowth?: () => void;
}
