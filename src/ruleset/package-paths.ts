import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the lfvaudit package (the one holding package.json). The code runs from
 * dist/src/ruleset/, but the built-in rules and the rule schema ship beside dist/, at the package root.
 */
export function packageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`lfvaudit: no package.json above ${start}`);
  }
}

/** The built-in Lookout for Vision rule pack. */
export function builtInRulesFolder(): string {
  return join(packageRoot(), 'rules');
}

export function ruleSchemaFile(): string {
  return join(packageRoot(), 'schema', 'rule.schema.json');
}
