import { hash } from 'node:crypto';
import { joinRunGroups } from './finding-group-join.js';
import { lazyGroupOf, type FindingGroup, type LazyFindingGroup } from './finding-group.js';

/**
 * Which of `parts` threads builds the finding of the group with this canonical key. A hash, so every
 * thread works it out alike from the key alone and each gets about as many groups, whatever the data.
 */
export function groupOwnerOf(canonicalKey: string, parts: number): number {
  return hash('sha256', canonicalKey, 'buffer').readUInt32BE(0) % parts;
}

/**
 * A thread's own groups, each joined with the other threads' partial snapshots of the same key
 * ({@link joinRunGroups}: disjoint records, so counts add), still worked out lazily: a local group is
 * snapshot only when its finding is built. Groups only other threads saw come from their snapshots.
 */
export function joinedOwnGroups(own: readonly LazyFindingGroup[], received: ReadonlyMap<string, readonly FindingGroup[]>): LazyFindingGroup[] {
  const joined: LazyFindingGroup[] = own.map((group) => {
    const partials = received.get(group.canonicalKey);
    if (partials === undefined) return group;
    return { key: group.key, canonicalKey: group.canonicalKey, snapshot: () => partials.reduce(joinRunGroups, group.snapshot()) };
  });
  const local = new Set(own.map((group) => group.canonicalKey));
  for (const [key, partials] of received) {
    const [first, ...rest] = partials;
    if (!local.has(key) && first !== undefined) joined.push(lazyGroupOf(rest.reduce(joinRunGroups, first)));
  }
  return joined;
}
