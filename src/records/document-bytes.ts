import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip, gunzipSync } from 'node:zlib';

import { gunzipChunkSize } from './gunzip-chunk-size.js';

/** Bytes of a document: an async stream (a file, an S3 object body) or chunks already in memory. */
export type DocumentChunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** 1 GiB: far above any real CloudTrail log file, low enough that a gzip bomb cannot exhaust memory. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 1024 ** 3;

export type DocumentBytes =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly code: 'too-large' | 'truncated-gzip' | 'corrupt-gzip'; readonly message: string };

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * All the bytes of a document, gunzipped when they start with the gzip magic bytes (1f 8b) whatever the
 * name says: trails write `.json.gz`, people download and rename. Reading stops as soon as the
 * (decompressed) size passes `maxBytes`. Faults of the data are returned; errors of the underlying
 * stream (permissions, network) are thrown, since they are the caller's to report.
 */
export async function collectDocumentBytes(chunks: DocumentChunks, maxBytes: number): Promise<DocumentBytes> {
  if (Array.isArray(chunks)) return inMemoryBytes(Buffer.concat(chunks as readonly Uint8Array[]), maxBytes);
  const iterator = toAsyncIterator(chunks);
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(Buffer.from(next.value));
    headLength += next.value.length;
  }
  const all = prepend(head, iterator);
  const start = Buffer.concat(head);
  const gzipped = start[0] === GZIP_MAGIC[0] && start[1] === GZIP_MAGIC[1];
  return gzipped ? gunzipCapped(all, maxBytes) : concatCapped(all, maxBytes);
}

/**
 * Bytes already in memory (a small file, a page) are gunzipped in one synchronous call: zlib's streams
 * work on the libuv thread pool, whose round trips dominate when a folder holds many small files.
 */
function inMemoryBytes(bytes: Buffer, maxBytes: number): DocumentBytes {
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes.length > maxBytes ? tooLarge(maxBytes, '') : { ok: true, bytes };
  try {
    return { ok: true, bytes: gunzipSync(bytes, { maxOutputLength: maxBytes, chunkSize: gunzipChunkSize(bytes, maxBytes) }) };
  } catch (error) {
    return inflateFault(error, maxBytes);
  }
}

/** What stopped a one-call gunzip: the output cap (zlib's maxOutputLength) or a fault of the data. */
function inflateFault(error: unknown, maxBytes: number): DocumentBytes {
  if (error instanceof RangeError && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(maxBytes, 'decompressed ');
  return gzipFault(error);
}

async function concatCapped(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<DocumentBytes> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > maxBytes) return tooLarge(maxBytes, '');
    parts.push(chunk);
  }
  return { ok: true, bytes: Buffer.concat(parts) };
}

/**
 * A gzipped stream of up to this many bytes is gathered whole and inflated in one call, sized by its
 * trailer ({@link gunzipChunkSize}); a longer one is inflated as it streams. Trail objects are well under
 * it (a five-minute delivery is rarely over a few MB gzipped); what is held is compressed bytes.
 */
const WHOLE_GZIP_MAX_BYTES = 8 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);

/** A gzipped stream: inflated whole once its end is in hand, else as it streams; either way capped at `maxBytes`. */
async function gunzipCapped(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<DocumentBytes> {
  const iterator = chunks[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let heldLength = 0;
  while (heldLength <= WHOLE_GZIP_MAX_BYTES) {
    const next = await iterator.next();
    if (next.done === true) return gunzipWhole(Buffer.concat(held), maxBytes);
    held.push(next.value);
    heldLength += next.value.length;
  }
  return gunzipStreaming(prepend(held, iterator), maxBytes);
}

/**
 * A whole gzipped document in memory, inflated on libuv's thread pool as one task, sized by its trailer:
 * it overlaps whatever the caller does meanwhile (another file's or object's records). Faults of the
 * data are returned; anything else is thrown.
 */
export async function gunzipWhole(gzipped: Buffer, maxBytes: number): Promise<DocumentBytes> {
  try {
    return { ok: true, bytes: await gunzipAsync(gzipped, { maxOutputLength: maxBytes, chunkSize: gunzipChunkSize(gzipped, maxBytes) }) };
  } catch (error) {
    return inflateFault(error, maxBytes);
  }
}

async function gunzipStreaming(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<DocumentBytes> {
  const gunzip = createGunzip();
  // Settles with the error that stopped the feeding, if any; handled here so an early return leaves no unhandled rejection.
  const feeding = pipeline(Readable.from(chunks, { objectMode: false }), gunzip).then(
    () => undefined,
    (error: unknown) => error,
  );
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return tooLarge(maxBytes, 'decompressed ');
      parts.push(chunk);
    }
  } catch (error) {
    return gzipFault(error);
  }
  const feedError = await feeding;
  if (feedError !== undefined) return gzipFault(feedError);
  return { ok: true, bytes: Buffer.concat(parts) };
}

/** zlib faults are the data's; anything else (a read error of the source) is rethrown. */
function gzipFault(error: unknown): DocumentBytes {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR') return { ok: false, code: 'truncated-gzip', message: `truncated gzip: ${message}` };
  if (typeof code === 'string' && code.startsWith('Z_')) return { ok: false, code: 'corrupt-gzip', message: `corrupt gzip: ${message}` };
  throw error;
}

function tooLarge(maxBytes: number, what: string): DocumentBytes {
  return { ok: false, code: 'too-large', message: `${what}size is over the limit of ${maxBytes} bytes` };
}

function toAsyncIterator(chunks: DocumentChunks): AsyncIterator<Uint8Array> {
  return (async function* all() {
    yield* chunks;
  })();
}

/** The chunks already read, then the rest; ending early (return) releases the underlying stream. */
async function* prepend(head: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    yield* head;
    for (;;) {
      const next = await rest.next();
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await rest.return?.();
  }
}
