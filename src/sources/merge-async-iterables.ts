type Pulled<T> = { readonly index: number } & ({ readonly ok: true; readonly result: IteratorResult<T> } | { readonly ok: false; readonly error: unknown });

/**
 * The items of several async iterables, each in its own order, interleaved as they come. An iterable
 * is asked for its next item only after its previous one was handed on, so none runs more than one
 * item ahead of the consumer. If one throws, or the consumer stops early, the others are closed.
 */
export async function* mergeAsyncIterables<T>(iterables: readonly AsyncIterable<T>[]): AsyncGenerator<T, void, undefined> {
  const iterators = iterables.map((iterable) => iterable[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<Pulled<T>>>();
  const pull = (index: number, iterator: AsyncIterator<T>): void => {
    // Settled into a value, never rejected: a failure of one is rethrown below, not left unhandled.
    pending.set(
      index,
      iterator.next().then(
        (result): Pulled<T> => ({ index, ok: true, result }),
        (error: unknown): Pulled<T> => ({ index, ok: false, error }),
      ),
    );
  };
  iterators.forEach((iterator, index) => pull(index, iterator));
  // Not yet finished: pending, or handed on and waiting to be pulled again.
  const live = new Set(iterators.keys());
  try {
    while (pending.size > 0) {
      const pulled = await Promise.race(pending.values());
      pending.delete(pulled.index);
      if (!pulled.ok || pulled.result.done === true) live.delete(pulled.index);
      if (!pulled.ok) throw pulled.error;
      if (pulled.result.done === true) continue;
      yield pulled.result.value;
      const iterator = iterators[pulled.index];
      if (iterator !== undefined) pull(pulled.index, iterator);
    }
  } finally {
    const closing: Promise<unknown>[] = [];
    for (const index of live) {
      const closed = iterators[index]?.return?.();
      if (closed !== undefined) closing.push(closed);
    }
    await Promise.allSettled(closing);
  }
}
