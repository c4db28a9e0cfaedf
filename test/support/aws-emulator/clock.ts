/** The emulator's notion of now, in epoch milliseconds (fractions allowed). Injected so tests control time. */
export interface EmulatorClock {
  now(): number;
}

/** Wall-clock time with sub-millisecond resolution, for the request log. */
export const systemClock: EmulatorClock = {
  now: () => performance.timeOrigin + performance.now(),
};

/**
 * A clock that moves only when told. Starts at the real time by default, because the SDK signs
 * requests with its own clock and SigV4 rejects a skew over 15 minutes.
 */
export class ManualClock implements EmulatorClock {
  private current: number;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs a non-negative duration, got ${ms}`);
    this.current += ms;
  }
}
