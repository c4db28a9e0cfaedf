import { createHash } from 'node:crypto';

/** One of `count` parts of a window's log objects; `index` counts from 0 (as AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX does). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `2/8` → shard 2 of 8; a message saying what is wrong otherwise. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) return `a shard is INDEX/COUNT with 0 ≤ INDEX < COUNT (e.g. 0/4), got '${text}'`;
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  return shardProblem(shard) ?? shard;
}

/** Why a shard cannot be used, or undefined when it can. */
export function shardProblem(shard: Shard): string | undefined {
  if (!Number.isSafeInteger(shard.count) || shard.count < 1) return `a shard count must be a whole number ≥ 1, got ${shard.count}`;
  if (!Number.isSafeInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    return `a shard index must be a whole number from 0 to ${shard.count - 1}, got ${shard.index}`;
  }
  return undefined;
}

/**
 * Whether an object belongs to the shard: the first 48 bits of the SHA-256 of its key, modulo the count.
 * Depends on the key alone, so every machine, run and listing order agrees, and the parts of one
 * window are disjoint and cover it.
 */
export function isInShard(key: string, shard: Shard): boolean {
  return createHash('sha256').update(key, 'utf8').digest().readUIntBE(0, 6) % shard.count === shard.index;
}
