import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import test from 'ava';

import { collectDocumentBytes } from '../../src/records/document-bytes.js';

const MIB = 1024 * 1024;
const text = JSON.stringify({ Records: Array.from({ length: 3000 }, (_, index) => ({ eventID: `event-${index}`, eventName: 'DetectAnomalies' })) });

/** `bytes` as a stream of `size`-byte chunks, as an S3 object body or a file stream gives them. */
function streamOf(bytes: Uint8Array, size = 16 * 1024): Readable {
  return Readable.from(chunksOf(bytes, size), { objectMode: false });
}

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}

test('a gzipped stream is gathered and inflated into one buffer', async (t) => {
  const collected = await collectDocumentBytes(streamOf(gzipSync(text)), MIB);
  t.true(collected.ok);
  if (!collected.ok) return;
  t.is(collected.bytes.toString(), text);
  t.is(collected.bytes.buffer.byteLength, Buffer.byteLength(text) + 1);
});

// Random bytes do not compress: 16 MiB of them gzip to a little over 16 MiB, twice the size that is gathered whole.
const incompressible = randomBytes(16 * MIB);
const incompressibleGzipped = gzipSync(incompressible, { level: 1 });

test('a gzipped stream over 8 MiB is inflated as it streams, to the same bytes', async (t) => {
  const collected = await collectDocumentBytes(streamOf(incompressibleGzipped, MIB), 32 * MIB);
  t.true(collected.ok);
  if (collected.ok) t.true(collected.bytes.equals(incompressible));
});

test('a gzipped stream over 8 MiB stops being pulled once it inflates past the limit', async (t) => {
  let chunksPulled = 0;
  function* counted(): Generator<Uint8Array> {
    for (const chunk of chunksOf(incompressibleGzipped, MIB)) {
      chunksPulled += 1;
      yield chunk;
    }
  }
  t.like(await collectDocumentBytes(Readable.from(counted(), { objectMode: false }), 10 * MIB), { ok: false, code: 'too-large' });
  t.true(chunksPulled < 15, `${chunksPulled} of 17 chunks pulled`);
});

test('a truncated gzipped stream is reported as truncated', async (t) => {
  const gzipped = gzipSync(text);
  t.deepEqual(await collectDocumentBytes(streamOf(gzipped.subarray(0, gzipped.length - 12)), MIB), {
    ok: false,
    code: 'truncated-gzip',
    message: 'truncated gzip: unexpected end of file',
  });
});

test('a corrupt gzipped stream is reported as corrupt', async (t) => {
  const gzipped = gzipSync(text);
  t.like(await collectDocumentBytes(streamOf(Buffer.concat([gzipped.subarray(0, 10), Buffer.alloc(32, 0xff)])), MIB), { ok: false, code: 'corrupt-gzip' });
});

test('a gzipped stream that inflates past the limit is reported too large', async (t) => {
  t.deepEqual(await collectDocumentBytes(streamOf(gzipSync(Buffer.alloc(20 * MIB, 0x20))), MIB), {
    ok: false,
    code: 'too-large',
    message: 'decompressed size is over the limit of 1048576 bytes',
  });
});

test('a gzipped stream of several members is read whole', async (t) => {
  const members = Buffer.concat([gzipSync(text.slice(0, -10)), gzipSync(text.slice(-10))]);
  const collected = await collectDocumentBytes(streamOf(members, 1000), MIB);
  t.true(collected.ok);
  if (collected.ok) t.is(collected.bytes.toString(), text);
});
