/**
 * Where a run's coverage builders keep their events: each event's hash (a 48-bit number) and its kind's
 * number, in chunks of {@link CHUNK_EVENTS} carved from a few large shared slabs, a builder's events
 * being a chain of chunks.
 *
 * Why not an array per builder: arrays grown by doubling are copied and freed as they grow, and the
 * freed arrays stay as holes in the C allocator's heap; and each builder's pair of typed arrays costs
 * some 300 bytes of V8 heap besides, for thousands of groups most of which hold a few events. Here nothing is copied or
 * freed while events are added, a builder is four numbers, and a group wastes at most one chunk's room.
 *
 * An event takes 8 bytes: the hash's low 32 bits, its high 16, and the kind number's low 16. The kind's
 * high 16 bits get a slab's array only once a kind numbered 65,536 or more is stored in it (a run
 * spanning years of hours × calls), a third less than a double and a 32-bit kind.
 */
export class CoverageEventStore {
  readonly #slabs: Slab[] = [];
  /** Chunks handed out from the last slab. */
  #usedInLastSlab = 0;

  /** A new chunk, linked after `previous` (a chunk id, or -1 for the first of a chain). */
  newChunk(previous: number): number {
    const last = this.#slabs[this.#slabs.length - 1];
    let slab = this.#slabs.length - 1;
    if (last === undefined || this.#usedInLastSlab === last.next.length) {
      // Slabs double up to a cap: a small run (or a test's builder) takes a few kilobytes, a large one a few MB a slab.
      const chunks = last === undefined ? FIRST_SLAB_CHUNKS : Math.min(last.next.length * 2, MAX_SLAB_CHUNKS);
      if (this.#slabs.length > MAX_SLABS) throw new Error('coverage event store is full');
      const events = chunks * CHUNK_EVENTS;
      this.#slabs.push({
        hashLow: new Uint32Array(events),
        hashHigh: new Uint16Array(events),
        kindLow: new Uint16Array(events),
        kindHigh: undefined,
        next: new Int32Array(chunks),
      });
      this.#usedInLastSlab = 0;
      slab += 1;
    }
    const chunk = (slab << SLAB_SHIFT) | this.#usedInLastSlab;
    this.#usedInLastSlab += 1;
    if (previous >= 0) this.#slabOf(previous).next[previous & CHUNK_MASK] = chunk + 1;
    return chunk;
  }

  /** Stores an event at `offset` (below {@link CHUNK_EVENTS}) of `chunk`: `hash` below 2^48, `kindNumber` below 2^32. */
  set(chunk: number, offset: number, hash: number, kindNumber: number): void {
    const slab = this.#slabOf(chunk);
    const at = (chunk & CHUNK_MASK) * CHUNK_EVENTS + offset;
    // Typed arrays keep the low bits of what they are given: the divisions give the high parts.
    slab.hashLow[at] = hash;
    slab.hashHigh[at] = hash / TWO_TO_32;
    slab.kindLow[at] = kindNumber;
    if (kindNumber >= TWO_TO_16) (slab.kindHigh ??= new Uint16Array(slab.kindLow.length))[at] = kindNumber / TWO_TO_16;
  }

  /** Calls `visit` with each of the first `size` events of the chain that starts at `first`, in the order they were stored. */
  visitChain(first: number, size: number, visit: (hash: number, kindNumber: number) => void): void {
    let chunk = first;
    for (let at = 0; at < size; at += CHUNK_EVENTS) {
      if (chunk < 0) throw new Error('bug: a coverage chain is shorter than its size');
      const { hashLow, hashHigh, kindLow, kindHigh, next } = this.#slabOf(chunk);
      const start = (chunk & CHUNK_MASK) * CHUNK_EVENTS;
      const end = start + Math.min(CHUNK_EVENTS, size - at);
      for (let index = start; index < end; index += 1) {
        const hash = (hashHigh[index] ?? 0) * TWO_TO_32 + (hashLow[index] ?? 0);
        visit(hash, (kindLow[index] ?? 0) + (kindHigh === undefined ? 0 : (kindHigh[index] ?? 0) * TWO_TO_16));
      }
      chunk = (next[chunk & CHUNK_MASK] ?? 0) - 1;
    }
  }

  #slabOf(chunk: number): Slab {
    const slab = this.#slabs[chunk >>> SLAB_SHIFT];
    if (slab === undefined) throw new Error(`bug: coverage chunk ${chunk} is not from this store`);
    return slab;
  }
}

/** A slab's events, by parts, and per chunk the id of the next chunk of its chain plus one (0: none, so fresh slabs need no filling). */
interface Slab {
  readonly hashLow: Uint32Array;
  readonly hashHigh: Uint16Array;
  readonly kindLow: Uint16Array;
  kindHigh: Uint16Array | undefined;
  readonly next: Int32Array;
}

const TWO_TO_16 = 2 ** 16;
const TWO_TO_32 = 2 ** 32;

/** Events per chunk: a group wastes at most this many events' room (most groups hold a few events). */
export const CHUNK_EVENTS = 16;

/** A chunk id is its slab's number shifted left by this, plus its place in the slab. */
const SLAB_SHIFT = 20;
const CHUNK_MASK = (1 << SLAB_SHIFT) - 1;
/** Ids stay positive 32-bit integers. */
const MAX_SLABS = 2 ** (31 - SLAB_SHIFT) - 1;
const FIRST_SLAB_CHUNKS = 16;
/** 16,384 chunks: 262,144 events, 2 MB a slab. */
const MAX_SLAB_CHUNKS = 16_384;
