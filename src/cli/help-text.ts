import { packagePath } from '../shared/package-path.js';

/**
 * The `Docs:` line of a command's help: the documents shipped in lfvaudit's package (README.md and
 * docs/), by their path in the installed copy, so the link opens wherever lfvaudit runs.
 */
export function docsLine(...documents: readonly string[]): string {
  return `Docs: ${documents.map((document) => packagePath(document)).join('\n      ')}`;
}
