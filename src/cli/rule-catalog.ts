import path from 'node:path';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { configNamedLists, loadRuleDefinitions, resolveRules, substituteParamLists } from '../ruleset/index.js';
import type { ResolvedRule, RuleDefinition } from '../ruleset/rule.js';
import { loadSuppressions } from './load-suppressions.js';
import { unknownDisabledRules } from './unknown-disabled-rules.js';

/** One loaded rule as the authoring commands show it. */
export interface CatalogRule {
  readonly definition: RuleDefinition;
  /** Resolved with the config's parameters, as a run would; disabled rules are resolved too, for explain. */
  readonly resolved: ResolvedRule;
  readonly disabled: boolean;
}

export interface RuleCatalog {
  /** Undefined when the config has errors: nothing else was loaded. */
  readonly config?: Config;
  readonly rules: readonly CatalogRule[];
  /** Config, rule files, parameters and suppressions: every problem, in that order. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface RuleCatalogOptions {
  readonly cwd: string;
  readonly configPath?: string;
  /** Rule files or folders to load instead of the config's rules (no built-in pack then). */
  readonly paths?: readonly string[];
  readonly now: Date;
}

/**
 * The config and the rules it names (or the given paths), resolved with the config's parameters:
 * what `rules list|validate|test` and `explain` work from. Rule ids listed under rules.disable are
 * kept, marked disabled, so that they can be listed and explained.
 */
export async function loadRuleCatalog(options: RuleCatalogOptions): Promise<RuleCatalog> {
  const loaded = await loadConfig({ cwd: options.cwd, ...(options.configPath === undefined ? {} : { configPath: options.configPath }) });
  const config = loaded.config;
  if (config === undefined) return { rules: [], diagnostics: loaded.diagnostics };

  const explicitPaths = options.paths !== undefined && options.paths.length > 0;
  const selection = explicitPaths
    ? { builtIn: false, paths: (options.paths ?? []).map((p) => path.resolve(options.cwd, p)) }
    : { builtIn: config.rules.builtIn, paths: config.rules.paths };
  const configFile = config.file ?? 'config';
  const definitions = await loadRuleDefinitions(selection, configNamedLists(config.lists, configFile, loaded.positionOf));
  const isDisabled = (definition: RuleDefinition): boolean => config.rules.disable.includes(definition.id);
  const params = substituteParamLists(config.params, definitions.lists, configFile, loaded.positionOf);
  const resolveOptions = { ...(config.file === undefined ? {} : { configFile: config.file }), positionInConfig: params.positionInConfig };
  const enabled = resolveRules(
    definitions.definitions.filter((d) => !isDisabled(d)),
    params.params,
    resolveOptions,
  );
  const disabled = resolveRules(definitions.definitions.filter(isDisabled), params.params, resolveOptions);
  const resolvedById = new Map([...enabled.rules, ...disabled.rules].map((rule) => [rule.id, rule]));
  const rules = definitions.definitions.map((definition) => ({
    definition,
    resolved: resolvedById.get(definition.id) as ResolvedRule,
    disabled: isDisabled(definition),
  }));

  const ids = definitions.definitions.map((d) => d.id);
  const disableDiagnostics = explicitPaths ? [] : unknownDisabledRules(config, ids, loaded.positionOf);
  // The config's parameters are written for its whole rule set: with a few rule files picked out,
  // a parameter only other rules read is no mistake.
  const paramDiagnostics = explicitPaths ? enabled.diagnostics.filter((d) => d.code !== 'unknown-param') : enabled.diagnostics;
  const suppressions = explicitPaths ? undefined : await loadSuppressions(config, definitions.definitions, options.now, loaded.positionOf, definitions.lists);

  return {
    config,
    rules,
    diagnostics: [
      ...loaded.diagnostics,
      ...definitions.diagnostics,
      ...disableDiagnostics,
      ...params.diagnostics,
      ...paramDiagnostics,
      ...(suppressions?.diagnostics ?? []),
    ],
  };
}
