/**
 * What a measured script prints on stdout as one JSON line: the counts it saw and its own timing. The
 * orchestrator also times the whole process from outside; both are kept in bench/results.json.
 */
export interface ScriptReport {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly maxRssMb: number;
  readonly [detail: string]: unknown;
}

export function scriptReport(events: number, startedMs: number, details: Readonly<Record<string, unknown>> = {}): ScriptReport {
  const seconds = (performance.now() - startedMs) / 1000;
  return {
    events,
    seconds: round(seconds, 3),
    eventsPerSecond: round(events / seconds, 0),
    // resourceUsage().maxRSS is in kilobytes
    maxRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    ...details,
  };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
