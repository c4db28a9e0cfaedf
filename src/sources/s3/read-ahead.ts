/**
 * Runs the tasks at most `limit` at a time and yields their results in the tasks' order. A task is
 * started only when fewer than `limit` are running or waiting to be taken, so at most `limit` results
 * are held at once, whatever the consumer's pace: with whole log objects as results, memory stays
 * bounded by `limit` objects. Tasks are pulled from `tasks` lazily, so it may list as it goes.
 */
export async function* readAheadInOrder<T>(tasks: AsyncIterable<() => Promise<T>>, limit: number): AsyncGenerator<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`read-ahead limit must be a whole number ≥ 1, got ${limit}`);
  const iterator = tasks[Symbol.asyncIterator]();
  const pending: Promise<T>[] = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && pending.length < limit) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const started = next.value();
        // Awaited in turn below; this keeps a failure from being unhandled if the consumer stops first.
        started.catch(() => undefined);
        pending.push(started);
      }
      const head = pending.shift();
      if (head === undefined) return;
      yield await head;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}
