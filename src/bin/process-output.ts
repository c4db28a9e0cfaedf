import type { OutputStream } from '../cli/cli-io.js';

/**
 * The process's stdout or stderr as the CLI writes to it. A reader that stops early
 * (`lfvaudit run | head -1`) closes the pipe; the next write fails with EPIPE, which Node reports as an
 * 'error' event that would end the process with a stack trace, before the other sinks, the state and
 * the lock. Here it ends this output quietly: later writes are dropped and the run goes on. Any other
 * write error (a full disk under `> findings.txt`) is kept as {@link failure}, for the exit status.
 */
export class ProcessOutput implements OutputStream {
  #closed = false;
  #failure: NodeJS.ErrnoException | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.#closed = true;
      if (error.code !== 'EPIPE') this.#failure ??= error;
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  /** A write error other than the reader going away; reported once the command has ended. */
  get failure(): NodeJS.ErrnoException | undefined {
    return this.#failure;
  }

  write(text: string): void {
    if (this.#closed || this.stream.destroyed) return;
    this.stream.write(text);
  }

  /** Resolves once everything written so far has been handed to the system (or the stream has failed). */
  flushed(): Promise<void> {
    if (this.#closed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }
}
