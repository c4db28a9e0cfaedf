import type { ExecutionContext } from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh folder under the system temp folder, removed when the test ends. */
export async function tempFolder(t: ExecutionContext): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lfvaudit-state-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  return folder;
}
