import { packagePath } from '../shared/package-path.js';

/** The built-in Lookout for Vision rule pack, shipped beside dist/ at the package root. */
export function builtInRulesFolder(): string {
  return packagePath('rules');
}

export function listsSchemaFile(): string {
  return packagePath('schema/lists.schema.json');
}

export function ruleSchemaFile(): string {
  return packagePath('schema/rule.schema.json');
}
