import { constants as bufferConstants } from 'node:buffer';
import { constants as zlibConstants } from 'node:zlib';

/**
 * Deflate's best case: one 258-byte match for every two bits of compressed data, ~1032:1 (zlib's
 * technical details). No member, and no run of concatenated members, inflates to more per byte.
 */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The `chunkSize` to give zlib when it gunzips a whole document held in memory: the size the gzip
 * trailer states (ISIZE, the last four bytes: the uncompressed length of the last member, modulo 2³²),
 * plus one, so that zlib inflates into a single buffer.
 *
 * Why: with zlib's default 16 KB chunk, a trail file of a few megabytes is inflated in a hundred or
 * more steps, each a round trip to libuv's thread pool with its own buffer, which Node then copies into
 * one buffer: that costs more CPU than the inflating itself, and the small buffers and their copy are
 * freed only when V8 next collects.
 * The one spare byte matters: a chunk that the output fills exactly makes Node allocate another one.
 *
 * The trailer is only a hint, never trusted for correctness: when it understates (several members,
 * files over 4 GiB), zlib just takes more chunks; it is never read as more than the file can inflate
 * to, nor more than the largest document read (`maxBytes`), so a forged one costs address space for
 * one buffer, never memory that the output does not fill.
 */
export function gunzipChunkSize(gzipped: Uint8Array, maxBytes: number): number {
  const trailer = gzipped.length >= 4 ? Buffer.from(gzipped.buffer, gzipped.byteOffset, gzipped.length).readUInt32LE(gzipped.length - 4) : 0;
  const ceiling = Math.min(maxBytes + 1, gzipped.length * MAX_DEFLATE_RATIO + 1, bufferConstants.MAX_LENGTH);
  return Math.max(zlibConstants.Z_DEFAULT_CHUNK, Math.min(trailer + 1, ceiling));
}
