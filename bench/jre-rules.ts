import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { load } from 'js-yaml';
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { builtInRulesDir } from './bench-paths.js';

/**
 * Turns the YAML rules an lfvaudit config selects into json-rules-engine rules, the way a developer without
 * lfvaudit would: scope becomes leading `in` conditions, `fact: a.b` becomes fact `event` with path `a.b`,
 * `{param: NAME}` is replaced by the config's value or the rule's default. No validation beyond what the
 * conversion needs: the benchmark runs a pack lfvaudit has already accepted.
 */

type YamlObject = { readonly [key: string]: unknown };
/** json-rules-engine's condition shapes (its own nested type is not exported). */
type PlainCondition = TopLevelCondition | { fact: string; path: string; operator: string; value: unknown };

export interface PlainRuleSet {
  readonly rules: readonly RuleProperties[];
  /** Rules left out because a parameter has no value (lfvaudit calls these inactive). */
  readonly inactive: readonly { readonly id: string; readonly reason: string }[];
}

/** The rules a config selects (`rules.builtIn`, `rules.paths`, `rules.disable`), with its `params`; `only` narrows to those ids. */
export function loadPlainRules(configPath: string, only?: ReadonlySet<string>): PlainRuleSet {
  const config = asObject(load(readFileSync(configPath, 'utf8')), configPath);
  const rulesSection = config.rules === undefined ? {} : asObject(config.rules, `${configPath}: rules`);
  const params = config.params === undefined ? {} : asObject(config.params, `${configPath}: params`);
  const folders = [
    ...(rulesSection.builtIn === false ? [] : [builtInRulesDir]),
    ...(Array.isArray(rulesSection.paths) ? rulesSection.paths.map((path) => resolve(dirname(configPath), String(path))) : []),
  ];
  const disabled = new Set(Array.isArray(rulesSection.disable) ? rulesSection.disable.map(String) : []);
  const rules: RuleProperties[] = [];
  const inactive: { id: string; reason: string }[] = [];
  for (const file of folders.flatMap(ruleFiles)) {
    const id = basename(file, extname(file));
    if (disabled.has(id) || (only !== undefined && !only.has(id))) continue;
    const converted = toPlainRule(asObject(load(readFileSync(file, 'utf8')), file), id, params);
    if ('reason' in converted) inactive.push({ id, reason: converted.reason });
    else rules.push(converted);
  }
  return { rules, inactive };
}

/** One YAML rule as a json-rules-engine rule whose event type is the rule id. */
export function toPlainRule(rule: YamlObject, id: string, configParams: YamlObject): RuleProperties | { readonly reason: string } {
  const declared = rule.params === undefined ? {} : asObject(rule.params, id);
  const missing: string[] = [];
  const paramValue = (name: string): unknown => {
    const value = Object.hasOwn(configParams, name)
      ? configParams[name]
      : Object.hasOwn(declared, name)
        ? (declared[name] as YamlObject | undefined)?.default
        : undefined;
    if (value === undefined || (Array.isArray(value) && value.length === 0)) missing.push(name);
    return value;
  };
  const valueOf = (value: unknown): unknown => {
    if (isReference(value, 'param')) return paramValue(String(value.param));
    if (isReference(value, 'fact')) return { fact: 'event', path: String(value.fact) };
    return value;
  };
  const convert = (condition: unknown): PlainCondition => {
    const node = asObject(condition, id);
    if (Array.isArray(node.all)) return { all: node.all.map(convert) };
    if (Array.isArray(node.any)) return { any: node.any.map(convert) };
    if (node.not !== undefined) return { not: convert(node.not) };
    return { fact: 'event', path: String(node.fact), operator: String(node.operator), value: valueOf(node.value) };
  };

  const scope = asObject(rule.scope, `${id}: scope`);
  const scopeConditions: PlainCondition[] = [{ fact: 'event', path: 'eventSource', operator: 'in', value: scope.eventSource }];
  if (scope.eventName !== undefined) scopeConditions.push({ fact: 'event', path: 'eventName', operator: 'in', value: valueOf(scope.eventName) });
  const conditions = convert(rule.conditions);
  if (missing.length > 0) return { reason: `parameter ${missing.join(', ')} is not set` };
  return { name: id, conditions: { all: [...scopeConditions, conditions] }, event: { type: id } };
}

function isReference<K extends string>(value: unknown, key: K): value is { readonly [P in K]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && Object.hasOwn(value, key);
}

function asObject(value: unknown, where: string): YamlObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a mapping`);
  return value as YamlObject;
}

function ruleFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return ruleFiles(child);
      return entry.name.endsWith('.yaml') || entry.name.endsWith('.yml') ? [child] : [];
    });
}
