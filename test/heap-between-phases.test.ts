import { runInNewContext } from 'node:vm';
import test from 'ava';
import { settleHeapForFindings } from '../src/bin/heap-between-phases.js';

function unreachableObject(): WeakRef<object> {
  return new WeakRef({ payload: 'x'.repeat(1000) });
}

test('settling the heap for findings runs a full collection, which frees what nothing references any more', async (t) => {
  const ref = unreachableObject();
  t.not(ref.deref(), undefined);
  // A WeakRef keeps its target for the rest of the job that made or dereferenced it: collect in a later one.
  await new Promise((resolve) => setImmediate(resolve));
  settleHeapForFindings();
  t.is(ref.deref(), undefined);
});

test('collecting leaves no global gc behind in contexts made afterwards, and works again', async (t) => {
  settleHeapForFindings();
  t.is(runInNewContext('typeof gc'), 'undefined');
  t.is(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
  const ref = unreachableObject();
  await new Promise((resolve) => setImmediate(resolve));
  settleHeapForFindings();
  t.is(ref.deref(), undefined);
});
