import type { MessagePort } from 'node:worker_threads';
import type { PartialFindingGroup } from './evaluate/finding-group.js';

/**
 * How the workers of a rendering run (src/audit-worker.ts) send each other the partial groups the
 * other one owns: in messages of {@link GROUPS_PER_MESSAGE}, then an end mark, over a port between
 * every two workers.
 */
export type PeerMessage<T = PartialFindingGroup> = { readonly type: 'groups'; readonly groups: readonly T[] } | { readonly type: 'groups-end' };

/** Groups per message to another worker: messages of a few MB, freed as they go. */
export const GROUPS_PER_MESSAGE = 256;

/** Sends `groups` to the worker at the other end of `peer`, then the end mark. */
export function sendPartials<T>(peer: MessagePort, groups: readonly T[]): void {
  for (let at = 0; at < groups.length; at += GROUPS_PER_MESSAGE) {
    peer.postMessage({ type: 'groups', groups: groups.slice(at, at + GROUPS_PER_MESSAGE) } satisfies PeerMessage<T>);
  }
  peer.postMessage({ type: 'groups-end' } satisfies PeerMessage<T>);
}

/**
 * Listens on every port of `peers` from now on (a peer may finish first and send before this worker
 * has finished evaluating): what they send, by canonical key, and a promise that resolves once each has
 * sent its end mark.
 *
 * The ports are not closed here. Closing a port closes both of its ends, and a peer's end mark can
 * arrive before this worker has sent its own partials (the peer got to rendering first): a port closed
 * on that mark dropped them, and the peer waited for them forever (about one run in four of the
 * workers tests hung that way). The main thread ends the workers, ports and all, when the run is done.
 */
export function receivePartials<T extends { readonly canonicalKey: string }>(peers: readonly (MessagePort | undefined)[]): { readonly received: Map<string, T[]>; readonly allReceived: Promise<void> } {
  const received = new Map<string, T[]>();
  const allReceived = new Promise<void>((resolve) => {
    let open = peers.filter((port) => port !== undefined).length;
    if (open === 0) resolve();
    for (const port of peers) {
      port?.on('message', (message: PeerMessage<T>) => {
        if (message.type === 'groups') {
          for (const group of message.groups) {
            const known = received.get(group.canonicalKey);
            if (known === undefined) received.set(group.canonicalKey, [group]);
            else known.push(group);
          }
          return;
        }
        open -= 1;
        if (open === 0) resolve();
      });
    }
  });
  return { received, allReceived };
}
