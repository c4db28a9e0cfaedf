import { open, rm } from 'node:fs/promises';
import { formatLockHolder, parseLockHolder, type ExistingLock, type LockHolder } from './lock-holder.js';

/**
 * What tells one lock file from a later one at the same path: device and inode, plus the content,
 * since a file system may hand a freed inode to the next file.
 */
export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly text: string;
}

export type FoundLock = ExistingLock & { readonly identity: FileIdentity };

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.text === b.text;
}

/** Creates the lock file with O_EXCL and writes the holder; undefined when a file exists there already. */
export async function createLockFile(lockPath: string, holder: LockHolder): Promise<FileIdentity | undefined> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  const text = formatLockHolder(holder);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    const stats = await handle.stat({ bigint: true });
    return { dev: stats.dev, ino: stats.ino, text };
  } catch (error) {
    await rm(lockPath, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
}

/** The lock file at `lockPath`, read through one handle so content and identity belong together; undefined when there is none. */
export async function readLockFile(lockPath: string): Promise<FoundLock | undefined> {
  let handle;
  try {
    handle = await open(lockPath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    const text = await handle.readFile('utf8');
    return { holder: parseLockHolder(text), modifiedAt: new Date(Number(stats.mtimeMs)), identity: { dev: stats.dev, ino: stats.ino, text } };
  } finally {
    await handle.close();
  }
}

/**
 * Removes the lock file if it is still the file `identity` names; true when it did. Between the check
 * and the removal only a takeover could replace a live lock, and a same-host holder that is alive is
 * never taken over.
 */
export async function removeLockIfSame(lockPath: string, identity: FileIdentity): Promise<boolean> {
  const current = await readLockFile(lockPath);
  if (current === undefined || !sameFile(current.identity, identity)) return false;
  await rm(lockPath, { force: true });
  return true;
}
