import { hash } from 'node:crypto';
import { joinPartialGroups } from './finding-group-join.js';
import { type LazyFindingGroup, type LocalFindingGroup, type PartialFindingGroup } from './finding-group.js';

/**
 * Which of `parts` threads builds the finding of the group with this canonical key. A hash, so every
 * thread works it out alike from the key alone and each gets about as many groups, whatever the data.
 */
export function groupOwnerOf(canonicalKey: string, parts: number): number {
  return hash('sha256', canonicalKey, 'buffer').readUInt32BE(0) % parts;
}

/**
 * A thread's own groups, each joined with the other threads' partials of the same key
 * ({@link joinPartialGroups}: disjoint records, so counts add), worked out lazily: only when its
 * finding is built. Groups only other threads saw come from their partials alone.
 */
export function joinedOwnGroups(own: readonly LocalFindingGroup[], received: ReadonlyMap<string, readonly PartialFindingGroup[]>): LazyFindingGroup[] {
  const joined: LazyFindingGroup[] = own.map((group) => {
    const partials = received.get(group.canonicalKey);
    if (partials === undefined) return group;
    return { key: group.key, canonicalKey: group.canonicalKey, snapshot: () => joinPartialGroups([group.partial(), ...partials]) };
  });
  const local = new Set(own.map((group) => group.canonicalKey));
  for (const [key, partials] of received) {
    const [first, ...rest] = partials;
    if (local.has(key) || first === undefined) continue;
    joined.push({ key: first, canonicalKey: key, snapshot: () => joinPartialGroups([first, ...rest]) });
  }
  return joined;
}
