import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { compileSuppressions, type CompiledSuppressions } from '../evaluate/suppressions.js';
import { ruleSchemaFile } from '../ruleset/package-paths.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { parseYamlDocument, type YamlPositions } from '../ruleset/yaml-document.js';

/**
 * The config's suppressions, compiled against the loaded rules (disabled ones included), with their
 * mistakes placed at their line and column in the config file. Reads the config file again only for
 * positions (the config loader keeps none) and the rule schema for the condition shape.
 */
export async function loadSuppressions(config: Config, rules: readonly Pick<RuleDefinition, 'id' | 'scope'>[], now: Date): Promise<CompiledSuppressions> {
  const ruleSchema = JSON.parse(await readFile(ruleSchemaFile(), 'utf8')) as object;
  const positions = config.file === undefined || config.suppressions.length === 0 ? undefined : await positionsOf(config.file);
  return compileSuppressions(config.suppressions, {
    rules,
    now,
    ruleSchema,
    ...(config.file === undefined ? {} : { configFile: config.file }),
    ...(positions === undefined ? {} : { positions }),
    ...(config.file !== undefined && path.basename(config.file) === 'package.json' ? { pointerPrefix: '/lfvaudit' } : {}),
  });
}

/** JSON is YAML, so one parser gives positions for every config format. */
async function positionsOf(file: string): Promise<YamlPositions | undefined> {
  const parsed = parseYamlDocument(await readFile(file, 'utf8'), file);
  return parsed.ok ? parsed.document.positions : undefined;
}
