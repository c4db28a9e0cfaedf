import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * True when the module at `moduleUrl` is the script node was started with, so a bench module can be both a
 * command (`node dist/bench/generate-events.js`) and a library the tests import without side effects.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(resolve(started)) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
