/** What a threshold counts in a span: events, or distinct values of a field. */
export interface ThresholdWindow {
  readonly count: number;
  readonly withinMs: number;
  /** Count distinct values (`value` of each event) instead of events. */
  readonly distinct: boolean;
}

/** One matching event of a group: its eventTime (epoch ms) and, for `distinct`, its value (undefined: none). */
export interface TimedEvent {
  readonly time: number;
  readonly value?: string | undefined;
}

/**
 * The span with the most events (or distinct values): `count` of them between `start` and `end`, the
 * times of its first and last event. Of spans with equal counts, the earliest.
 */
export interface ThresholdPeak {
  readonly count: number;
  readonly start: number;
  readonly end: number;
}

export interface ThresholdSpans {
  /** By the events' order as given: whether the event lies in a span that reaches the threshold. */
  readonly inSpan: readonly boolean[];
  /** Undefined when there are no events. */
  readonly peak: ThresholdPeak | undefined;
}

/**
 * The sliding window of a threshold: an event is evidence when some span `[t, t + withinMs)` holding it
 * holds at least `count` events (distinct values). It is enough to try the spans that start at an event:
 * any span's events are also in the one starting at its earliest event. The result depends on the
 * events' times and values only, never on their order, so files and records may come in any order; and
 * every span shorter than an overlap between two runs lies whole in one of them, so runs whose windows
 * overlap by at least `withinMs` find together exactly the evidence of one run over both.
 */
export function thresholdSpans(events: readonly TimedEvent[], window: ThresholdWindow): ThresholdSpans {
  const order = events.map((_event, index) => index).sort((a, b) => timeAt(events, a) - timeAt(events, b));
  const inSpan = events.map(() => false);
  const values = new Map<string, number>();
  let peak: ThresholdPeak | undefined;
  let end = 0;
  let markedTo = 0;
  for (let first = 0; first < order.length; first += 1) {
    const start = timeAt(events, order[first]);
    while (end < order.length && timeAt(events, order[end]) - start < window.withinMs) {
      addValue(values, events[order[end] ?? -1]?.value, 1);
      end += 1;
    }
    const count = window.distinct ? values.size : end - first;
    if (peak === undefined || count > peak.count) peak = { count, start, end: timeAt(events, order[end - 1]) };
    if (count >= window.count) {
      for (let index = Math.max(first, markedTo); index < end; index += 1) inSpan[order[index] ?? -1] = true;
      markedTo = Math.max(markedTo, end);
    }
    addValue(values, events[order[first] ?? -1]?.value, -1);
  }
  return { inSpan, peak };
}

function timeAt(events: readonly TimedEvent[], index: number | undefined): number {
  const event = events[index ?? -1];
  if (event === undefined) throw new Error('bug: threshold span index out of range');
  return event.time;
}

function addValue(values: Map<string, number>, value: string | undefined, change: 1 | -1): void {
  if (value === undefined) return;
  const count = (values.get(value) ?? 0) + change;
  if (count === 0) values.delete(value);
  else values.set(value, count);
}
