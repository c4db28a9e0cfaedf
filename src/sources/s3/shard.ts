import { createHash } from 'node:crypto';

/**
 * How a window's log objects are split into shards: `object` by each object's key (the finest split),
 * `account-region` by the account and region folder an object sits in, so that one shard reads every
 * object of an account's region: what lets a shard weigh threshold rules, whose groups never span two
 * accounts or regions (docs/rules.md, Thresholds).
 */
export type ShardSplit = 'object' | 'account-region';

export const SHARD_SPLITS: readonly ShardSplit[] = ['object', 'account-region'];

/** One of `count` parts of a window's log objects; `index` counts from 0 (as AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX does). */
export interface Shard {
  readonly index: number;
  readonly count: number;
  readonly by: ShardSplit;
}

/** Where a log object sits: its key, and the account and region of its folder (`AWSLogs/[o-ID/]ACCOUNT/CloudTrail/REGION/`). */
export interface ShardedObject {
  readonly key: string;
  readonly account: string;
  readonly region: string;
}

export function isShardSplit(text: string): text is ShardSplit {
  return (SHARD_SPLITS as readonly string[]).includes(text);
}

/** `2/8` → shard 2 of 8, split `by`; a message saying what is wrong otherwise. */
export function parseShard(text: string, by: ShardSplit): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) return `a shard is INDEX/COUNT with 0 ≤ INDEX < COUNT (e.g. 0/4), got '${text}'`;
  const shard = { index: Number(match[1]), count: Number(match[2]), by };
  return shardProblem(shard) ?? shard;
}

/** Why a shard cannot be used, or undefined when it can. */
export function shardProblem(shard: Shard): string | undefined {
  if (!Number.isSafeInteger(shard.count) || shard.count < 1) return `a shard count must be a whole number ≥ 1, got ${shard.count}`;
  if (!Number.isSafeInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    return `a shard index must be a whole number from 0 to ${shard.count - 1}, got ${shard.index}`;
  }
  if (!isShardSplit(shard.by)) return `a shard is split by ${SHARD_SPLITS.join(' or ')}, got '${String(shard.by)}'`;
  return undefined;
}

/** `shard 2/8`, `shard 2/8 by account and region`: how the source description and the coverage line name a shard. */
export function shardText(shard: Shard): string {
  return `shard ${shard.index}/${shard.count}${shard.by === 'account-region' ? ' by account and region' : ''}`;
}

/**
 * Whether an object belongs to the shard: split by object, the hash of its key; split by account and
 * region, the hash of `ACCOUNT/REGION` of its folder (both layouts of one account's region alike).
 * Depends on the object's key alone, so every machine, run and listing order agrees, and the parts of
 * one window are disjoint and cover it.
 */
export function isInShard(object: ShardedObject, shard: Shard): boolean {
  return shard.by === 'object' ? shardIndexOf(object.key, shard.count) === shard.index : ownsAccountRegion(shard, object.account, object.region);
}

/**
 * Whether the shard reads every log object of this account and region, so that it sees every event of a
 * threshold group keyed by them (as the group key reads them: `-` when a record has none). Split by
 * object, no shard does.
 */
export function ownsAccountRegion(shard: Shard, account: string, region: string): boolean {
  return shard.by === 'account-region' && shardIndexOf(`${account}/${region}`, shard.count) === shard.index;
}

/** The first 48 bits of the SHA-256 of the text, modulo the count: fixed, so a change would re-split running jobs. */
function shardIndexOf(text: string, count: number): number {
  return createHash('sha256').update(text, 'utf8').digest().readUIntBE(0, 6) % count;
}
