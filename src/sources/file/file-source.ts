import { closeSync, createReadStream, fstatSync, openSync, readFileSync, type Dirent, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { Diagnostic } from '../../shared/diagnostics.js';
import { DIGEST_SKIP_REASON, isDigestPath } from '../../records/digest-file.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, gunzipWhole } from '../../records/document-bytes.js';
import { readDocument } from '../../records/read-document.js';
import { unwrapDocument, type UnwrappedDocument } from '../../records/unwrap-document.js';
import type { EventSource, SourceItem, TimeWindow } from '../event-source.js';

export interface FileSourceOptions {
  /** Largest (decompressed) file read; a larger one is reported unreadable. Default 1 GiB. */
  readonly maxBytes?: number;
}

/**
 * CloudTrail logs on the local disk: one file, or a folder walked recursively (a downloaded trail
 * bucket, `AWSLogs/...`). Files are read one at a time, in sorted order so runs are reproducible;
 * each yields its records, or is reported skipped (digests, hidden and Markdown files in a walked
 * folder) or unreadable.
 */
export class FileSource implements EventSource {
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly options: FileSourceOptions = {},
  ) {
    this.description = `file:${path}`;
  }

  /**
   * The time window is ignored: a file's records are all read, and the audit filters them. While the
   * caller works through one file's records, the next file is gunzipped on libuv's threads.
   */
  async *read(_window: TimeWindow | undefined, signal?: AbortSignal): AsyncIterable<SourceItem> {
    const inputs = this.inputs(signal)[Symbol.asyncIterator]();
    let next = await inputs.next();
    let ahead = next.done === true ? undefined : this.#readAhead(next.value);
    while (next.done !== true) {
      // The next input is already known: stop here, as the walk would, once the run is aborted.
      signal?.throwIfAborted();
      const input = next.value;
      const ready = ahead;
      next = await inputs.next();
      ahead = next.done === true ? undefined : this.#readAhead(next.value);
      if (input.kind === 'file') yield* await readFileInput(input.path, this.options, signal, await ready);
      else yield input;
    }
  }

  #readAhead(input: FileInput | ItemWithoutReading): Promise<Buffer | undefined> | undefined {
    return input.kind === 'file' ? inflatedAhead(input.path, this.options) : undefined;
  }

  /**
   * What {@link read} goes through, in the same order, without reading any file: the files to read,
   * and the items (skipped, unreadable) that need no reading.
   */
  private async *inputs(signal?: AbortSignal): AsyncIterable<FileInput | ItemWithoutReading> {
    const entry = await statOrReason(this.path);
    if (typeof entry === 'string') {
      yield { kind: 'unreadable', origin: this.path, reason: entry };
    } else if (entry.isDirectory()) {
      yield* this.walk(this.path, new Set([await realpath(this.path)]), signal);
    } else {
      yield* this.inputOf(this.path, entry);
    }
  }

  /** `visited` holds the real paths of the folders being walked, so a symbolic link loop is walked once. */
  private async *walk(folder: string, visited: ReadonlySet<string>, signal: AbortSignal | undefined): AsyncGenerator<FileInput | ItemWithoutReading> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      yield { kind: 'unreadable', origin: folder, reason: ioReason(error) };
      return;
    }
    // Code-unit order, not localeCompare: the same on every machine.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of entries) {
      signal?.throwIfAborted();
      const path = join(folder, dirent.name);
      if (dirent.name.startsWith('.')) {
        yield { kind: 'skipped', origin: path, reason: dirent.isDirectory() ? 'hidden folder' : 'hidden file' };
        continue;
      }
      if (dirent.name.endsWith('.md')) {
        // A README describing a folder of logs is not a log; anything else that is not one is reported unreadable.
        yield { kind: 'skipped', origin: path, reason: 'Markdown file' };
        continue;
      }
      const entry = dirent.isSymbolicLink() ? await statOrReason(path) : dirent;
      if (typeof entry === 'string') {
        yield { kind: 'unreadable', origin: path, reason: entry };
      } else if (entry.isDirectory()) {
        const real = await realpath(path);
        if (visited.has(real)) yield { kind: 'skipped', origin: path, reason: 'symbolic link to a folder already being read' };
        else yield* this.walk(path, new Set([...visited, real]), signal);
      } else {
        yield* this.inputOf(path, entry);
      }
    }
  }

  private *inputOf(path: string, entry: Dirent | Stats): Generator<FileInput | ItemWithoutReading> {
    if (!entry.isFile()) {
      // Reading a FIFO or a device could block forever.
      yield { kind: 'skipped', origin: path, reason: 'not a regular file' };
      return;
    }
    if (isDigestPath(path)) {
      yield { kind: 'skipped', origin: path, reason: DIGEST_SKIP_REASON };
      return;
    }
    yield { kind: 'file', path };
  }
}

/** What a source reports without reading a file: skipped or unreadable entries. */
export type ItemWithoutReading = Exclude<SourceItem, { kind: 'records' }>;

/** A regular file {@link FileSource} will read. */
export interface FileInput {
  readonly kind: 'file';
  readonly path: string;
}

/**
 * The items one file of a {@link FileSource} gives: its records and problems, or why it is unreadable.
 * `inflated`: the file's whole content, already read and gunzipped (by {@link inflatedAhead}).
 */
export async function readFileInput(path: string, options: FileSourceOptions, signal?: AbortSignal, inflated?: Buffer): Promise<SourceItem[]> {
  if (inflated !== undefined) return documentSourceItems(unwrapDocument(inflated, path), path);
  let document: UnwrappedDocument;
  try {
    const small = readSmallFile(path);
    document = await readDocument(small === undefined ? createReadStream(path, { signal }) : [small], path, options);
  } catch (error) {
    if (signal?.aborted === true) throw error;
    return [{ kind: 'unreadable', origin: path, reason: ioReason(error) }];
  }
  return documentSourceItems(document, path);
}

/**
 * The items a read document becomes: skipped, or its records (even none, as in `{"Records": []}`)
 * followed by one unreadable item per problem. A document whose every part failed yields only problems.
 */
export function documentSourceItems(document: UnwrappedDocument, origin: string): SourceItem[] {
  if (document.skipped !== undefined) return [{ kind: 'skipped', origin, reason: document.skipped }];
  const items: SourceItem[] = [];
  if (document.records.length > 0 || document.problems.length === 0) items.push({ kind: 'records', origin, records: document.records });
  for (const problem of document.problems) {
    items.push({ kind: 'unreadable', origin, ...(problem.line === undefined ? {} : { line: problem.line }), reason: problemReason(problem) });
  }
  return items;
}

/** `invalid-json at column 15: expected a value, found '}'`; the line is the item's own field. */
function problemReason(problem: Diagnostic): string {
  const column = problem.column === undefined ? '' : ` at column ${problem.column}`;
  return `${problem.code}${column}: ${problem.message}`;
}

/**
 * Files up to this size are read with one blocking call. A downloaded trail is tens of thousands of
 * small files, and a thread-pool round trip per open, read and close (what streams and fs/promises
 * cost) takes ten times longer than the read itself; bigger files are streamed.
 */
const SMALL_FILE_BYTES = 1024 * 1024;

/** Below this a file is gunzipped where it is read: a trip to the thread pool would cost more than it saves. */
const INFLATE_AHEAD_MIN_BYTES = 32 * 1024;

/**
 * A small gzipped file's content, read now and gunzipped on libuv's threads, so the inflating overlaps
 * whatever the caller does until it needs the file. Undefined, never an error, for anything else (not
 * gzip, too small or too large, unreadable, a gzip fault): {@link readFileInput} then reads the file as
 * usual and reports what is wrong with it exactly as it would have.
 */
export async function inflatedAhead(path: string, options: FileSourceOptions): Promise<Buffer | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = readSmallFile(path);
  } catch {
    return undefined;
  }
  if (bytes === undefined || bytes.length < INFLATE_AHEAD_MIN_BYTES || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return undefined;
  try {
    const inflated = await gunzipWhole(bytes, options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES);
    return inflated.ok ? inflated.bytes : undefined;
  } catch {
    return undefined;
  }
}

/** The whole file when it is small, else undefined. */
function readSmallFile(path: string): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size <= SMALL_FILE_BYTES ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

async function statOrReason(path: string): Promise<Stats | string> {
  try {
    return await stat(path);
  } catch (error) {
    return ioReason(error);
  }
}

/** The message of a file system error (ENOENT, EACCES, EISDIR, ...); anything else is a bug and is rethrown. */
function ioReason(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.message;
  throw error;
}
