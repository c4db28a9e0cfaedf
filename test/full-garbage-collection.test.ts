import { runInNewContext } from 'node:vm';
import test from 'ava';
import { collectGarbageFully } from '../src/bin/full-garbage-collection.js';

function unreachableObject(): WeakRef<object> {
  return new WeakRef({ payload: 'x'.repeat(1000) });
}

test('a full collection frees what nothing references any more', async (t) => {
  const ref = unreachableObject();
  t.not(ref.deref(), undefined);
  // A WeakRef keeps its target for the rest of the job that made or dereferenced it: collect in a later one.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbageFully();
  t.is(ref.deref(), undefined);
});

test('collecting leaves no global gc behind in contexts made afterwards, and works again', async (t) => {
  collectGarbageFully();
  t.is(runInNewContext('typeof gc'), 'undefined');
  t.is(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
  const ref = unreachableObject();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbageFully();
  t.is(ref.deref(), undefined);
});
