import test from 'ava';
import { fullerSpan } from '../../src/merge/group.js';
import { thresholdSpans, type ThresholdPeak, type ThresholdWindow, type TimedEvent } from '../../src/grouping/threshold-spans.js';

const MINUTE = 60_000;

/** The definition, by brute force: an event is evidence when some span [t, t + within) holding it reaches the count. */
function bruteForce(events: readonly TimedEvent[], window: ThresholdWindow): boolean[] {
  const weigh = (start: number): number => {
    const inside = events.filter((event) => event.time >= start && event.time < start + window.withinMs);
    return window.distinct ? new Set(inside.flatMap((event) => (event.value === undefined ? [] : [event.value]))).size : inside.length;
  };
  // Spans starting anywhere: at each event's time, and just after each (a start between events holds a subset).
  const starts = events.flatMap((event) => [event.time, event.time - window.withinMs + 1]);
  return events.map((event) => starts.some((start) => event.time >= start && event.time < start + window.withinMs && weigh(start) >= window.count));
}

/** A seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

function generated(seed: number): { events: TimedEvent[]; window: ThresholdWindow } {
  const next = random(seed);
  const length = Math.floor(next() * 40);
  // Times on a coarse grid, so that ties and spans of exactly `within` occur.
  const events = Array.from({ length }, () => ({ time: Math.floor(next() * 60) * MINUTE, value: next() < 0.2 ? undefined : `v${Math.floor(next() * 6)}` }));
  return { events, window: { count: 1 + Math.floor(next() * 6), withinMs: (1 + Math.floor(next() * 15)) * MINUTE, distinct: next() < 0.5 } };
}

test('five events within ten minutes reach a threshold of five; a sixth event eleven minutes later does not belong to the span', (t) => {
  const events = [0, 2, 4, 6, 9, 20].map((minute) => ({ time: minute * MINUTE }));
  const spans = thresholdSpans(events, { count: 5, withinMs: 10 * MINUTE, distinct: false });
  t.deepEqual(spans.inSpan, [true, true, true, true, true, false]);
  t.deepEqual(spans.peak, { count: 5, start: 0, end: 9 * MINUTE });
});

test('a span is half-open: events exactly `within` apart are not in one span', (t) => {
  const events = [0, 10].map((minute) => ({ time: minute * MINUTE }));
  t.deepEqual(thresholdSpans(events, { count: 2, withinMs: 10 * MINUTE, distinct: false }).inSpan, [false, false]);
  t.deepEqual(thresholdSpans(events, { count: 2, withinMs: 10 * MINUTE + 1, distinct: false }).inSpan, [true, true]);
});

test('distinct counts values, not events: repeats and events without a value add nothing', (t) => {
  const events: TimedEvent[] = [
    { time: 0, value: 'ListBuckets' },
    { time: MINUTE, value: 'ListBuckets' },
    { time: 2 * MINUTE, value: undefined },
    { time: 3 * MINUTE, value: 'GetBucketAcl' },
  ];
  const spans = thresholdSpans(events, { count: 3, withinMs: 10 * MINUTE, distinct: true });
  t.deepEqual(spans.inSpan, [false, false, false, false]);
  t.is(spans.peak?.count, 2);
  t.deepEqual(thresholdSpans([...events, { time: 4 * MINUTE, value: 'GetBucketPolicy' }], { count: 3, withinMs: 10 * MINUTE, distinct: true }).inSpan, [
    true,
    true,
    true,
    true,
    true,
  ]);
});

test('the evidence is exactly the events of spans that reach the threshold (500 generated cases against brute force)', (t) => {
  for (let seed = 1; seed <= 500; seed += 1) {
    const { events, window } = generated(seed);
    t.deepEqual(thresholdSpans(events, window).inSpan, bruteForce(events, window), `seed ${seed}`);
  }
});

test('the verdict, the evidence and the fullest span do not depend on the order events come in (500 generated cases)', (t) => {
  for (let seed = 1; seed <= 500; seed += 1) {
    const { events, window } = generated(seed);
    const next = random(seed * 7919);
    const reordered = shuffled(
      events.map((event, index) => ({ event, index })),
      next,
    );
    const once = thresholdSpans(events, window);
    const again = thresholdSpans(
      reordered.map(({ event }) => event),
      window,
    );
    t.deepEqual(
      reordered.map(({ index }) => once.inSpan[index]),
      again.inSpan,
      `seed ${seed}`,
    );
    t.deepEqual(once.peak, again.peak, `seed ${seed}`);
  }
});

test('runs whose windows overlap by `within` find together exactly the evidence of one run over all (500 generated cases)', (t) => {
  for (let seed = 1; seed <= 500; seed += 1) {
    const { events, window } = generated(seed);
    const next = random(seed * 104_729);
    // Consecutive windows [start, end) with start = previous end - within, as scheduled runs with overlapMinutes = within.
    const runLength = window.withinMs + (1 + Math.floor(next() * 30)) * MINUTE;
    const whole = thresholdSpans(events, window).inSpan;
    const union = events.map(() => false);
    let best: ThresholdPeak | undefined;
    for (let start = -window.withinMs; start < 61 * MINUTE; start += runLength - window.withinMs) {
      const inRun = events.map((event, index) => ({ event, index })).filter(({ event }) => event.time >= start && event.time < start + runLength);
      const spans = thresholdSpans(
        inRun.map(({ event }) => event),
        window,
      );
      inRun.forEach(({ index }, position) => {
        if (spans.inSpan[position] === true) union[index] = true;
      });
      const peak = spans.peak;
      best = fullerSpan(best, peak);
    }
    t.deepEqual(union, whole, `seed ${seed}`);
    t.deepEqual(best, thresholdSpans(events, window).peak, `seed ${seed}`);
  }
});
