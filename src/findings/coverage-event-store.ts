/**
 * Where a run's coverage builders keep their events: each event's hash (a 48-bit number, exact in a
 * double) and its kind's number, in chunks of {@link CHUNK_EVENTS} carved from a few large shared
 * slabs, a builder's events being a chain of chunks.
 *
 * Why not an array per builder: arrays grown by doubling were copied and freed as they grew, and the
 * freed arrays stayed as holes in the C allocator's heap (the 2 GB benchmark: 122 MB of allocator heap
 * for 68 MB of arrays at the end of evaluation); and each builder's pair of typed arrays cost some 300
 * bytes of V8 heap besides, for 26,000 groups most of which hold a few events. Here nothing is copied or
 * freed while events are added, a builder is four numbers, and a group wastes at most one chunk's room.
 */
export class CoverageEventStore {
  readonly #hashSlabs: Float64Array[] = [];
  readonly #kindSlabs: Uint32Array[] = [];
  /** Per chunk, the id of the next chunk of its chain plus one (0: none, so fresh slabs need no filling). */
  readonly #nextSlabs: Int32Array[] = [];
  /** Chunks handed out from the last slab. */
  #usedInLastSlab = 0;

  /** A new chunk, linked after `previous` (a chunk id, or -1 for the first of a chain). */
  newChunk(previous: number): number {
    const lastSlab = this.#nextSlabs.length - 1;
    const lastNext = this.#nextSlabs[lastSlab];
    let slab = lastSlab;
    if (lastNext === undefined || this.#usedInLastSlab === lastNext.length) {
      // Slabs double up to a cap: a small run (or a test's builder) takes a few kilobytes, a large one a few MB a slab.
      const chunks = lastNext === undefined ? FIRST_SLAB_CHUNKS : Math.min(lastNext.length * 2, MAX_SLAB_CHUNKS);
      if (this.#nextSlabs.length > MAX_SLABS) throw new Error('coverage event store is full');
      this.#hashSlabs.push(new Float64Array(chunks * CHUNK_EVENTS));
      this.#kindSlabs.push(new Uint32Array(chunks * CHUNK_EVENTS));
      this.#nextSlabs.push(new Int32Array(chunks));
      this.#usedInLastSlab = 0;
      slab = lastSlab + 1;
    }
    const chunk = (slab << SLAB_SHIFT) | this.#usedInLastSlab;
    this.#usedInLastSlab += 1;
    if (previous >= 0) this.#nextOf(previous)[previous & CHUNK_MASK] = chunk + 1;
    return chunk;
  }

  /** Stores an event at `offset` (below {@link CHUNK_EVENTS}) of `chunk`. */
  set(chunk: number, offset: number, hash: number, kindNumber: number): void {
    const slab = chunk >>> SLAB_SHIFT;
    const at = (chunk & CHUNK_MASK) * CHUNK_EVENTS + offset;
    (this.#hashSlabs[slab] as Float64Array)[at] = hash;
    (this.#kindSlabs[slab] as Uint32Array)[at] = kindNumber;
  }

  /** Calls `visit` with each of the first `size` events of the chain that starts at `first`, in the order they were stored. */
  visitChain(first: number, size: number, visit: (hash: number, kindNumber: number) => void): void {
    let chunk = first;
    for (let at = 0; at < size; at += CHUNK_EVENTS) {
      if (chunk < 0) throw new Error('bug: a coverage chain is shorter than its size');
      const slab = chunk >>> SLAB_SHIFT;
      const hashes = this.#hashSlabs[slab] as Float64Array;
      const kindNumbers = this.#kindSlabs[slab] as Uint32Array;
      const start = (chunk & CHUNK_MASK) * CHUNK_EVENTS;
      const end = start + Math.min(CHUNK_EVENTS, size - at);
      for (let index = start; index < end; index += 1) visit(hashes[index] ?? 0, kindNumbers[index] ?? 0);
      chunk = (this.#nextOf(chunk)[chunk & CHUNK_MASK] ?? 0) - 1;
    }
  }

  #nextOf(chunk: number): Int32Array {
    const next = this.#nextSlabs[chunk >>> SLAB_SHIFT];
    if (next === undefined) throw new Error(`bug: coverage chunk ${chunk} is not from this store`);
    return next;
  }
}

/** Events per chunk: a group wastes at most this many events' room (most groups hold a few events). */
export const CHUNK_EVENTS = 16;

/** A chunk id is its slab's number shifted left by this, plus its place in the slab. */
const SLAB_SHIFT = 20;
const CHUNK_MASK = (1 << SLAB_SHIFT) - 1;
/** Ids stay positive 32-bit integers. */
const MAX_SLABS = 2 ** (31 - SLAB_SHIFT) - 1;
const FIRST_SLAB_CHUNKS = 16;
/** 16,384 chunks: 262,144 events, 3 MB a slab. */
const MAX_SLAB_CHUNKS = 16_384;
