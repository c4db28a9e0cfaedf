import test from 'ava';
import { computeWindow, type AuditWindowInput } from '../../src/state/audit-window.js';

const at = (iso: string): Date => new Date(iso);
const defaults = { deliveryLagMinutes: 15, overlapMinutes: 60, lookbackHours: 24 } as const;

function plan(input: Partial<AuditWindowInput> & { now: Date }): { start: string; end: string; reason: string; empty: boolean } {
  const { window, reason, empty } = computeWindow({ ...defaults, ...input });
  return { start: window.start.toISOString(), end: window.end.toISOString(), reason, empty };
}

test('explicit --since and --until are used as given, without rounding', (t) => {
  t.deepEqual(
    plan({
      since: at('2025-10-01T08:17:00Z'),
      until: at('2025-10-02T09:45:30Z'),
      lastCompletedEnd: at('2025-10-20T00:00:00Z'),
      now: at('2025-10-20T12:34:00Z'),
    }),
    {
      start: '2025-10-01T08:17:00.000Z',
      end: '2025-10-02T09:45:30.000Z',
      reason: 'explicit',
      empty: false,
    },
  );
});

test('an explicit --since alone ends the window now, with no delivery lag or rounding', (t) => {
  t.deepEqual(plan({ since: at('2025-10-20T01:00:00Z'), now: at('2025-10-20T12:34:56Z') }), {
    start: '2025-10-20T01:00:00.000Z',
    end: '2025-10-20T12:34:56.000Z',
    reason: 'explicit',
    empty: false,
  });
});

test('an explicit --until alone starts where a scheduled run would', (t) => {
  t.deepEqual(plan({ until: at('2025-10-20T10:30:00Z'), lastCompletedEnd: at('2025-10-20T06:00:00Z'), now: at('2025-10-20T12:34:00Z') }), {
    start: '2025-10-20T05:00:00.000Z',
    end: '2025-10-20T10:30:00.000Z',
    reason: 'explicit',
    empty: false,
  });
});

test('a scheduled run resumes at the last completed end minus the overlap', (t) => {
  t.deepEqual(plan({ lastCompletedEnd: at('2025-10-19T12:00:00Z'), now: at('2025-10-20T12:20:00Z') }), {
    start: '2025-10-19T11:00:00.000Z',
    end: '2025-10-20T12:00:00.000Z',
    reason: 'resumed',
    empty: false,
  });
});

test('a resumed start is rounded down to a whole hour, so it never passes the last completed end', (t) => {
  const { start } = plan({ lastCompletedEnd: at('2025-10-19T12:34:56Z'), overlapMinutes: 10, now: at('2025-10-20T12:20:00Z') });
  t.is(start, '2025-10-19T12:00:00.000Z');
});

test('the first run looks back lookbackHours from the end', (t) => {
  t.deepEqual(plan({ lookbackHours: 6, now: at('2025-10-20T12:20:00Z') }), {
    start: '2025-10-20T06:00:00.000Z',
    end: '2025-10-20T12:00:00.000Z',
    reason: 'first-run',
    empty: false,
  });
});

test('a fractional look-back still starts on a whole hour', (t) => {
  t.is(plan({ lookbackHours: 1.5, now: at('2025-10-20T12:20:00Z') }).start, '2025-10-20T10:00:00.000Z');
});

test('the automatic end is now minus the delivery lag, rounded down to a whole UTC hour', (t) => {
  t.is(plan({ now: at('2025-10-20T12:14:59Z') }).end, '2025-10-20T11:00:00.000Z');
  t.is(plan({ now: at('2025-10-20T12:15:00Z') }).end, '2025-10-20T12:00:00.000Z');
  t.is(plan({ now: at('2025-10-20T00:05:00Z'), deliveryLagMinutes: 30 }).end, '2025-10-19T23:00:00.000Z');
});

test('a second scheduled run within the same hour gets an empty window at the end', (t) => {
  t.deepEqual(plan({ lastCompletedEnd: at('2025-10-20T12:00:00Z'), overlapMinutes: 0, now: at('2025-10-20T12:50:00Z') }), {
    start: '2025-10-20T12:00:00.000Z',
    end: '2025-10-20T12:00:00.000Z',
    reason: 'resumed',
    empty: true,
  });
});

test('a scheduled run after an explicit run that reached past the automatic end is empty', (t) => {
  const result = plan({ lastCompletedEnd: at('2025-10-20T14:10:00Z'), overlapMinutes: 5, now: at('2025-10-20T14:20:00Z') });
  t.true(result.empty);
  t.is(result.start, result.end);
  t.is(result.end, '2025-10-20T14:00:00.000Z');
});

test('with an overlap, a second scheduled run within the hour re-reads the last hour rather than nothing', (t) => {
  const result = plan({ lastCompletedEnd: at('2025-10-20T12:00:00Z'), overlapMinutes: 60, now: at('2025-10-20T12:50:00Z') });
  t.false(result.empty);
  t.deepEqual([result.start, result.end], ['2025-10-20T11:00:00.000Z', '2025-10-20T12:00:00.000Z']);
});

test('an explicit --since that is not before --until gives an empty window', (t) => {
  const result = plan({ since: at('2025-10-20T12:00:00Z'), until: at('2025-10-20T11:00:00Z'), now: at('2025-10-20T13:00:00Z') });
  t.deepEqual(result, { start: '2025-10-20T11:00:00.000Z', end: '2025-10-20T11:00:00.000Z', reason: 'explicit', empty: true });
});

test('negative or non-finite durations are rejected as bugs, since they could open a gap', (t) => {
  const now = at('2025-10-20T12:00:00Z');
  t.throws(() => computeWindow({ ...defaults, overlapMinutes: -5, now }), { instanceOf: RangeError, message: /overlapMinutes/ });
  t.throws(() => computeWindow({ ...defaults, deliveryLagMinutes: Number.NaN, now }), { instanceOf: RangeError, message: /deliveryLagMinutes/ });
  t.throws(() => computeWindow({ ...defaults, now: new Date(Number.NaN) }), { instanceOf: RangeError, message: /now/ });
});
