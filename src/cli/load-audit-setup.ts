import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { DEFAULT_EVALUATOR_ENGINE, evaluatorFor, type EvaluatorEngine } from '../evaluate/evaluator-engine.js';
import type { RuleEvaluator } from '../evaluate/rule-evaluator.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import { loadSuppressions } from './load-suppressions.js';
import { unknownDisabledRules } from './unknown-disabled-rules.js';
import { configNamedLists, loadRuleDefinitions, resolveRules, substituteParamLists } from '../ruleset/index.js';
import type { ResolvedRule } from '../ruleset/rule.js';

export interface AuditSetup {
  readonly config?: Config;
  readonly rules: readonly ResolvedRule[];
  readonly evaluator: RuleEvaluator;
  /** The config's suppressions that apply now (expired ones are warnings in `diagnostics`). */
  readonly suppressions?: Suppressions;
  readonly diagnostics: readonly Diagnostic[];
}

/** Config → rule definitions → resolved rules → evaluator (`engine`, default compiled): what every command that evaluates needs. */
export async function loadAuditSetup(options: {
  readonly cwd: string;
  readonly configPath?: string;
  readonly engine?: EvaluatorEngine;
  readonly now: Date;
}): Promise<AuditSetup> {
  const engine = options.engine ?? DEFAULT_EVALUATOR_ENGINE;
  const loaded = await loadConfig(options);
  const config = loaded.config;
  if (config === undefined) return { rules: [], evaluator: evaluatorFor(engine, []), diagnostics: loaded.diagnostics };

  const configFile = config.file ?? 'config';
  const definitions = await loadRuleDefinitions(
    { builtIn: config.rules.builtIn, paths: config.rules.paths },
    configNamedLists(config.lists, configFile, loaded.positionOf),
  );
  const knownIds = definitions.definitions.map((definition) => definition.id);
  const disableDiagnostics = unknownDisabledRules(config, knownIds, loaded.positionOf);
  const enabled = definitions.definitions.filter((definition) => !config.rules.disable.includes(definition.id));
  const params = substituteParamLists(config.params, definitions.lists, configFile, loaded.positionOf);
  const resolved = resolveRules(enabled, params.params, {
    ...(config.file === undefined ? {} : { configFile: config.file }),
    positionInConfig: params.positionInConfig,
  });
  // Checked against every loaded rule, disabled ones included: a suppression of a disabled rule is not a mistake.
  const suppressions = await loadSuppressions(config, definitions.definitions, options.now, loaded.positionOf, definitions.lists);
  return {
    config,
    rules: resolved.rules,
    evaluator: evaluatorFor(engine, resolved.rules),
    suppressions: suppressions.suppressions,
    diagnostics: [
      ...loaded.diagnostics,
      ...definitions.diagnostics,
      ...disableDiagnostics,
      ...params.diagnostics,
      ...resolved.diagnostics,
      ...suppressions.diagnostics,
    ],
  };
}
