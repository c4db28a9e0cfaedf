import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import test from 'ava';

import { readDocument } from '../../src/records/read-document.js';
import { unwrapDocument } from '../../src/records/unwrap-document.js';
import { createProject, DIGEST_TEXT, FORMAT_EXAMPLES, SINGLE_RECORD_EXAMPLES } from './document-fixtures.js';

const ORIGIN = 'AWSLogs/123456789012/CloudTrail/us-east-1/2025/10/20/log.json';

for (const { format, text } of [...FORMAT_EXAMPLES, ...SINGLE_RECORD_EXAMPLES, { format: 'cloudtrail-digest', text: DIGEST_TEXT }]) {
  test(`a gzipped ${format} document reads the same as the plain one`, async (t) => {
    const plain = unwrapDocument(Buffer.from(text), ORIGIN);
    t.deepEqual(await readDocument([gzipSync(text)], ORIGIN), plain);
    t.deepEqual(await readDocument([Buffer.from(text)], ORIGIN), plain);
  });
}

test('gzip is recognised by its magic bytes whatever the name says', async (t) => {
  const text = JSON.stringify({ Records: [createProject] });
  t.deepEqual((await readDocument([gzipSync(text)], 'events.json')).records, [createProject]);
});

test('a stream whose chunks split the gzip magic bytes is still gunzipped', async (t) => {
  const gzipped = gzipSync(JSON.stringify({ Records: [createProject] }));
  const chunks = [gzipped.subarray(0, 1), gzipped.subarray(1, 2), gzipped.subarray(2, 9), gzipped.subarray(9)];
  t.deepEqual((await readDocument(Readable.from(chunks), ORIGIN)).records, [createProject]);
});

test('concatenated gzip members are read as one document', async (t) => {
  const text = JSON.stringify({ Records: [createProject] });
  t.deepEqual((await readDocument([gzipSync(text.slice(0, 10)), gzipSync(text.slice(10))], ORIGIN)).records, [createProject]);
});

test('a truncated gzip file is reported as truncated', async (t) => {
  const gzipped = gzipSync(JSON.stringify({ Records: [createProject] }));
  t.deepEqual(await readDocument([gzipped.subarray(0, gzipped.length - 12)], ORIGIN), {
    format: undefined,
    records: [],
    problems: [{ file: ORIGIN, code: 'truncated-gzip', message: 'truncated gzip: unexpected end of file', severity: 'error' }],
  });
});

test('gzip data that is not deflate is reported as corrupt', async (t) => {
  const gzipped = gzipSync(JSON.stringify({ Records: [createProject] }));
  const corrupt = Buffer.concat([gzipped.subarray(0, 10), Buffer.alloc(32, 0xff)]);
  t.like((await readDocument([corrupt], ORIGIN)).problems[0], { code: 'corrupt-gzip' });
});

test('a gzip file that decompresses past the limit is reported too large without reading all of it', async (t) => {
  const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
  t.deepEqual((await readDocument([bomb], ORIGIN, { maxBytes: 1024 * 1024 })).problems, [
    { file: ORIGIN, code: 'too-large', message: 'decompressed size is over the limit of 1048576 bytes', severity: 'error' },
  ]);
});

test('a plain file past the limit is reported too large', async (t) => {
  t.like((await readDocument([Buffer.alloc(2048, 0x20)], ORIGIN, { maxBytes: 1024 })).problems[0], {
    code: 'too-large',
    message: 'size is over the limit of 1024 bytes',
  });
});

test('a document exactly at the limit is read', async (t) => {
  const text = JSON.stringify({ Records: [createProject] });
  t.deepEqual((await readDocument([gzipSync(text)], ORIGIN, { maxBytes: Buffer.byteLength(text) })).records, [createProject]);
});

test('reading stops at the limit: the rest of the stream is not pulled', async (t) => {
  let chunksPulled = 0;
  function* endless(): Generator<Buffer> {
    for (;;) {
      chunksPulled += 1;
      yield Buffer.alloc(1024, 0x20);
    }
  }
  t.like((await readDocument(endless(), ORIGIN, { maxBytes: 10 * 1024 })).problems[0], { code: 'too-large' });
  t.true(chunksPulled <= 11);
});

test('an empty stream is an empty file', async (t) => {
  t.like((await readDocument([], ORIGIN)).problems[0], { code: 'empty-file', message: 'the file is empty' });
});

test('an error of the stream itself is thrown for the source to report', async (t) => {
  async function* failing(): AsyncGenerator<Buffer> {
    yield Buffer.from('{"Records":');
    await Promise.resolve();
    throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
  }
  await t.throwsAsync(readDocument(failing(), ORIGIN), { message: 'EIO: i/o error, read' });
});

test('an error of the stream under gzip is thrown too, not taken for corrupt data', async (t) => {
  const gzipped = gzipSync(JSON.stringify({ Records: [createProject] }));
  async function* failing(): AsyncGenerator<Buffer> {
    yield gzipped.subarray(0, 20);
    await Promise.resolve();
    throw Object.assign(new Error('ECONNRESET: socket hang up'), { code: 'ECONNRESET' });
  }
  await t.throwsAsync(readDocument(failing(), ORIGIN), { message: 'ECONNRESET: socket hang up' });
});
