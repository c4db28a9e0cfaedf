import test from 'ava';
import { setTimeout as delay } from 'node:timers/promises';
import { readAheadInOrder } from '../../../src/sources/s3/read-ahead.js';

/** The values one by one, as a listing yields them: each after an await. */
async function* listed<T>(values: Iterable<T>): AsyncGenerator<T> {
  for (const value of values) {
    await Promise.resolve();
    yield value;
  }
}

const indexes = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/** Tasks that finish in an order unrelated to their index, counting how many are running or held at once. */
function trackedTasks(count: number, limit: { held: number; most: number }): AsyncIterable<() => Promise<number>> {
  return listed(
    indexes(count).map((index) => async () => {
      limit.held += 1;
      limit.most = Math.max(limit.most, limit.held);
      await delay((index * 7) % 5);
      return index;
    }),
  );
}

test('yields results in the tasks’ order whatever order they finish in', async (t) => {
  const results: number[] = [];
  for await (const result of readAheadInOrder(trackedTasks(20, { held: 0, most: 0 }), 4)) results.push(result);
  t.deepEqual(
    results,
    Array.from({ length: 20 }, (_, index) => index),
  );
});

test('never holds more than the limit, running or waiting to be taken, even with a slow consumer', async (t) => {
  const tracking = { held: 0, most: 0 };
  for await (const result of readAheadInOrder(trackedTasks(20, tracking), 3)) {
    t.true(result >= 0);
    tracking.held -= 1;
    await delay(3);
  }
  t.is(tracking.most, 3);
});

test('runs up to the limit at once', async (t) => {
  let running = 0;
  let most = 0;
  const tasks = listed(
    indexes(8).map((index) => async () => {
      running += 1;
      most = Math.max(most, running);
      await delay(10);
      running -= 1;
      return index;
    }),
  );
  for await (const result of readAheadInOrder(tasks, 4)) t.true(result >= 0);
  t.is(most, 4);
});

test('rethrows a task’s failure in its turn, after the results before it', async (t) => {
  const tasks = listed([() => Promise.resolve(1), () => Promise.reject(new Error('aborted')), () => Promise.resolve(3)]);
  const results: number[] = [];
  await t.throwsAsync(
    async () => {
      for await (const result of readAheadInOrder(tasks, 2)) results.push(result);
    },
    { message: 'aborted' },
  );
  t.deepEqual(results, [1]);
});

test('stops pulling tasks when the consumer stops', async (t) => {
  let pulled = 0;
  const tasks = listed(
    (function* pull() {
      for (let index = 0; index < 100; index += 1) {
        pulled += 1;
        yield () => Promise.resolve(index);
      }
    })(),
  );
  for await (const result of readAheadInOrder(tasks, 2)) if (result === 1) break;
  t.true(pulled <= 4);
});
