import { constants as bufferConstants } from 'node:buffer';

import { positionAt, type TextPosition } from './text-position.js';

export type DecodedText =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly code: 'invalid-utf8' | 'too-large';
      readonly message: string;
      /** Where the first bad byte lands in the text decoded so far. */
      readonly position?: TextPosition;
    };

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/**
 * The text of a UTF-8 file, without its byte order mark (TextDecoder drops it). CloudTrail writes
 * UTF-8; anything else is reported with the position of the first bad byte rather than read as
 * replacement characters, which would silently change field values.
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  // One JS string holds at most MAX_STRING_LENGTH code units; a longer text cannot be parsed as one document.
  if (bytes.length > bufferConstants.MAX_STRING_LENGTH) {
    return {
      ok: false,
      code: 'too-large',
      message: `${bytes.length} bytes is more than Node can hold in one string (${bufferConstants.MAX_STRING_LENGTH}); split the file`,
    };
  }
  const utf16 = utf16ByteOrder(bytes);
  if (utf16 !== undefined) {
    // Windows PowerShell 5 redirection (`aws cloudtrail lookup-events > events.json`) writes UTF-16.
    return { ok: false, code: 'invalid-utf8', message: `the file is ${utf16} (it starts with a UTF-16 byte order mark); save it as UTF-8` };
  }
  try {
    return { ok: true, text: strictDecoder.decode(bytes) };
  } catch {
    return describeFirstBadByte(bytes);
  }
}

function utf16ByteOrder(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  return undefined;
}

/**
 * Before the first bad byte the lenient decoding is exact, so the first U+FFFD that the file did not
 * itself contain (as the bytes EF BF BD) marks it, both as a text offset and as a byte offset.
 */
function describeFirstBadByte(bytes: Uint8Array): DecodedText {
  const text = lenientDecoder.decode(bytes);
  const bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let byteOffset = bomLength;
  let textOffset = 0;
  for (let replacement = text.indexOf('\uFFFD'); replacement !== -1; replacement = text.indexOf('\uFFFD', replacement + 1)) {
    byteOffset += Buffer.byteLength(text.slice(textOffset, replacement), 'utf8');
    textOffset = replacement;
    const genuine = bytes[byteOffset] === 0xef && bytes[byteOffset + 1] === 0xbf && bytes[byteOffset + 2] === 0xbd;
    if (!genuine) {
      const byte = (bytes[byteOffset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
      return {
        ok: false,
        code: 'invalid-utf8',
        message: `byte 0x${byte} at byte offset ${byteOffset} is not valid UTF-8`,
        position: positionAt(text, replacement),
      };
    }
    byteOffset += 3;
    textOffset += 1;
  }
  return { ok: false, code: 'invalid-utf8', message: 'invalid UTF-8' };
}
