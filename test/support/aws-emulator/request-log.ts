import type { FaultKind } from './faults.js';

/** One request the emulator received, kept so tests can check how a client behaved on the wire. */
export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order. */
  readonly sequence: number;
  /** Emulator clock at arrival, epoch ms with sub-millisecond precision. */
  readonly arrivedAt: number;
  readonly service: 'cloudtrail' | 'securityhub' | 'sts' | 'unknown';
  /** The operation name (LookupEvents, BatchImportFindings…), or what the request asked for when unknown. */
  readonly operation: string;
  readonly accessKeyId: string | undefined;
  /** Set once the access key is recognised. */
  readonly accountId: string | undefined;
  /** The region of the SigV4 credential scope. */
  readonly region: string | undefined;
  /** HTTP status sent, or undefined when no response was sent (reset). */
  readonly status: number | undefined;
  /** The error code answered, if any. */
  readonly errorCode: string | undefined;
  /** True when the rate limiter (not an injected fault) throttled the request. */
  readonly rateLimited: boolean;
  /** The injected fault that hit this request, if any. */
  readonly fault: FaultKind | undefined;
}

export type MutableRequestLogEntry = { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] };

/**
 * The largest number of requests for `operation` that arrived within any window of `windowMs`
 * (a window [t, t + windowMs) starting at each arrival). Use it to assert a client's pacing.
 */
export function maxRequestsInWindow(log: readonly RequestLogEntry[], operation: string, windowMs: number): number {
  const times = log
    .filter((entry) => entry.operation === operation)
    .map((entry) => entry.arrivedAt)
    .sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
