import { didYouMean } from '../../shared/did-you-mean.js';
import { quoted, type Diagnostic } from '../../shared/diagnostics.js';
import type { Condition, RuleDefinition } from '../rule.js';
import type { SigmaCorrelation, SigmaRuleReference } from './sigma-correlation.js';
import { scopeOfCondition } from './sigma-scope.js';

/** A loaded rule (lfvaudit or Sigma) or Sigma correlation, in the order of the files: the order rules keep. */
export type LoadedRuleItem =
  { readonly kind: 'rule'; readonly definition: RuleDefinition } | { readonly kind: 'correlation'; readonly correlation: SigmaCorrelation };

export interface LinkedRules {
  readonly definitions: RuleDefinition[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Turns each correlation into a threshold rule over the events of the Sigma rules it refers to, by id or
 * name, in any loaded file: its condition is theirs (any of them), its threshold and groups its own, its
 * id, title, level and attribution its own. The rules it refers to produce no findings of their own
 * unless it says `generate: true` (Sigma correlation rules specification, "Generate"). A reference to no
 * rule, to several, to a correlation or to a rule with its own aggregation is an error at the reference.
 */
export function linkSigmaCorrelations(items: readonly LoadedRuleItem[]): LinkedRules {
  const diagnostics: Diagnostic[] = [];
  const rules = items.flatMap((item) => (item.kind === 'rule' && item.definition.sigma !== undefined ? [item.definition] : []));
  const correlations = items.flatMap((item) => (item.kind === 'correlation' ? [item.correlation] : []));
  // A rule referred to by several correlations keeps its findings when any of them asks for them.
  const silenced = new Set<RuleDefinition>();
  const generating = new Set<RuleDefinition>();
  const linked = new Map<SigmaCorrelation, RuleDefinition>();
  for (const correlation of correlations) {
    const referred: RuleDefinition[] = [];
    for (const reference of correlation.rules) {
      const found = referredRule(reference, rules, correlations);
      if (typeof found === 'string')
        diagnostics.push({
          file: reference.position.file,
          line: reference.position.line,
          column: reference.position.column,
          code: 'sigma-correlation',
          message: found,
          severity: 'error',
        });
      else if (!referred.includes(found)) referred.push(found);
    }
    // The rules found keep quiet even when another reference fails: the run reports the error anyway.
    for (const rule of referred) (correlation.generate ? generating : silenced).add(rule);
    if (referred.length !== correlation.rules.length) continue;
    linked.set(correlation, correlationDefinition(correlation, referred));
  }
  const definitions: RuleDefinition[] = [];
  for (const item of items) {
    if (item.kind === 'rule') {
      if (!silenced.has(item.definition) || generating.has(item.definition)) definitions.push(item.definition);
    } else {
      const definition = linked.get(item.correlation);
      if (definition !== undefined) definitions.push(definition);
    }
  }
  return { definitions, diagnostics };
}

/** The rule a reference names, by id first, then by name; or why there is none. */
function referredRule(reference: SigmaRuleReference, rules: readonly RuleDefinition[], correlations: readonly SigmaCorrelation[]): RuleDefinition | string {
  const name = reference.reference;
  const byId = rules.filter((rule) => rule.id === name);
  const candidates = byId.length > 0 ? byId : rules.filter((rule) => rule.sigma?.name === name);
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) {
    if (only.threshold === undefined) return only;
    return `rule ${quoted(name)} (${only.file}) has its own aggregation (\`| count()\`); a correlation counts the events of plain detection rules`;
  }
  if (candidates.length > 1)
    return `${quoted(name)} names ${candidates.length} rules (${candidates.map((rule) => rule.file).join(', ')}): refer to one by its id`;
  const correlation = correlations.find((candidate) => candidate.metadata.rule.id === name || candidate.metadata.sigma.name === name);
  if (correlation !== undefined)
    return `${quoted(name)} is a correlation rule (${correlation.file}); lfvaudit does not chain correlations: refer to detection rules`;
  const known = rules.flatMap((rule) => [rule.id, ...(rule.sigma?.name === undefined ? [] : [rule.sigma.name])]);
  return `no Sigma rule has the id or name ${quoted(name)}${didYouMean(name, known)}; a correlation refers to Sigma rules loaded from rules.paths`;
}

function correlationDefinition(correlation: SigmaCorrelation, referred: readonly RuleDefinition[]): RuleDefinition {
  const conditions = referred.map((rule) => rule.conditions as Condition);
  const [single] = conditions;
  const condition: Condition = conditions.length === 1 && single !== undefined ? single : { any: conditions, position: correlation.position };
  return {
    ...correlation.metadata.rule,
    scope: scopeOfCondition(condition),
    conditions: condition,
    groupBy: correlation.groupBy,
    threshold: correlation.threshold,
    params: Object.create(null) as Record<string, never>,
    tests: [],
    file: correlation.file,
    builtIn: correlation.builtIn,
    sigma: { ...correlation.metadata.sigma, values: referred.flatMap((rule) => rule.sigma?.values ?? []) },
  };
}
