import test from 'ava';
import { TokenBucket, type PacingClock } from '../../src/aws/token-bucket.js';

/** A clock that moves only when someone sleeps on it, recording every wait. */
function manualClock(): PacingClock & { readonly waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

test('a full bucket lets a burst through without waiting', async (t) => {
  const clock = manualClock();
  const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, clock);

  for (let call = 0; call < 3; call += 1) await bucket.take();

  t.deepEqual(clock.waits, []);
});

test('after the burst, each request waits for the next token', async (t) => {
  const clock = manualClock();
  const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, clock);

  for (let call = 0; call < 5; call += 1) await bucket.take();

  t.deepEqual(clock.waits, [100, 100, 100]);
  t.is(clock.now(), 300);
});

test('callers get their tokens in the order they asked', async (t) => {
  const clock = manualClock();
  const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, clock);
  const order: number[] = [];

  await Promise.all([0, 1, 2, 3].map((caller) => bucket.take().then(() => order.push(caller))));

  t.deepEqual(order, [0, 1, 2, 3]);
  t.is(clock.now(), 3000);
});

test('an aborted wait takes no token and does not hold up the next caller', async (t) => {
  const clock = manualClock();
  const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, clock);
  await bucket.take();
  const controller = new AbortController();
  controller.abort(new Error('stop'));

  await t.throwsAsync(bucket.take(controller.signal), { message: 'stop' });
  await bucket.take();

  t.is(clock.now(), 1000);
});

test('a bucket that could never let a request through is refused', (t) => {
  t.throws(() => new TokenBucket({ perSecond: 0, burst: 1 }, manualClock()), { instanceOf: RangeError });
  t.throws(() => new TokenBucket({ perSecond: 1, burst: 0 }, manualClock()), { instanceOf: RangeError });
});
