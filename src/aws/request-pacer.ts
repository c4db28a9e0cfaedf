// Types only, erased at runtime: @smithy/types is the SDK's own type package, installed with every client.
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';

/** What a pacer needs of time: a monotonic clock in milliseconds, and a way to wait. */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** At most `requests` requests in any window of `windowMs`. */
export interface RequestPace {
  readonly requests: number;
  readonly windowMs: number;
}

/**
 * The one rate limiter of every paced AWS call. It keeps requests under a rate limit as the server
 * counts them, whatever the delays on the way: a request may start only once the request `requests`
 * places before it has ended and `windowMs` has passed since. A request reaches the server somewhere between its start and its end, so any two
 * requests `requests` apart reach it at least `windowMs` apart, and no window of `windowMs` ever sees
 * more than `requests` of them. (Spacing starts alone is not enough: a request held up on its way
 * out, for a new connection or a busy event loop, arrives closer to the next one.)
 *
 * Callers queue in order of arrival. The pacer prevents throttling; reacting to it is the retry
 * policy's job.
 *
 * It also keeps a token-bucket limit (a rate and a burst, as Security Hub documents its limits): with
 * `requests` ≤ burst and `requests / windowMs` ≤ rate, any stretch of T ms sees at most
 * requests × (⌊T / windowMs⌋ + 1) ≤ burst + rate × T arrivals, which the bucket admits.
 */
export class RequestPacer {
  /** When each of the last `requests` started requests ended, oldest first; pending while in flight. */
  private readonly ends: Promise<number>[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly pace: RequestPace,
    private readonly clock: PacerClock,
  ) {
    if (!Number.isInteger(pace.requests) || pace.requests < 1 || !(pace.windowMs >= 0)) {
      throw new RangeError(`a pace needs a whole number of requests ≥ 1 and a window ≥ 0 ms, got ${pace.requests} per ${pace.windowMs} ms`);
    }
  }

  /**
   * Resolves when the next request may start, with the function to call once it has ended (answered,
   * failed or timed out); rejects, without taking a place, when the signal aborts the wait.
   */
  async start(signal?: AbortSignal): Promise<() => void> {
    const before = this.queue;
    let leaveQueue = (): void => {};
    this.queue = new Promise((resolve) => (leaveQueue = resolve));
    try {
      await before;
      signal?.throwIfAborted();
      const anchor = this.ends.length >= this.pace.requests ? this.ends[this.ends.length - this.pace.requests] : undefined;
      if (anchor !== undefined) {
        const wait = (await anchor) + this.pace.windowMs - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait, signal);
      }
      let ended = (): void => {};
      this.ends.push(new Promise((resolve) => (ended = () => resolve(this.clock.now()))));
      // The oldest end has served as an anchor and is not awaited again.
      if (this.ends.length > this.pace.requests) void this.ends.shift();
      return ended;
    } finally {
      leaveQueue();
    }
  }
}

const PACER_MIDDLEWARE_NAME = 'lfvauditRequestPacer';

/**
 * Makes every HTTP attempt of a command go through the pacer, the SDK's own retries included: the
 * middleware sits right after the SDK's retry middleware (which re-runs everything below it once per
 * attempt) and before signing, so each attempt is signed when it actually leaves; it tells the pacer
 * when the attempt ended, response read. It is added to the command, not to the client, so a client
 * handed in is left as it was.
 *
 * Stack order, from `client.middlewareStack.concat(command.middlewareStack).identify()`:
 * … retryMiddleware, lfvauditRequestPacer, httpSigningMiddleware, deserializerMiddleware.
 */
export function paceEveryAttempt<Input extends object, Output extends object>(
  command: { readonly middlewareStack: MiddlewareStack<Input, Output> },
  pacer: RequestPacer,
  signal: AbortSignal | undefined,
): void {
  const pace: FinalizeRequestMiddleware<Input, Output> = (next) => async (args) => {
    const ended = await pacer.start(signal);
    try {
      return await next(args);
    } finally {
      ended();
    }
  };
  command.middlewareStack.addRelativeTo(pace, { relation: 'after', toMiddleware: 'retryMiddleware', name: PACER_MIDDLEWARE_NAME });
}
