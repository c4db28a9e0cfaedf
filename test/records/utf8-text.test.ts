import { constants as bufferConstants } from 'node:buffer';
import test from 'ava';

import { decodeUtf8 } from '../../src/records/utf8-text.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

test('UTF-8 text is decoded as is', (t) => {
  t.deepEqual(decodeUtf8(bytes('{"userName": "José"}')), { ok: true, text: '{"userName": "José"}' });
});

test('a UTF-8 byte order mark is dropped', (t) => {
  t.deepEqual(decodeUtf8(bytes([0xef, 0xbb, 0xbf], '{}')), { ok: true, text: '{}' });
});

test('an invalid byte is reported with its byte offset and its line and column in the text', (t) => {
  t.deepEqual(decodeUtf8(bytes('{\n  "a": "', [0xc3, 0x28], '"}')), {
    ok: false,
    code: 'invalid-utf8',
    message: 'byte 0xC3 at byte offset 10 is not valid UTF-8',
    position: { line: 2, column: 9 },
  });
});

test('a replacement character the file really contains is not taken for the bad byte', (t) => {
  const result = decodeUtf8(bytes('"\uFFFD é', [0xff], '"'));
  t.like(result, { ok: false, message: 'byte 0xFF at byte offset 7 is not valid UTF-8', position: { line: 1, column: 5 } });
});

test('a multi-byte sequence cut off at the end of the file is reported where it starts', (t) => {
  t.like(decodeUtf8(bytes('["é', [0xe2, 0x82])), { ok: false, message: 'byte 0xE2 at byte offset 4 is not valid UTF-8', position: { line: 1, column: 4 } });
});

test('positions after a byte order mark count from the first character after it', (t) => {
  t.like(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'ab', [0x80])), {
    ok: false,
    message: 'byte 0x80 at byte offset 5 is not valid UTF-8',
    position: { line: 1, column: 3 },
  });
});

test('a UTF-16 file is recognised by its byte order mark and named', (t) => {
  const utf16 = Buffer.from('\uFEFF{"Records": []}', 'utf16le');
  t.deepEqual(decodeUtf8(utf16), {
    ok: false,
    code: 'invalid-utf8',
    message: 'the file is UTF-16LE (it starts with a UTF-16 byte order mark); save it as UTF-8',
  });
});

test('a text longer than one JS string can hold is reported too large rather than crashing the decoder', (t) => {
  // allocUnsafe leaves the pages untouched, so this costs address space, not memory.
  const huge = Buffer.allocUnsafe(bufferConstants.MAX_STRING_LENGTH + 1);
  t.like(decodeUtf8(huge), { ok: false, code: 'too-large' });
});
