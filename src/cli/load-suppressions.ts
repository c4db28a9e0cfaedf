import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config.js';
import type { PositionOf } from '../config/validate-config.js';
import { compileSuppressions, type CompiledSuppressions } from '../evaluate/suppressions.js';
import { ruleSchemaFile } from '../ruleset/package-paths.js';
import type { NamedLists } from '../ruleset/named-lists.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { YamlPositions, type TextPosition } from '../ruleset/yaml-document.js';

/**
 * The config's suppressions, compiled against the loaded rules (disabled ones included), with their
 * mistakes placed at their line and column through the config loader's positions (`positionOf`,
 * which already knows a package.json's `lfvaudit` key). Reads the rule schema for the condition shape.
 */
export async function loadSuppressions(
  config: Config,
  rules: readonly Pick<RuleDefinition, 'id' | 'scope'>[],
  now: Date,
  positionOf: PositionOf,
  lists: NamedLists,
): Promise<CompiledSuppressions> {
  const ruleSchema = JSON.parse(await readFile(ruleSchemaFile(), 'utf8')) as object;
  return compileSuppressions(config.suppressions, {
    rules,
    now,
    ruleSchema,
    lists,
    ...(config.file === undefined ? {} : { configFile: config.file }),
    positions: new ConfigPositions(positionOf),
  });
}

/** The config loader's positions in the shape the suppression checks place mistakes with. */
class ConfigPositions extends YamlPositions {
  readonly #positionOf: PositionOf;

  constructor(positionOf: PositionOf) {
    super();
    this.#positionOf = positionOf;
  }

  override valueAt(pointer: string): TextPosition {
    return this.#positionOf(pointer, 'value') ?? super.valueAt(pointer);
  }

  override keyAt(pointer: string): TextPosition {
    return this.#positionOf(pointer, 'key') ?? super.keyAt(pointer);
  }
}
