import test from 'ava';
import { emptyAuditState, recordCompletedWindow, type AuditState } from '../../src/state/audit-state.js';

const at = (iso: string): Date => new Date(iso);
const SCOPE = 'cloudtrail:us-east-1';

function stateEndingAt(iso: string, runs = 3): AuditState {
  return { scopes: new Map([[SCOPE, { lastCompletedEnd: at(iso), updatedAt: at('2025-10-19T12:20:00Z'), runs }]]) };
}

function record(state: AuditState, start: string, end: string, now: string, deliveryLagMinutes = 15): AuditState {
  return recordCompletedWindow(state, { scopeKey: SCOPE, window: { start: at(start), end: at(end) }, now: at(now), deliveryLagMinutes });
}

test('the first completed window of a scope records its end and one run', (t) => {
  const state = record(emptyAuditState(), '2025-10-19T12:00:00Z', '2025-10-20T12:00:00Z', '2025-10-20T12:20:00Z');
  t.deepEqual(state.scopes.get(SCOPE), { lastCompletedEnd: at('2025-10-20T12:00:00Z'), updatedAt: at('2025-10-20T12:20:00Z'), runs: 1 });
});

test('a resumed window that overlaps the recorded end moves it forward and counts a run', (t) => {
  const state = record(stateEndingAt('2025-10-20T12:00:00Z'), '2025-10-20T11:00:00Z', '2025-10-21T12:00:00Z', '2025-10-21T12:20:00Z');
  t.deepEqual(state.scopes.get(SCOPE), { lastCompletedEnd: at('2025-10-21T12:00:00Z'), updatedAt: at('2025-10-21T12:20:00Z'), runs: 4 });
});

test('a window starting after the recorded end does not move it, so the gap is still audited later', (t) => {
  const state = record(stateEndingAt('2025-10-20T12:00:00Z'), '2025-10-20T18:00:00Z', '2025-10-21T00:00:00Z', '2025-10-21T12:20:00Z');
  t.deepEqual(state.scopes.get(SCOPE)?.lastCompletedEnd, at('2025-10-20T12:00:00Z'));
  t.is(state.scopes.get(SCOPE)?.runs, 4);
});

test('a window ending before the recorded end never moves it back', (t) => {
  const state = record(stateEndingAt('2025-10-20T12:00:00Z'), '2025-10-01T00:00:00Z', '2025-10-02T00:00:00Z', '2025-10-21T12:20:00Z');
  t.deepEqual(state.scopes.get(SCOPE)?.lastCompletedEnd, at('2025-10-20T12:00:00Z'));
});

test('an explicit window reaching into the delivery lag is recorded only up to now minus the lag', (t) => {
  const state = record(stateEndingAt('2025-10-20T12:00:00Z'), '2025-10-20T10:00:00Z', '2025-10-22T00:00:00Z', '2025-10-20T15:00:00Z', 15);
  t.deepEqual(state.scopes.get(SCOPE)?.lastCompletedEnd, at('2025-10-20T14:45:00Z'));
});

test('an empty window, or one entirely within the delivery lag, changes nothing', (t) => {
  const before = stateEndingAt('2025-10-20T12:00:00Z');
  t.is(record(before, '2025-10-20T12:00:00Z', '2025-10-20T12:00:00Z', '2025-10-20T15:00:00Z'), before);
  t.is(record(before, '2025-10-20T14:50:00Z', '2025-10-20T15:00:00Z', '2025-10-20T15:00:00Z'), before);
});

test('recording a window leaves the other scopes and the given state untouched', (t) => {
  const before: AuditState = {
    scopes: new Map([['file:logs', { lastCompletedEnd: at('2025-01-01T00:00:00Z'), updatedAt: at('2025-01-01T00:00:00Z'), runs: 9 }]]),
  };
  const after = record(before, '2025-10-19T12:00:00Z', '2025-10-20T12:00:00Z', '2025-10-20T12:20:00Z');
  t.deepEqual([...after.scopes.keys()].sort(), ['cloudtrail:us-east-1', 'file:logs']);
  t.deepEqual(after.scopes.get('file:logs'), before.scopes.get('file:logs'));
  t.deepEqual([...before.scopes.keys()], ['file:logs']);
});
