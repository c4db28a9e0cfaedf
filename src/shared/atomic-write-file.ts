import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** The one step a test may replace, to simulate a crash at the commit point. */
export interface AtomicWriteSteps {
  readonly rename?: (from: string, to: string) => Promise<void>;
}

/**
 * Replaces `file` with `text` (or its pieces in order, so a large file is never one string) so that
 * a reader (or a run after a crash) sees either the old content or the new, never a mix: write a temp file in the same folder (rename is only atomic within one file
 * system), fsync it, rename it over the target, then fsync the folder so the rename itself survives
 * a power loss. Creates the folder when needed. On failure the temp file is removed and the old file
 * is untouched.
 */
export async function writeFileAtomically(
  file: string,
  text: string | Iterable<string> | AsyncIterable<string | Uint8Array>,
  steps: AtomicWriteSteps = {},
): Promise<void> {
  const folder = path.dirname(file);
  await mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await writePieces(handle, typeof text === 'string' ? [text] : text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await (steps.rename ?? rename)(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Bytes gathered before a write: large enough that a file of small pieces costs few system calls. */
const WRITE_BUFFER_BYTES = 1 << 20;

/**
 * The pieces' UTF-8 bytes (a string piece encoded on its own, as writing them one by one would; a byte
 * piece as it is), gathered into one reused buffer: encoding straight into it spares a Buffer per piece
 * and a copy, and many small pieces make few writes. A piece too large for the buffer is written by itself.
 */
async function writePieces(handle: FileHandle, pieces: Iterable<string> | AsyncIterable<string | Uint8Array>): Promise<void> {
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  for await (const piece of pieces) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (used + most > buffer.length && used > 0) {
      await handle.writeFile(buffer.subarray(0, used));
      used = 0;
    }
    if (most > buffer.length) await handle.writeFile(piece);
    else if (typeof piece === 'string') used += buffer.write(piece, used, 'utf8');
    else {
      buffer.set(piece, used);
      used += piece.length;
    }
  }
  // Each writeFile continues at the handle's position: the pieces land one after the other.
  if (used > 0) await handle.writeFile(buffer.subarray(0, used));
}

/**
 * Some systems cannot fsync a folder (Windows refuses to open one: EISDIR/EPERM; some network file
 * systems answer EINVAL). The rename has happened by then, so there it is as durable as it gets.
 */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
