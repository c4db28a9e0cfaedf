import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (the folder holding its package.json), wherever dist/ ended up. */
const packageRoot = (() => {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('bug: lfvaudit is not installed inside a package');
    folder = parent;
  }
  return folder;
})();

/** A file shipped with the package: `rules/`, `schema/`. */
export function packagePath(relative: string): string {
  return path.join(packageRoot, relative);
}
