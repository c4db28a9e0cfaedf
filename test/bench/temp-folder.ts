import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

/** A fresh folder under the system temp dir, removed when the test ends. */
export function tempFolder(t: ExecutionContext, label: string): string {
  const folder = mkdtempSync(join(tmpdir(), `lfvaudit-bench-${label}-`));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
