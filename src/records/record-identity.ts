import { createHash, hash } from 'node:crypto';

import { stringField, type CloudTrailRecord } from './cloudtrail-record.js';

/** Marks identities made from a hash; CloudTrail eventIDs are UUIDs and never take this form. */
const HASH_PREFIX = 'sha256:';

/**
 * The key the audit deduplicates records on: CloudTrail delivers some events more than once, each
 * time with the same eventID. Records without one (hand-made fixtures, some exports) are keyed by a
 * hash of their content, so the same record read twice is still counted once.
 */
export function recordIdentity(record: CloudTrailRecord): string {
  const eventId = stringField(record, 'eventID');
  if (eventId !== undefined && eventId !== '') return eventId;
  return contentIdentity(record);
}

/** True for an identity made from the record's content ({@link contentIdentity}): it has no eventID to be reused. */
export function isContentIdentity(identity: string): boolean {
  return identity.startsWith(HASH_PREFIX);
}

/**
 * An identity made from a record's whole content (its {@link canonicalJson}): the same for every copy
 * of the record, whatever the order of its keys, and different for any other content.
 */
export function contentIdentity(record: CloudTrailRecord): string {
  return HASH_PREFIX + createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** JSON text in which every object's keys are sorted, so equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  // A stack of values still to write and literal punctuation, so nesting depth cannot overflow the call stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next instanceof Punctuation) {
      parts.push(next.text);
    } else if (Array.isArray(next)) {
      pending.push(new Punctuation(']'));
      for (let index = next.length - 1; index >= 0; index -= 1) {
        pending.push(next[index]);
        if (index > 0) pending.push(new Punctuation(','));
      }
      pending.push(new Punctuation('['));
    } else if (typeof next === 'object' && next !== null) {
      const keys = Object.keys(next).sort();
      pending.push(new Punctuation('}'));
      for (let index = keys.length - 1; index >= 0; index -= 1) {
        const key = keys[index] as string;
        pending.push((next as Record<string, unknown>)[key]);
        pending.push(new Punctuation(`${index > 0 ? ',' : ''}${JSON.stringify(key)}:`));
      }
      pending.push(new Punctuation('{'));
    } else {
      // Records are parsed JSON: only strings, finite numbers, booleans and null reach here.
      parts.push(JSON.stringify(next) ?? 'null');
    }
  }
  return parts.join('');
}

class Punctuation {
  constructor(readonly text: string) {}
}

/**
 * SHA-256 of a record's identity, worked out once per record: its first 48 bits are the event's
 * coverage hash (coverage/event-coverage.ts), the next 64 its key in the run's dedupe set
 * (records/seen-identities.ts).
 */
export function identityDigest(identity: string): Buffer {
  // One-shot hashing: a Hash object per record cost more than the hashing itself.
  return hash('sha256', identity, 'buffer');
}
