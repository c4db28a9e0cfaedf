import { createHash } from 'node:crypto';
import { CHUNK_EVENTS, CoverageEventStore } from './event-store.js';
import { compareStrings } from '../shared/bounded-collections.js';
import { hourPeriodOf, periodsCovering, UNDATED_PERIOD } from './periods.js';

/**
 * Event coverage: what a finding knows about the events it counts, precisely enough that merging what
 * two runs saw never counts an event twice, and two runs over different inputs add up. Events are kept
 * in buckets, one per UTC period and kind of call (event name and error code). A bucket holds:
 * - `hashes`: a short hash of every event runs saw there: the evidence. Sets merge by union, which is
 *   exact for any split of the inputs (two folders, two buckets, shards, overlapping windows) and
 *   idempotent (re-reading an input adds nothing).
 * - `count`: what compaction (the ProductFields budget, src/findings/coverage-fields.ts) left of hashes it
 *   turned into a number, with `countDigest`, the XOR of the hashes it counted, so that the same count
 *   met again is recognised as the same events. A count cannot tell which events it holds: merged with
 *   a different count, or with hashes that are not exactly its own events, the bucket holds at least
 *   the larger of the two, and says so (`countIsLowerBound`): never a silently low count.
 * The bucket holds at least max(count, |hashes|) distinct events: that is its effective count, and
 * EventCount is their sum. The merge is a join-semilattice: commutative, associative and idempotent,
 * so runs may be merged in any order and any grouping, and a run merged twice changes nothing. See
 * docs/findings-lifecycle.md.
 */
export interface CoverageBucket {
  /** `YYYYMMDDHH`, or a coarser `YYYYMMDD` / `YYYYMM` after compaction, or `-` for undated events. */
  readonly period: string;
  /** Undefined for a bucket in which compaction folded every kind of call together. */
  readonly eventName?: string;
  readonly errorCode?: string;
  /** Events compaction counted (0: none). */
  readonly count: number;
  /** XOR of the counted events' hashes ({@link xorOfHashes}), or {@link NO_DIGEST} when unknown (a lower bound, or a count written before digests). */
  readonly countDigest: number;
  /** True when `count` may be short of the events it stands for: two inputs met in a bucket only one of them could still tell apart. */
  readonly countIsLowerBound: boolean;
  /**
   * The hashes as {@link BucketHashes}: numbers in ascending order, each once. Plain data rather than a
   * set of texts: a busy group's buckets hold hundreds of thousands of hashes, most of which compaction
   * turns into counts before any is written, and a typed array costs 8 bytes a hash with no object per
   * hash.
   */
  readonly hashes: BucketHashes;
}

/**
 * A bucket's event hashes, each as the number whose order is its text's code-unit order
 * ({@link bucketHashesText} gives the text): sorted ascending, no duplicates, never written after it is
 * made. Sorted and duplicate-free, so equal sets of hashes are deeply equal arrays.
 */
export type BucketHashes = Float64Array;

/** The hashes of a bucket that has none, shared (frozen: an empty typed array can be, and it cannot be written). */
export const NO_HASHES: BucketHashes = Object.freeze(new Float64Array(0));

/** The digest of a count whose events are not known: never equal to an {@link xorOfHashes}, which is at least 0. */
export const NO_DIGEST = -1;

/** Buckets by {@link bucketKey}. */
export type EventCoverage = ReadonlyMap<string, CoverageBucket>;

/** Longest event name or error code a bucket keeps: API names are far shorter; event data is untrusted. */
const MAX_KIND_LENGTH = 128;

/** Bytes of SHA-256 kept per event: 48 bits, 8 base64url characters. */
const HASH_BYTES = 6;

/**
 * The short hash that stands for an event in a partly covered bucket. Two different events of one
 * bucket share a hash with probability about n²/2⁴⁹ for n events (1 in 5.6 million for 10,000): the
 * bucket would then count one event too few, never one too many.
 */
export function eventHashOf(identity: string): string {
  return eventHashText(eventHashNumberOf(createHash('sha256').update(identity, 'utf8').digest()));
}

/**
 * The same hash as a number (the first 48 bits of SHA-256(identity), big-endian: exact in a double),
 * from a digest the caller already has. Builders and buckets keep numbers, 8 bytes an event in typed
 * arrays, and only what a finding writes becomes text: a Set of short strings costs about ten times that.
 */
export function eventHashNumberOf(sha256OfIdentity: Uint8Array): number {
  return Buffer.from(sha256OfIdentity.buffer, sha256OfIdentity.byteOffset, HASH_BYTES).readUIntBE(0, HASH_BYTES);
}

/** Base64url's digits by value, and the same 64 characters in code-unit order (how hash texts sort). */
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_SORTED = [...BASE64URL].sort().join('');
/** For each digit value, its character's place in {@link BASE64URL_SORTED}. */
const SORTED_PLACE = Uint8Array.from(BASE64URL, (character) => BASE64URL_SORTED.indexOf(character));
/** {@link BASE64URL_SORTED}'s characters as ASCII codes. */
const SORTED_CODES = Uint8Array.from(BASE64URL_SORTED, (character) => character.charCodeAt(0));
const NOT_BASE64URL = 255;
/** For each code unit below 128, its character's place in {@link BASE64URL_SORTED}, or {@link NOT_BASE64URL}. */
const PLACE_OF_CODE = Uint8Array.from({ length: 128 }, (_, code) => {
  const place = BASE64URL_SORTED.indexOf(String.fromCharCode(code));
  return place === -1 ? NOT_BASE64URL : place;
});
const LOW_24_BITS = 2 ** 24;
/** Characters of a hash's text. */
export const HASH_TEXT_LENGTH = 8;

/** The text form of {@link eventHashNumberOf}: 8 base64url characters, what ProductFields hold. */
export function eventHashText(hash: number): string {
  return digitsText(hash, BASE64URL);
}

/**
 * A hash as a number that sorts the way its {@link eventHashText} sorts (each of its eight 6-bit
 * digits replaced by its character's place in code-unit order): the form buckets keep
 * ({@link BucketHashes}), so snapshots and merges sort numbers and text is made only of what is written.
 * {@link bucketHashesText} turns it back into the same text.
 */
function textOrderOf(hash: number): number {
  const high = Math.floor(hash / LOW_24_BITS);
  const low = hash - high * LOW_24_BITS;
  return placesOf(high) * LOW_24_BITS + placesOf(low);
}

function placesOf(digits24: number): number {
  return (
    ((SORTED_PLACE[(digits24 >>> 18) & 63] ?? 0) << 18) |
    ((SORTED_PLACE[(digits24 >>> 12) & 63] ?? 0) << 12) |
    ((SORTED_PLACE[(digits24 >>> 6) & 63] ?? 0) << 6) |
    (SORTED_PLACE[digits24 & 63] ?? 0)
  );
}

/**
 * The texts of `hashes[from]` to `hashes[to - 1]` of a bucket, run together: for each, the same 8
 * characters {@link eventHashText} gave its event. One string for the lot, written as bytes, rather
 * than one string per hash: this is the one place hashes become text, for what a finding writes.
 */
export function bucketHashesText(hashes: BucketHashes, from = 0, to = hashes.length): string {
  const bytes = Buffer.allocUnsafe((to - from) * HASH_TEXT_LENGTH);
  let at = 0;
  for (let index = from; index < to; index += 1) {
    const hash = hashes[index] ?? 0;
    const high = Math.floor(hash / LOW_24_BITS);
    const low = hash - high * LOW_24_BITS;
    writeDigits(bytes, at, high);
    writeDigits(bytes, at + HASH_TEXT_LENGTH / 2, low);
    at += HASH_TEXT_LENGTH;
  }
  return bytes.toString('latin1');
}

/** 24 bits as the 4 characters of their 6-bit digits' places in {@link BASE64URL_SORTED}, most significant first. */
function writeDigits(bytes: Buffer, at: number, places24: number): void {
  bytes[at] = SORTED_CODES[(places24 >>> 18) & 63] ?? 0;
  bytes[at + 1] = SORTED_CODES[(places24 >>> 12) & 63] ?? 0;
  bytes[at + 2] = SORTED_CODES[(places24 >>> 6) & 63] ?? 0;
  bytes[at + 3] = SORTED_CODES[places24 & 63] ?? 0;
}

/**
 * The bucket hash (see {@link BucketHashes}) written as the 8 characters of `text` from `at`, or
 * undefined when one of them is not base64url. 8 characters of 6 bits each: exactly 48 bits, so every
 * such text has one number and {@link bucketHashesText} gives it back.
 */
export function bucketHashOfText(text: string, at = 0): number | undefined {
  let high = 0;
  let low = 0;
  for (let index = 0; index < HASH_TEXT_LENGTH; index += 1) {
    const code = text.charCodeAt(at + index);
    // NaN past the end of the text: `code < 128` is false for it as well.
    const place = code < 128 ? (PLACE_OF_CODE[code] ?? NOT_BASE64URL) : NOT_BASE64URL;
    if (place === NOT_BASE64URL) return undefined;
    if (index < HASH_TEXT_LENGTH / 2) high = high * 64 + place;
    else low = low * 64 + place;
  }
  return high * LOW_24_BITS + low;
}

/**
 * `hashes` (the caller's to give away: nothing else reads or writes them, though they may be a view of
 * a larger array, as a snapshot's are) as {@link BucketHashes}: sorted in place (a typed array sorts by
 * value, without a comparator call per step), then each hash once.
 */
export function bucketHashesOf(hashes: Float64Array): BucketHashes {
  if (hashes.length === 0) return NO_HASHES;
  hashes.sort();
  let kept = 1;
  for (let index = 1; index < hashes.length; index += 1) {
    const hash = hashes[index] ?? 0;
    if (hash !== hashes[kept - 1]) {
      hashes[kept] = hash;
      kept += 1;
    }
  }
  // A copy only when duplicates were dropped (rare: two events of one bucket sharing a hash), so the
  // array does not hold on to more than its hashes.
  return kept === hashes.length ? hashes : hashes.slice(0, kept);
}

/** The union of two {@link BucketHashes}: a merge of the sorted arrays, each hash once. */
export function unionOfHashes(a: BucketHashes, b: BucketHashes): BucketHashes {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const size = mergeSorted(a, b, undefined);
  if (size === a.length) return a;
  if (size === b.length) return b;
  const union = new Float64Array(size);
  mergeSorted(a, b, union);
  return union;
}

/** How many distinct hashes `a` and `b` hold together, written in order into `into` when given. */
function mergeSorted(a: BucketHashes, b: BucketHashes, into: Float64Array | undefined): number {
  let atA = 0;
  let atB = 0;
  let size = 0;
  while (atA < a.length || atB < b.length) {
    const fromA = atA < a.length ? (a[atA] ?? 0) : Number.POSITIVE_INFINITY;
    const fromB = atB < b.length ? (b[atB] ?? 0) : Number.POSITIVE_INFINITY;
    const next = fromA <= fromB ? fromA : fromB;
    if (fromA === next) atA += 1;
    if (fromB === next) atB += 1;
    if (into !== undefined) into[size] = next;
    size += 1;
  }
  return size;
}

/** A 48-bit number as 8 characters of `alphabet`, most significant 6 bits first. */
function digitsText(value: number, alphabet: string): string {
  const high = Math.floor(value / LOW_24_BITS);
  const low = value - high * LOW_24_BITS;
  return (
    alphabet.charAt((high >>> 18) & 63) +
    alphabet.charAt((high >>> 12) & 63) +
    alphabet.charAt((high >>> 6) & 63) +
    alphabet.charAt(high & 63) +
    alphabet.charAt((low >>> 18) & 63) +
    alphabet.charAt((low >>> 12) & 63) +
    alphabet.charAt((low >>> 6) & 63) +
    alphabet.charAt(low & 63)
  );
}

function eventHashNumberOfText(hash: string): number {
  return Buffer.from(hash, 'base64url').readUIntBE(0, HASH_BYTES);
}

const NEEDS_JSON_ESCAPE = /["\\\p{Cc}\p{Cs}]/u;

/** `["2025102013","CreateDataset",null]`: JSON of the bucket's period and kinds. */
export function bucketKey(period: string, eventName: string | undefined, errorCode: string | undefined): string {
  // Texts JSON writes as they are (no quote, backslash, control character or lone surrogate) need no JSON.stringify.
  if (
    NEEDS_JSON_ESCAPE.test(period) ||
    (eventName !== undefined && NEEDS_JSON_ESCAPE.test(eventName)) ||
    (errorCode !== undefined && NEEDS_JSON_ESCAPE.test(errorCode))
  ) {
    return JSON.stringify([period, eventName ?? null, errorCode ?? null]);
  }
  return `["${period}",${eventName === undefined ? 'null' : `"${eventName}"`},${errorCode === undefined ? 'null' : `"${errorCode}"`}]`;
}

export function effectiveCount(bucket: CoverageBucket): number {
  return Math.max(bucket.count, bucket.hashes.length);
}

/**
 * Whether the bucket's effective count may be short of its events: its count is marked so, or it holds
 * both a count and hashes that are not exactly the counted events (same number, same XOR), so the two
 * may overlap in any part.
 */
export function isLowerBound(bucket: CoverageBucket): boolean {
  if (bucket.countIsLowerBound) return true;
  if (bucket.count === 0 || bucket.hashes.length === 0) return false;
  return !(bucket.hashes.length === bucket.count && bucket.countDigest !== NO_DIGEST && xorOfHashes(bucket.hashes) === bucket.countDigest);
}

/** The XOR of a set of hashes (48-bit numbers, XORed as two 24-bit halves): what a count keeps of the events it counted. */
export function xorOfHashes(hashes: BucketHashes): number {
  let high = 0;
  let low = 0;
  for (const hash of hashes) {
    const hashHigh = Math.floor(hash / LOW_24_BITS);
    high ^= hashHigh;
    low ^= hash - hashHigh * LOW_24_BITS;
  }
  return high * LOW_24_BITS + low;
}

/** The XOR of two digests; {@link NO_DIGEST} when either is unknown. */
export function xorOfDigests(a: number, b: number): number {
  if (a === NO_DIGEST || b === NO_DIGEST) return NO_DIGEST;
  const aHigh = Math.floor(a / LOW_24_BITS);
  const bHigh = Math.floor(b / LOW_24_BITS);
  return (aHigh ^ bHigh) * LOW_24_BITS + ((a - aHigh * LOW_24_BITS) ^ (b - bHigh * LOW_24_BITS));
}

/** What a count says about its events: how many, their digest, and whether it is only a lower bound. */
export interface CountOf {
  readonly count: number;
  readonly digest: number;
  readonly lowerBound: boolean;
}

export const NO_COUNT: CountOf = { count: 0, digest: NO_DIGEST, lowerBound: false };

/**
 * The join of two counts of one bucket: no count is the identity, the same count (same number and
 * digest, neither a lower bound) is itself, and anything else is the larger, as a lower bound (two
 * counts cannot tell whether they overlap). Commutative, associative and idempotent.
 */
export function joinCounts(a: CountOf, b: CountOf): CountOf {
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  if (!a.lowerBound && !b.lowerBound && a.count === b.count && a.digest === b.digest) return a;
  return { count: Math.max(a.count, b.count), digest: NO_DIGEST, lowerBound: true };
}

export function countOf(bucket: CoverageBucket): CountOf {
  return { count: bucket.count, digest: bucket.countDigest, lowerBound: bucket.countIsLowerBound };
}

/**
 * The bucket's events as a count alone, as compaction keeps them: its effective count, with the digest
 * of the events when they are known exactly (only hashes, only an exact count, or hashes that are the
 * counted events), else marked as a lower bound.
 */
export function countedForm(bucket: CoverageBucket): CountOf {
  const count = effectiveCount(bucket);
  if (isLowerBound(bucket)) return { count, digest: NO_DIGEST, lowerBound: true };
  if (bucket.count === 0) return { count, digest: xorOfHashes(bucket.hashes), lowerBound: false };
  return countOf(bucket);
}

/** The join of two buckets of one key: their counts joined ({@link joinCounts}), their hashes united. */
export function mergeBuckets(a: CoverageBucket, b: CoverageBucket): CoverageBucket {
  return makeBucket(a.period, a.eventName, a.errorCode, joinCounts(countOf(a), countOf(b)), unionOfHashes(a.hashes, b.hashes));
}

/**
 * Which bucket an event goes to: worked out once per record (the period's date formatting, the kinds'
 * clean-up and the key are the same for every group the record joins).
 */
export interface CoverageKind {
  readonly key: string;
  readonly period: string;
  readonly eventName: string;
  readonly errorCode: string | undefined;
}

export function coverageKindOf(time: number | undefined, eventName: string, errorCode: string | undefined): CoverageKind {
  const period = hourPeriodOf(time);
  const name = kindText(eventName);
  const code = errorCode === undefined || errorCode === '' ? undefined : kindText(errorCode);
  return { key: bucketKey(period, name, code), period, eventName: name, errorCode: code };
}

/** A {@link CoverageKind} with its number in the {@link CoverageKinds} table that made it. */
export interface NumberedCoverageKind extends CoverageKind {
  readonly number: number;
}

/**
 * The kinds of a run's coverage, numbered, so that builders keep 4 bytes an event for its kind instead
 * of a reference each, or a table of their own (a busy group meets thousands of kinds: hours × calls).
 * {@link kindOf} numbers a kind as it is made, without a lookup: the grouping interns kinds itself (one
 * per hour and call). Kinds made elsewhere ({@link EventCoverageBuilder.add}'s) go through
 * {@link intern}, which finds them by key. Kinds are few next to events: hours × calls.
 */
export class CoverageKinds {
  readonly #kinds: NumberedCoverageKind[] = [];

  /** {@link coverageKindOf}, numbered: a new number each call. */
  kindOf(time: number | undefined, eventName: string, errorCode: string | undefined): NumberedCoverageKind {
    const kind = coverageKindOf(time, eventName, errorCode);
    const numbered = { key: kind.key, period: kind.period, eventName: kind.eventName, errorCode: kind.errorCode, number: this.#kinds.length };
    this.#kinds.push(numbered);
    return numbered;
  }

  /** Kinds by key, for {@link intern} only: made on first use, as the grouping's own kinds never need it. */
  #byKey: Map<string, NumberedCoverageKind> | undefined;

  /** This table's numbered kind with `kind`'s key, made once: for kinds this table did not number. */
  intern(kind: CoverageKind): NumberedCoverageKind {
    this.#byKey ??= new Map();
    let numbered = this.#byKey.get(kind.key);
    if (numbered === undefined) {
      numbered = { key: kind.key, period: kind.period, eventName: kind.eventName, errorCode: kind.errorCode, number: this.#kinds.length };
      this.#kinds.push(numbered);
      this.#byKey.set(kind.key, numbered);
    }
    return numbered;
  }

  /** The kind numbered `number` here; undefined for a number this table did not give. */
  at(number: number): NumberedCoverageKind | undefined {
    return this.#kinds[number];
  }
}

/** The events of one run, as the hashes of its buckets. */
export class EventCoverageBuilder {
  /**
   * Each added event's {@link eventHashNumberOf} hash and its kind's number, as a chain of chunks in
   * the run's {@link CoverageEventStore}: 8 bytes an event outside V8's heap, so a large run's coverage
   * is not multiplied by the room V8 lets its heap grow by before collecting, and no array of its own
   * per builder.
   * No per-bucket objects until a snapshot: a group's events are spread over many hours, often one or
   * two a bucket. Snapshots dedupe.
   */
  readonly #store: CoverageEventStore;
  #firstChunk = -1;
  #lastChunk = -1;
  /** Events in the last chunk. */
  #used = CHUNK_EVENTS;
  #size = 0;
  readonly #kinds: CoverageKinds;

  /**
   * `kinds`: the table every kind given to {@link addHash} comes from; `store`: where the events are
   * kept. A run shares one of each among its groups.
   */
  constructor(kinds: CoverageKinds = new CoverageKinds(), store: CoverageEventStore = new CoverageEventStore()) {
    this.#kinds = kinds;
    this.#store = store;
  }

  /** Adds one distinct event (callers dedupe on identity first); `hash`, when given, is eventHashOf(identity) worked out once per record. */
  add(event: {
    readonly time: number | undefined;
    readonly eventName: string;
    readonly errorCode: string | undefined;
    readonly identity: string;
    readonly hash?: string;
  }): void {
    const hash = event.hash ?? eventHashOf(event.identity);
    this.addHash(this.#kinds.intern(coverageKindOf(event.time, event.eventName, event.errorCode)), eventHashNumberOfText(hash));
  }

  /** Adds one event by its bucket's kind (from this builder's table) and {@link eventHashNumberOf} hash: the per-match hot path. */
  addHash(kind: NumberedCoverageKind, hash: number): void {
    // A kind numbered by another table would be read back as a different kind: a bug, caught here.
    if (this.#kinds.at(kind.number) !== kind) throw new Error(`bug: coverage kind ${kind.key} is not from this builder's table`);
    if (this.#used === CHUNK_EVENTS) {
      this.#lastChunk = this.#store.newChunk(this.#lastChunk);
      if (this.#firstChunk < 0) this.#firstChunk = this.#lastChunk;
      this.#used = 0;
    }
    this.#store.set(this.#lastChunk, this.#used, hash, kind.number);
    this.#used += 1;
    this.#size += 1;
  }

  /** The buckets so far, each with its distinct hashes as {@link BucketHashes}, ordered as {@link sortedCoverage} orders them. */
  snapshot(): EventCoverage {
    // Two passes over the events, so that each kind's hashes go straight into a typed array of their
    // exact number: first how many each kind has, then the hashes, in text order (see textOrderOf).
    const byNumber = new Map<number, KindHashes>();
    // Read where the store keeps them rather than from a copy: a busy group's copy (12 bytes an event)
    // outlived two young-generation collections while its finding was built, and waited for a full one.
    const size = this.#size;
    // Events of a kind tend to come in runs: a lookup per run of equal numbers, not per event.
    let lastNumber = -1;
    let last: KindHashes | undefined;
    this.#store.visitChain(this.#firstChunk, size, (_hash, number) => {
      if (number !== lastNumber || last === undefined) {
        lastNumber = number;
        last = byNumber.get(number);
        if (last === undefined) {
          const kind = this.#kinds.at(number);
          if (kind === undefined) throw new Error(`bug: coverage kind number ${number} unknown`);
          last = { kind, hashes: NO_HASHES, filled: 0 };
          byNumber.set(number, last);
        }
      }
      last.filled += 1;
    });
    // One array for all of them, each kind's hashes a view of its part: a typed array of its own costs
    // some 200 bytes of heap besides its data (its buffer, and the buffer's record), and a busy group's
    // snapshot has thousands of buckets, built slowly enough for V8 to move them to the old generation.
    // A bucket then keeps the whole array alive; snapshots are made for one finding and dropped.
    const all = new Float64Array(size);
    let start = 0;
    for (const entry of byNumber.values()) {
      entry.hashes = all.subarray(start, start + entry.filled);
      start += entry.filled;
      entry.filled = 0;
    }
    lastNumber = -1;
    this.#store.visitChain(this.#firstChunk, size, (hash, number) => {
      if (number !== lastNumber || last === undefined) {
        lastNumber = number;
        last = byNumber.get(number);
        if (last === undefined) throw new Error(`bug: coverage kind number ${number} not counted`);
      }
      last.hashes[last.filled] = textOrderOf(hash);
      last.filled += 1;
    });
    // What sortedCoverage does, on the kinds, with the keys they already carry. Kinds with equal keys
    // (made afresh rather than interned) compare equal, so they end up side by side: one bucket.
    const kinds = [...byNumber.values()].sort((a, b) => compareBuckets(a.kind, b.kind));
    const coverage = new Map<string, CoverageBucket>();
    for (let at = 0; at < kinds.length;) {
      const first = kinds[at];
      if (first === undefined) break;
      let end = at + 1;
      while (end < kinds.length && kinds[end]?.kind.key === first.kind.key) end += 1;
      // Sorted, so the same events give equal snapshots whatever order they came in.
      const own = end === at + 1 ? first.hashes : concatenated(kinds.slice(at, end).map((entry) => entry.hashes));
      const { kind } = first;
      coverage.set(kind.key, makeBucket(kind.period, kind.eventName, kind.errorCode, NO_COUNT, bucketHashesOf(own)));
      at = end;
    }
    return coverage;
  }
}

/** One kind's hashes in a snapshot: `filled` counts them on the first pass, then counts those written. */
interface KindHashes {
  readonly kind: CoverageKind;
  hashes: Float64Array;
  filled: number;
}

function concatenated(arrays: readonly Float64Array[]): Float64Array {
  const joined = new Float64Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let at = 0;
  for (const array of arrays) {
    joined.set(array, at);
    at += array.length;
  }
  return joined;
}

/**
 * The join of two coverages: per bucket, the counts joined and the union of hashes ({@link mergeBuckets}).
 * Buckets that a compacted (coarser) bucket of the other side covers are folded into it (see
 * {@link normalizeCoverage}).
 */
export function mergeCoverage(a: EventCoverage, b: EventCoverage): EventCoverage {
  const merged = new Map<string, CoverageBucket>(a);
  for (const [key, bucket] of b) {
    const existing = merged.get(key);
    merged.set(key, existing === undefined ? bucket : mergeBuckets(existing, bucket));
  }
  return normalizeCoverage(merged);
}

/**
 * Folds every bucket that another bucket covers into the nearest one covering it, finest first, so
 * each cover ends up with the larger of its own effective count and the sum of what it absorbed: both
 * are lower bounds of the events in that period, so no event is counted twice, and the cover is marked
 * as a lower bound (a count cannot tell how much of what it absorbed it already held). Only compaction
 * creates covering buckets (coarser periods, folded kinds), and a normalized coverage has nothing
 * under a cover: coverages of hours alone, and a coverage merged with itself, pass unchanged.
 */
export function normalizeCoverage(coverage: ReadonlyMap<string, CoverageBucket>): EventCoverage {
  // Without a bucket that can cover others nothing is absorbed: skip looking for covers bucket by bucket.
  if (!someBucket(coverage, mayCover)) return sortedCoverage([...coverage.values()]);
  const absorbed = new Map<string, number>();
  const kept: CoverageBucket[] = [];
  const finestFirst = [...coverage.entries()].sort(
    ([, a], [, b]) => b.period.length - a.period.length || Number(a.eventName === undefined) - Number(b.eventName === undefined),
  );
  for (const [key, own] of finestFirst) {
    const extra = absorbed.get(key);
    const bucket =
      extra === undefined
        ? own
        : makeBucket(own.period, own.eventName, own.errorCode, { count: Math.max(effectiveCount(own), extra), digest: NO_DIGEST, lowerBound: true }, NO_HASHES);
    const cover = nearestCover(coverage, bucket, key);
    if (cover === undefined) kept.push(bucket);
    else absorbed.set(cover, (absorbed.get(cover) ?? 0) + effectiveCount(bucket));
  }
  return sortedCoverage(kept);
}

/** Whether a bucket can cover others: one of a day or a month, or one whose kinds were folded together. */
function mayCover(bucket: CoverageBucket): boolean {
  return bucket.eventName === undefined || (bucket.period !== UNDATED_PERIOD && bucket.period.length < HOUR_PERIOD_LENGTH);
}

function someBucket(coverage: ReadonlyMap<string, CoverageBucket>, test: (bucket: CoverageBucket) => boolean): boolean {
  for (const bucket of coverage.values()) if (test(bucket)) return true;
  return false;
}

/** `YYYYMMDDHH`. */
const HOUR_PERIOD_LENGTH = 10;

/** EventCount, and events per name and per error code, from a coverage. */
export interface CoverageTotals {
  readonly eventCount: number;
  /** By event name; events whose kinds compaction folded together are in `otherCalls`. */
  readonly eventNames: ReadonlyMap<string, number>;
  readonly otherCalls: number;
  readonly errorCodes: ReadonlyMap<string, number>;
  /** True when some bucket's count is only a lower bound ({@link isLowerBound}): so is EventCount. */
  readonly lowerBound: boolean;
}

export function coverageTotals(coverage: EventCoverage): CoverageTotals {
  let eventCount = 0;
  let otherCalls = 0;
  let lowerBound = false;
  const eventNames = new Map<string, number>();
  const errorCodes = new Map<string, number>();
  for (const bucket of coverage.values()) {
    const count = effectiveCount(bucket);
    eventCount += count;
    lowerBound ||= isLowerBound(bucket);
    if (bucket.eventName === undefined) otherCalls += count;
    else eventNames.set(bucket.eventName, (eventNames.get(bucket.eventName) ?? 0) + count);
    if (bucket.errorCode !== undefined) errorCodes.set(bucket.errorCode, (errorCodes.get(bucket.errorCode) ?? 0) + count);
  }
  return { eventCount, eventNames, otherCalls, errorCodes, lowerBound };
}

/**
 * A bucket, with an absent name or error code left out rather than set to undefined, so that equal
 * buckets are deeply equal; no count (0) has no digest and is no lower bound.
 */
export function makeBucket(
  period: string,
  eventName: string | undefined,
  errorCode: string | undefined,
  counted: CountOf,
  hashes: BucketHashes,
): CoverageBucket {
  const count = counted.count;
  const countDigest = count === 0 ? NO_DIGEST : counted.digest;
  const countIsLowerBound = count !== 0 && counted.lowerBound;
  // Four literals rather than spreads: buckets are made by the hundred thousand, and a literal is one fixed shape.
  if (eventName === undefined)
    return errorCode === undefined
      ? { period, count, countDigest, countIsLowerBound, hashes }
      : { period, errorCode, count, countDigest, countIsLowerBound, hashes };
  return errorCode === undefined
    ? { period, eventName, count, countDigest, countIsLowerBound, hashes }
    : { period, eventName, errorCode, count, countDigest, countIsLowerBound, hashes };
}

function keyOfBucket(bucket: CoverageBucket): string {
  return bucketKey(bucket.period, bucket.eventName, bucket.errorCode);
}

/** What places a bucket in a coverage's order. */
type BucketPlace = Pick<CoverageBucket, 'period' | 'eventName' | 'errorCode'>;

/** Oldest period first (undated first of all), then by kind: one order for every coverage with the same buckets. */
export function compareBuckets(a: BucketPlace, b: BucketPlace): number {
  return compareStrings(a.period, b.period) || compareOptional(a.eventName, b.eventName) || compareOptional(a.errorCode, b.errorCode);
}

export function sortedCoverage(buckets: readonly CoverageBucket[]): EventCoverage {
  return new Map([...buckets].sort(compareBuckets).map((bucket) => [keyOfBucket(bucket), bucket]));
}

/**
 * An event name or error code as a bucket keeps it: at most {@link MAX_KIND_LENGTH} code units, and
 * well-formed UTF-16 (a lone surrogate, from the data or from the cut, becomes U+FFFD), so it can be
 * percent-encoded into ProductFields and read back the same.
 */
function kindText(text: string): string {
  return text.slice(0, MAX_KIND_LENGTH).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * The key of the nearest other bucket that covers this one: the folded kind over the same period, or
 * the same kind (then the folded kind) over ever coarser periods.
 */
function nearestCover(coverage: ReadonlyMap<string, CoverageBucket>, bucket: CoverageBucket, ownKey: string): string | undefined {
  for (const period of periodsCovering(bucket.period)) {
    for (const key of [bucketKey(period, bucket.eventName, bucket.errorCode), bucketKey(period, undefined, undefined)]) {
      if (key !== ownKey && coverage.has(key)) return key;
    }
  }
  return undefined;
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return compareStrings(a, b);
}
