import test from 'ava';
import fc from 'fast-check';
import { emptyAuditState, recordCompletedWindow } from '../../src/state/audit-state.js';
import { computeWindow } from '../../src/state/audit-window.js';
import type { TimeWindow } from '../../src/sources/event-source.js';

const MINUTE_MS = 60_000;
const SCOPE = 'cloudtrail:us-east-1';
const firstRun = Date.parse('2025-10-01T00:00:00Z');

const settingsArbitrary = fc.record({
  deliveryLagMinutes: fc.integer({ min: 0, max: 180 }),
  overlapMinutes: fc.integer({ min: 0, max: 240 }),
  lookbackHours: fc.integer({ min: 1, max: 24 * 60 }).map((minutes) => minutes / 60),
});

/** A run: when it starts after the previous one, whether its sinks all succeeded, and whether it was given --since/--until. */
const runArbitrary = fc.record({
  minutesAfterPrevious: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 4 * 24 * 60 })),
  succeeded: fc.boolean(),
  explicit: fc.option(fc.record({ sinceMinutesAgo: fc.integer({ min: 0, max: 3 * 24 * 60 }), lengthMinutes: fc.integer({ min: 1, max: 24 * 60 }) }), {
    freq: 4,
  }),
});

interface Settings {
  readonly deliveryLagMinutes: number;
  readonly overlapMinutes: number;
  readonly lookbackHours: number;
}

interface Run {
  readonly minutesAfterPrevious: number;
  readonly succeeded: boolean;
  readonly explicit: { readonly sinceMinutesAgo: number; readonly lengthMinutes: number } | null;
}

interface Schedule {
  /** The windows of the runs that completed, in run order. */
  readonly completed: readonly TimeWindow[];
  /** The start of the window that first put the scope into the state: the audit's promise begins there. */
  readonly firstRecordedStart: Date | undefined;
  readonly recordedEnd: Date | undefined;
}

/**
 * Runs the schedule. Throws if a recorded end ever reaches into time CloudTrail had not delivered yet,
 * or if a completed scheduled window leaves the recorded end before its own end (the schedule would stall).
 */
function simulate(settings: Settings, runs: readonly Run[]): Schedule {
  let state = emptyAuditState();
  let clock = firstRun;
  const completed: TimeWindow[] = [];
  let firstRecordedStart: Date | undefined;
  for (const each of runs) {
    clock += each.minutesAfterPrevious * MINUTE_MS;
    const now = new Date(clock);
    const lastCompletedEnd = state.scopes.get(SCOPE)?.lastCompletedEnd;
    const since = each.explicit === null ? undefined : clock - each.explicit.sinceMinutesAgo * MINUTE_MS;
    const explicit =
      since === undefined || each.explicit === null ? {} : { since: new Date(since), until: new Date(since + each.explicit.lengthMinutes * MINUTE_MS) };
    const { window, empty } = computeWindow({ ...settings, ...explicit, ...(lastCompletedEnd === undefined ? {} : { lastCompletedEnd }), now });
    if (empty || !each.succeeded) continue;
    completed.push(window);
    state = recordCompletedWindow(state, { scopeKey: SCOPE, window, now, deliveryLagMinutes: settings.deliveryLagMinutes });
    const recorded = state.scopes.get(SCOPE)?.lastCompletedEnd;
    if (lastCompletedEnd === undefined && recorded !== undefined) firstRecordedStart = window.start;
    if (each.explicit === null && (recorded === undefined || recorded < window.end)) {
      throw new Error(`a completed scheduled window [${window.start.toISOString()}, ${window.end.toISOString()}) did not advance the state`);
    }
    if (recorded !== undefined && recorded.getTime() > clock - settings.deliveryLagMinutes * MINUTE_MS) {
      throw new Error(`recorded ${recorded.toISOString()}, which CloudTrail had not delivered at ${now.toISOString()}`);
    }
  }
  return { completed, firstRecordedStart, recordedEnd: state.scopes.get(SCOPE)?.lastCompletedEnd };
}

/** The first instant of [from, to) that no window covers, or undefined when they cover it all. */
function firstUncovered(windows: readonly TimeWindow[], from: number, to: number): number | undefined {
  let covered = from;
  for (const window of [...windows].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    if (window.start.getTime() > covered) break;
    covered = Math.max(covered, window.end.getTime());
  }
  return covered >= to ? undefined : covered;
}

test('completed windows cover everything from the first recorded start to the recorded end, with no gap, whatever runs fail or are explicit', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(settingsArbitrary, fc.array(runArbitrary, { minLength: 1, maxLength: 40 }), (settings, runs) => {
        const { completed, firstRecordedStart, recordedEnd } = simulate(settings, runs);
        if (firstRecordedStart === undefined || recordedEnd === undefined) return;
        const gapAt = firstUncovered(completed, firstRecordedStart.getTime(), recordedEnd.getTime());
        if (gapAt !== undefined) throw new Error(`nothing audited ${new Date(gapAt).toISOString()}`);
      }),
      { numRuns: 500, seed: 20251125 },
    ),
  );
});

test('a scheduled window never starts later than the last completed end, and never ends after now minus the delivery lag', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(
        settingsArbitrary,
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        (settings, lastCompletedEnd, now) => {
          const { window } = computeWindow({ ...settings, lastCompletedEnd, now });
          if (window.start > lastCompletedEnd) throw new Error(`start ${window.start.toISOString()} is after ${lastCompletedEnd.toISOString()}`);
          if (window.end.getTime() > now.getTime() - settings.deliveryLagMinutes * MINUTE_MS)
            throw new Error(`end ${window.end.toISOString()} reaches into the delivery lag`);
          if (window.end.getTime() % 3_600_000 !== 0 || window.start.getTime() % 3_600_000 !== 0) throw new Error('not whole hours');
        },
      ),
      { numRuns: 1000, seed: 20251125 },
    ),
  );
});
