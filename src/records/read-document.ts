import { collectDocumentBytes, DEFAULT_MAX_DOCUMENT_BYTES, type DocumentChunks } from './document-bytes.js';
import { unwrapDocument, type UnwrappedDocument } from './unwrap-document.js';

export interface ReadDocumentOptions {
  /** Largest (decompressed) document read; a larger one is one `too-large` problem. Default 1 GiB. */
  readonly maxBytes?: number;
}

/**
 * The CloudTrail records in one document given as bytes or a stream of bytes, gzipped or not. Faults of
 * the data are problems in the result; errors of the stream itself (I/O) are thrown for the source to report.
 */
export async function readDocument(chunks: DocumentChunks, origin: string, options: ReadDocumentOptions = {}): Promise<UnwrappedDocument> {
  const loaded = await collectDocumentBytes(chunks, options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES);
  if (loaded.ok) return unwrapDocument(loaded.bytes, origin);
  return { format: undefined, records: [], problems: [{ file: origin, code: loaded.code, message: loaded.message, severity: 'error' }] };
}
