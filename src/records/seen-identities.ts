const FIRST_SLOTS = 1 << 16;

/**
 * The records a run has already seen, for dropping CloudTrail's duplicate deliveries, in flat typed
 * arrays: 8 bytes a slot at a load of at most three quarters, so about 11–21 bytes a record instead of
 * the ~100 a Set of eventID strings costs (1.56 M records: 17 MB against ~150 MB). Keys are uniformly
 * distributed, so even at that load linear probing looks at a few slots per record.
 *
 * A record is kept as 64 bits of SHA-256 of its identity ({@link identityDigest}, bytes 6–13, apart
 * from the 48 bits the event coverage uses). Two different identities share a key with probability
 * about n²/2⁶⁵ for n records: 1 in 15 million for a run of 1.56 M records, 1 in 150,000 for 16 M. Such a
 * collision would drop the second record as a duplicate (counted in duplicateRecords, never silently).
 */
export class SeenIdentities {
  #high = new Uint32Array(FIRST_SLOTS);
  #low = new Uint32Array(FIRST_SLOTS);
  #size = 0;
  /** The all-zero key marks an empty slot; a record whose key is zero is remembered here instead. */
  #zeroSeen = false;

  get size(): number {
    return this.#size + (this.#zeroSeen ? 1 : 0);
  }

  /** Bytes the tables take: what the dedupe costs a run, outside V8's heap. */
  get byteLength(): number {
    return this.#high.byteLength + this.#low.byteLength;
  }

  /** Remembers the record of this digest; false when it was seen before. */
  addIfNew(digest: Uint8Array): boolean {
    const high = ((digest[6] ?? 0) << 24 | (digest[7] ?? 0) << 16 | (digest[8] ?? 0) << 8 | (digest[9] ?? 0)) >>> 0;
    const low = ((digest[10] ?? 0) << 24 | (digest[11] ?? 0) << 16 | (digest[12] ?? 0) << 8 | (digest[13] ?? 0)) >>> 0;
    if (high === 0 && low === 0) {
      if (this.#zeroSeen) return false;
      this.#zeroSeen = true;
      return true;
    }
    if ((this.#size + 1) * 4 > this.#high.length * 3) this.#grow();
    if (!this.#insert(high, low)) return false;
    this.#size += 1;
    return true;
  }

  /** Forgets every record and gives back the tables' memory (17 MB for 1.56 M records). */
  clear(): void {
    this.#high = new Uint32Array(FIRST_SLOTS);
    this.#low = new Uint32Array(FIRST_SLOTS);
    this.#size = 0;
    this.#zeroSeen = false;
  }

  /** Open addressing, linear probing; false when the key is there already. */
  #insert(high: number, low: number): boolean {
    const mask = this.#high.length - 1;
    // The key is already uniformly distributed: its low bits are the slot.
    let slot = low & mask;
    for (;;) {
      const slotHigh = this.#high[slot] ?? 0;
      const slotLow = this.#low[slot] ?? 0;
      if (slotHigh === 0 && slotLow === 0) {
        this.#high[slot] = high;
        this.#low[slot] = low;
        return true;
      }
      if (slotHigh === high && slotLow === low) return false;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const oldHigh = this.#high;
    const oldLow = this.#low;
    this.#high = new Uint32Array(oldHigh.length * 2);
    this.#low = new Uint32Array(oldLow.length * 2);
    for (let slot = 0; slot < oldHigh.length; slot += 1) {
      const high = oldHigh[slot] ?? 0;
      const low = oldLow[slot] ?? 0;
      if (high !== 0 || low !== 0) this.#insert(high, low);
    }
  }
}
