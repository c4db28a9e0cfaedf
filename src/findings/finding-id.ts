import { hash as sha256 } from 'node:crypto';
import type { GroupKey } from '../grouping/group-key.js';
import { canonicalGroupKey } from '../grouping/group-key.js';
import { ASFF_LIMITS } from './asff-limits.js';

/** 32 hex digits (128 bits) of SHA-256: collisions between groups are not a practical concern. */
const KEY_HASH_LENGTH = 32;

/**
 * The finding's Id: `lfvaudit/<ruleId>/<account>/<region>/<hash of the canonical group key>`. The same
 * group gets the same Id on every run, so Security Hub updates the finding instead of adding another.
 * An Id that would pass 512 characters (a very long rule id) falls back to `lfvaudit/<full hash>`.
 * `canonicalKey`: the key's {@link canonicalGroupKey}, when the caller has it already (groups keep it).
 */
export function findingIdOf(key: GroupKey, canonicalKey: string = canonicalGroupKey(key)): string {
  const hash = sha256('sha256', canonicalKey, 'hex');
  const id = `lfvaudit/${key.ruleId}/${key.account}/${key.region}/${hash.slice(0, KEY_HASH_LENGTH)}`;
  return id.length <= ASFF_LIMITS.idLength ? id : `lfvaudit/${hash}`;
}

/** The finding's GeneratorId: one per rule. */
export function generatorIdOf(ruleId: string): string {
  return `lfvaudit/${ruleId}`;
}
