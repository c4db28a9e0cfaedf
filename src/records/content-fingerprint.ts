import { hash, randomBytes } from 'node:crypto';

import type { CloudTrailRecord } from './cloudtrail-record.js';
import { canonicalJson } from './record-identity.js';

/**
 * 32-bit fingerprints of records' content, for telling a redelivery (same eventID, same content) from
 * a record that reuses an eventID with other content (an integrity conflict: both are evaluated).
 *
 * Whoever can write to a trail's bucket can read the real record and try forged ones until one
 * shares its fingerprint; 32 bits of a public hash would fall to that in minutes. The hash is therefore
 * keyed with a secret drawn afresh for each run: a forged record shares the real one's fingerprint
 * with probability 2⁻³², and no run tells the forger which key the next one uses.
 *
 * The text hashed is `JSON.stringify` of the parsed record: native, and the whole record (a field a
 * custom rule reads cannot be left out). Whitespace, escapes and number spelling do not change it; key
 * order does, so a copy re-serialized with its keys in another order is a conflict: reported and
 * evaluated twice, never hidden. Records nested too deep for JSON.stringify's stack are hashed by their
 * {@link canonicalJson}, which walks without recursion.
 */
export class ContentFingerprints {
  readonly #key = randomBytes(16).toString('base64');

  of(record: CloudTrailRecord): number {
    return hash('sha256', this.#key + textOf(record), 'buffer').readUInt32BE(0);
  }
}

function textOf(record: CloudTrailRecord): string {
  try {
    return JSON.stringify(record);
  } catch {
    // RangeError: the call stack ran out (thousands of nested levels, hostile input).
    return canonicalJson(record);
  }
}
