import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

/**
 * A fresh folder under the system temp folder (`lfvaudit-LABEL-…`), removed with everything in it when
 * the test (or hook) ends, whether it passed or failed: the suite leaves nothing behind. Every test
 * that needs a scratch folder takes it from here.
 */
export function tempFolder(t: ExecutionContext, label: string): string {
  const folder = mkdtempSync(join(tmpdir(), `lfvaudit-${label}-`));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
