const FIRST_SLOTS = 1 << 16;

/** How a record relates to those read before it with the same identity. */
export type Sighting =
  /** The first record with this identity. */
  | 'first'
  /** Same identity, same content fingerprint: a redelivery, counted once. */
  | 'redelivery'
  /** Same identity, other content: not a duplicate; the caller evaluates it and reports the conflict. */
  | 'conflict';

/**
 * The records a run has already seen, for dropping CloudTrail's duplicate deliveries, in flat typed
 * arrays: 12 bytes a slot at a load of at most three quarters, so about 16–32 bytes a record instead of
 * the ~100 a Set of eventID strings costs. Keys are uniformly
 * distributed, so even at that load linear probing looks at a few slots per record.
 *
 * A record is kept as 64 bits of SHA-256 of its identity ({@link identityDigest}, bytes 6–13, apart
 * from the 48 bits the event coverage uses) and the 32-bit fingerprint of its content
 * (records/content-fingerprint.ts) of the first record read with that identity. Two different
 * identities share a key with probability about n²/2⁶⁵ for n records: 1 in 15 million for a run of
 * 1.56 M records, 1 in 150,000 for 16 M. Such a collision would make the second record a redelivery
 * (counted in duplicateRecords) or a conflict (reported), never silently dropped.
 */
export class SeenIdentities {
  #high = new Uint32Array(FIRST_SLOTS);
  #low = new Uint32Array(FIRST_SLOTS);
  #fingerprints = new Uint32Array(FIRST_SLOTS);
  #size = 0;
  /** The all-zero key marks an empty slot; a record whose key is zero is remembered here instead. */
  #zeroFingerprint: number | undefined;

  get size(): number {
    return this.#size + (this.#zeroFingerprint === undefined ? 0 : 1);
  }

  /** Bytes the tables take: what the dedupe costs a run, outside V8's heap. */
  get byteLength(): number {
    return this.#high.byteLength + this.#low.byteLength + this.#fingerprints.byteLength;
  }

  /** Remembers the record of this identity digest and content fingerprint, unless one with its identity came before. */
  add(digest: Uint8Array, fingerprint: number): Sighting {
    const high = (((digest[6] ?? 0) << 24) | ((digest[7] ?? 0) << 16) | ((digest[8] ?? 0) << 8) | (digest[9] ?? 0)) >>> 0;
    const low = (((digest[10] ?? 0) << 24) | ((digest[11] ?? 0) << 16) | ((digest[12] ?? 0) << 8) | (digest[13] ?? 0)) >>> 0;
    if (high === 0 && low === 0) {
      if (this.#zeroFingerprint === undefined) {
        this.#zeroFingerprint = fingerprint;
        return 'first';
      }
      return this.#zeroFingerprint === fingerprint ? 'redelivery' : 'conflict';
    }
    if ((this.#size + 1) * 4 > this.#high.length * 3) this.#grow();
    const slot = this.#insert(high, low, fingerprint);
    if (slot < 0) {
      this.#size += 1;
      return 'first';
    }
    return this.#fingerprints[slot] === fingerprint ? 'redelivery' : 'conflict';
  }

  /** Forgets every record and gives back the tables' memory. */
  clear(): void {
    this.#high = new Uint32Array(FIRST_SLOTS);
    this.#low = new Uint32Array(FIRST_SLOTS);
    this.#fingerprints = new Uint32Array(FIRST_SLOTS);
    this.#size = 0;
    this.#zeroFingerprint = undefined;
  }

  /** Open addressing, linear probing; -1 when the key was inserted, else the slot that already holds it. */
  #insert(high: number, low: number, fingerprint: number): number {
    const mask = this.#high.length - 1;
    // The key is already uniformly distributed: its low bits are the slot.
    let slot = low & mask;
    for (;;) {
      const slotHigh = this.#high[slot] ?? 0;
      const slotLow = this.#low[slot] ?? 0;
      if (slotHigh === 0 && slotLow === 0) {
        this.#high[slot] = high;
        this.#low[slot] = low;
        this.#fingerprints[slot] = fingerprint;
        return -1;
      }
      if (slotHigh === high && slotLow === low) return slot;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const oldHigh = this.#high;
    const oldLow = this.#low;
    const oldFingerprints = this.#fingerprints;
    this.#high = new Uint32Array(oldHigh.length * 2);
    this.#low = new Uint32Array(oldLow.length * 2);
    this.#fingerprints = new Uint32Array(oldFingerprints.length * 2);
    for (let slot = 0; slot < oldHigh.length; slot += 1) {
      const high = oldHigh[slot] ?? 0;
      const low = oldLow[slot] ?? 0;
      if (high !== 0 || low !== 0) this.#insert(high, low, oldFingerprints[slot] ?? 0);
    }
  }
}
