import test from 'ava';
import { RequestPacer, type PacerClock } from '../../src/aws/request-pacer.js';

/** Time that moves only when the pacer sleeps or the test says so. */
class FakeClock implements PacerClock {
  current = 0;
  readonly sleeps: number[] = [];

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
    return Promise.resolve();
  }
}

const TWO_PER_SECOND = { requests: 2, windowMs: 1000 };

test('instant requests go in pairs, a second apart', async (t) => {
  const clock = new FakeClock();
  const pacer = new RequestPacer(TWO_PER_SECOND, clock);
  const starts: number[] = [];

  for (let request = 0; request < 6; request += 1) {
    const ended = await pacer.start();
    starts.push(clock.now());
    ended();
  }

  t.deepEqual(starts, [0, 0, 1000, 1000, 2000, 2000]);
});

test('a request waits a window after the end, not the start, of the request two places before it', async (t) => {
  const clock = new FakeClock();
  const pacer = new RequestPacer(TWO_PER_SECOND, clock);
  const starts: number[] = [];

  for (let request = 0; request < 4; request += 1) {
    const ended = await pacer.start();
    starts.push(clock.now());
    clock.current += 300; // each request takes 300 ms to answer
    ended();
  }

  t.deepEqual(starts, [0, 300, 1300, 1600]);
});

test('requests that start together queue: the third waits until the first has ended', async (t) => {
  const clock = new FakeClock();
  const pacer = new RequestPacer(TWO_PER_SECOND, clock);
  const [first, second] = await Promise.all([pacer.start(), pacer.start()]);
  let thirdStarted = false;
  const third = pacer.start().then((ended) => {
    thirdStarted = true;
    return ended;
  });

  await new Promise((resolve) => setImmediate(resolve));
  t.false(thirdStarted);
  clock.current = 200;
  first();
  second();
  (await third)();

  t.true(thirdStarted);
  t.is(clock.now(), 1200);
});

test('a wait aborted by its signal rejects with the reason and holds no place', async (t) => {
  const clock = new FakeClock();
  const pacer = new RequestPacer({ requests: 1, windowMs: 1000 }, clock);
  (await pacer.start())();
  const controller = new AbortController();
  controller.abort(new Error('stop'));

  await t.throwsAsync(pacer.start(controller.signal), { message: 'stop' });
  (await pacer.start())();

  t.deepEqual(clock.sleeps, [1000]);
});
