import test from 'ava';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { GROUPS_PER_MESSAGE, receivePartials, sendPartials } from '../src/audit-peer-exchange.js';

interface Partial {
  readonly canonicalKey: string;
  readonly part: number;
}

/** Resolves with `promise`'s outcome, or with 'stuck' when it has not settled after the guard's time (it would hang the run). */
async function settledOrStuck(promise: Promise<void>): Promise<'received' | 'stuck'> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), 10_000)));
  try {
    return await Promise.race([promise.then(() => 'received' as const), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

function closeAll(...ports: MessagePort[]): void {
  for (const port of ports) port.close();
}

test('a worker whose peer finished first still gets its partials to that peer', async (t) => {
  // Worker A's end of the channel is port1, worker B's is port2; both listen from the start.
  const { port1, port2 } = new MessageChannel();
  const atA = receivePartials<Partial>([undefined, port1]);
  const atB = receivePartials<Partial>([port2, undefined]);
  // A renders first: all its partials for B, then its end mark, before B has sent anything.
  sendPartials<Partial>(port1, [{ canonicalKey: 'b1', part: 1 }]);
  t.is(await settledOrStuck(atB.allReceived), 'received');
  // Only now does B send its own (a channel closed on A's end mark would drop them).
  sendPartials<Partial>(port2, [{ canonicalKey: 'a1', part: 2 }, { canonicalKey: 'a1', part: 3 }]);
  t.is(await settledOrStuck(atA.allReceived), 'received');
  t.deepEqual([...atA.received], [['a1', [{ canonicalKey: 'a1', part: 2 }, { canonicalKey: 'a1', part: 3 }]]]);
  t.deepEqual([...atB.received], [['b1', [{ canonicalKey: 'b1', part: 1 }]]]);
  closeAll(port1, port2);
});

test('partials in several messages all arrive, and a worker without peers has nothing to wait for', async (t) => {
  const { port1, port2 } = new MessageChannel();
  const atB = receivePartials<Partial>([port2]);
  const many = Array.from({ length: GROUPS_PER_MESSAGE * 2 + 3 }, (_, part) => ({ canonicalKey: `k${part % 7}`, part }));
  sendPartials<Partial>(port1, many);
  t.is(await settledOrStuck(atB.allReceived), 'received');
  t.is([...atB.received.values()].reduce((sum, parts) => sum + parts.length, 0), many.length);
  t.deepEqual(atB.received.get('k3')?.map((partial) => partial.part), many.filter((partial) => partial.canonicalKey === 'k3').map((partial) => partial.part));
  closeAll(port1, port2);
  t.is(await settledOrStuck(receivePartials<Partial>([undefined]).allReceived), 'received');
});
