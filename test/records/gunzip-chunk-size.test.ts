import { gunzipSync, gzipSync } from 'node:zlib';

import test from 'ava';

import { collectDocumentBytes } from '../../src/records/document-bytes.js';
import { gunzipChunkSize } from '../../src/records/gunzip-chunk-size.js';

const MIB = 1024 * 1024;
const text = JSON.stringify({ Records: Array.from({ length: 2000 }, (_, index) => ({ eventID: `event-${index}`, eventName: 'DetectAnomalies' })) });

/** A copy of `gzipped` whose trailer states `size` (a forged or wrapped ISIZE). */
function withTrailer(gzipped: Buffer, size: number): Buffer {
  const copy = Buffer.from(gzipped);
  copy.writeUInt32LE(size, copy.length - 4);
  return copy;
}

test('a gzip document’s chunk is the size its trailer states plus one, so zlib inflates it into one buffer', (t) => {
  const gzipped = gzipSync(text);
  t.is(gunzipChunkSize(gzipped, MIB), Buffer.byteLength(text) + 1);
  const inflated = gunzipSync(gzipped, { chunkSize: gunzipChunkSize(gzipped, MIB) });
  t.is(inflated.toString(), text);
  // One buffer: zlib's output is a view of it, not a copy of several chunks.
  t.is(inflated.buffer.byteLength, Buffer.byteLength(text) + 1);
});

test('a gzipped document already in memory is inflated into one buffer', async (t) => {
  const collected = await collectDocumentBytes([gzipSync(text)], MIB);
  t.true(collected.ok);
  if (collected.ok) t.is(collected.bytes.buffer.byteLength, Buffer.byteLength(text) + 1);
});

test('a small document keeps zlib’s default chunk', (t) => {
  t.is(gunzipChunkSize(gzipSync('{"Records":[]}'), MIB), 16 * 1024);
  t.is(gunzipChunkSize(new Uint8Array([0x1f, 0x8b]), MIB), 16 * 1024);
});

test('a trailer is never taken for more than the largest document read', (t) => {
  const gzipped = gzipSync(text);
  t.is(gunzipChunkSize(gzipped, 40 * 1024), 40 * 1024 + 1);
});

test('a forged trailer is never taken for more than deflate can inflate the file to', (t) => {
  const forged = withTrailer(gzipSync(text), 0xffff_ffff);
  t.is(gunzipChunkSize(forged, 1024 ** 3), forged.length * 1032 + 1);
});

test('a view into a larger buffer reads its own trailer', (t) => {
  const gzipped = gzipSync(text);
  const padded = Buffer.concat([Buffer.alloc(7, 1), gzipped, Buffer.alloc(5, 2)]);
  t.is(gunzipChunkSize(padded.subarray(7, 7 + gzipped.length), MIB), Buffer.byteLength(text) + 1);
});
