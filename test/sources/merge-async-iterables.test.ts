import test from 'ava';
import { mergeAsyncIterables } from '../../src/sources/merge-async-iterables.js';

/** Yields its values after the given delays, recording how far it was read and whether it was closed. */
function paced(name: string, delaysMs: readonly number[], log: string[], failAfter?: number): AsyncGenerator<string> {
  return (async function* () {
    try {
      for (const [index, delayMs] of delaysMs.entries()) {
        if (index === failAfter) throw new Error(`${name} failed`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        log.push(`${name} produced ${index}`);
        yield `${name}${index}`;
      }
    } finally {
      log.push(`${name} closed`);
    }
  })();
}

/** An iterable of `name0`, `name1`, … whose each item is ready only once the test opens its gate. */
function gated(name: string, count: number): { readonly items: AsyncGenerator<string>; open(index: number): void } {
  const gates: (() => void)[] = [];
  const opened = Array.from({ length: count }, () => new Promise<void>((resolve) => gates.push(resolve)));
  return {
    items: (async function* () {
      for (const [index, gate] of opened.entries()) {
        await gate;
        yield `${name}${index}`;
      }
    })(),
    open: (index) => gates[index]?.(),
  };
}

test('items of several iterables come as they are ready, each iterable in its own order', async (t) => {
  const a = gated('a', 2);
  const b = gated('b', 2);
  const merged = mergeAsyncIterables([a.items, b.items]);

  b.open(0);
  t.is((await merged.next()).value, 'b0');
  a.open(0);
  t.is((await merged.next()).value, 'a0');
  a.open(1);
  b.open(1);
  const rest = [(await merged.next()).value, (await merged.next()).value].sort();

  t.deepEqual(rest, ['a1', 'b1']);
  t.true((await merged.next()).done);
});

test('an iterable is not read ahead: its next item is asked for only after the previous one was handed on', async (t) => {
  const log: string[] = [];
  const merged = mergeAsyncIterables([paced('a', [1, 1, 1], log)]);

  await merged.next();
  await new Promise((resolve) => setTimeout(resolve, 30));

  t.deepEqual(log, ['a produced 0']);
  await merged.return(undefined);
});

test('when one iterable throws, the error reaches the consumer and the others are closed', async (t) => {
  const log: string[] = [];
  const items: string[] = [];

  await t.throwsAsync(
    (async () => {
      for await (const item of mergeAsyncIterables([paced('a', [5, 5, 5], log, 1), paced('b', [20, 20, 20], log)])) items.push(item);
    })(),
    { message: 'a failed' },
  );

  t.deepEqual(items, ['a0']);
  t.true(log.includes('b closed'));
});

test('a consumer that stops early closes every iterable', async (t) => {
  const log: string[] = [];

  for await (const item of mergeAsyncIterables([paced('a', [5, 5], log), paced('b', [20, 20], log)])) {
    if (item === 'a0') break;
  }

  t.true(log.includes('a closed'));
  t.true(log.includes('b closed'));
});
