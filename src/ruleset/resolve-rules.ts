import { quoted, type Diagnostic } from '../shared/diagnostics.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { eventCatalog, knownEventNames } from './event-catalog.js';
import { eventNameVerdict } from './event-catalog-checks.js';
import { operatorValueProblems } from './operator-values.js';
import { parseOperator } from './operators.js';
import { paramValueProblems } from './param-types.js';
import { paramName } from './raw-value.js';
import { eventSourceText } from './rule-scope.js';
import type { Condition, ParamDeclaration, ResolvedRule, RuleDefinition } from './rule.js';
import type { TextPosition } from './yaml-document.js';

export interface ResolveOptions {
  /** The config file the parameter values come from, named in diagnostics. */
  readonly configFile?: string;
  /** Where the config wrote the value (or key) at a JSON pointer (`/params/name/0`), so that its mistakes carry a line. */
  readonly positionInConfig?: (pointer: string, part?: 'key' | 'value') => TextPosition | undefined;
}

export interface ResolvedRules {
  readonly rules: ResolvedRule[];
  readonly diagnostics: Diagnostic[];
}

/** Parameter values the config sets (`params:`), by name. */
export type ParamValues = Readonly<Record<string, unknown>>;

/**
 * Substitutes parameters into rules: the config's value when it sets one (type-checked against each
 * rule's declaration), else the rule's default. A rule reading a parameter that has neither, or is an
 * empty list, is inactive, with the reason.
 */
export function resolveRules(definitions: readonly RuleDefinition[], params: ParamValues, options: ResolveOptions = {}): ResolvedRules {
  const configFile = options.configFile ?? 'config';
  const diagnostics: Diagnostic[] = [];
  const report: Report = (pointer, code, message, severity = 'error') => {
    if (diagnostics.some((d) => d.code === code && d.message === message)) return;
    // An unread parameter is a wrong key; every other mistake is in the value.
    const position = options.positionInConfig?.(pointer, code === 'unknown-param' ? 'key' : 'value');
    diagnostics.push({ file: configFile, ...(position === undefined ? {} : { line: position.line, column: position.column }), code, message, severity });
  };

  const declared = new Set(definitions.flatMap((definition) => Object.keys(definition.params)));
  for (const name of Object.keys(params)) {
    if (!declared.has(name)) {
      report(
        paramPointer(name),
        'unknown-param',
        `params.${name} is not read by any loaded rule${didYouMean(name, declared)}${declared.size === 0 ? '' : `; rules read: ${[...declared].sort().join(', ')}`}`,
        'warning',
      );
    }
  }

  const rules = definitions.map((definition) => resolveRule(definition, params, report));
  return { rules, diagnostics };
}

type Report = (pointer: string, code: string, message: string, severity?: Diagnostic['severity']) => void;

function paramPointer(name: string, index?: number): string {
  const escaped = name.replace(/~/g, '~0').replace(/\//g, '~1');
  return index === undefined ? `/params/${escaped}` : `/params/${escaped}/${index}`;
}

function resolveRule(definition: RuleDefinition, config: ParamValues, report: Report): ResolvedRule {
  const values = new Map<string, unknown>();
  const unset: string[] = [];
  const invalid: string[] = [];
  for (const [name, declaration] of Object.entries(definition.params)) {
    const fromConfig = Object.hasOwn(config, name);
    const value = fromConfig ? config[name] : declaration.default;
    if (fromConfig && !configValueFits(name, declaration, value, definition.id, report)) invalid.push(name);
    else if (value === undefined || (Array.isArray(value) && value.length === 0)) unset.push(name);
    else values.set(name, value);
  }

  const substitute = (value: unknown): unknown => {
    const name = paramName(value);
    return name === undefined ? value : values.get(name);
  };
  const { scope } = definition;
  const eventName = scope.eventName === undefined ? undefined : (substitute(scope.eventName) as readonly string[] | undefined);
  const substituted = {
    scope: {
      eventSource: scope.eventSource,
      ...(scope.notEventSource === undefined ? {} : { notEventSource: scope.notEventSource }),
      ...(eventName === undefined ? {} : { eventName }),
    },
    conditions: substituteConditions(definition.conditions, substitute),
  };
  if (invalid.length === 0 && unset.length === 0) invalid.push(...misusedConfigValues(definition, substituted, config, report));
  return { ...definition, ...substituted, active: unset.length === 0 && invalid.length === 0, ...inactiveReason(unset, invalid) };
}

function configValueFits(name: string, declaration: ParamDeclaration, value: unknown, ruleId: string, report: Report): boolean {
  const problems = paramValueProblems(declaration.type, value);
  for (const problem of problems) {
    const where = problem.index === undefined ? `params.${name}` : `params.${name}[${problem.index}]`;
    report(paramPointer(name, problem.index), problem.code, `${where} ${problem.message} (rule ${ruleId} declares it as ${declaration.type})`);
  }
  return problems.length === 0;
}

function inactiveReason(unset: readonly string[], invalid: readonly string[]): { inactiveReason?: string } {
  if (invalid.length > 0) return { inactiveReason: `parameter ${invalid.join(', ')} has an invalid value in the config` };
  if (unset.length > 0) return { inactiveReason: `parameter ${unset.join(', ')} is not set (no default, or an empty list)` };
  return {};
}

function substituteConditions(condition: Condition<unknown>, substitute: (value: unknown) => unknown): Condition {
  if ('all' in condition) return { ...condition, all: condition.all.map((child) => substituteConditions(child, substitute)) };
  if ('any' in condition) return { ...condition, any: condition.any.map((child) => substituteConditions(child, substitute)) };
  if ('not' in condition) return { ...condition, not: substituteConditions(condition.not, substitute) };
  return { ...condition, value: substitute(condition.value) };
}

/**
 * The config parameters whose values are wrong where the rule uses them, though of the right type: a
 * string that is no RE2 pattern, an event name the rule's event source does not have. Rule defaults
 * were checked at load.
 */
function misusedConfigValues(definition: RuleDefinition, resolved: Pick<ResolvedRule, 'scope' | 'conditions'>, config: ParamValues, report: Report): string[] {
  const misused = new Set<string>();
  const fromConfig = (value: unknown): string | undefined => {
    const name = paramName(value);
    return name !== undefined && Object.hasOwn(config, name) ? name : undefined;
  };
  const known = knownEventNames(definition.scope.eventSource);
  // As for a rule's own values: a typo of a catalogued name is an error (the rule stays inactive), a name
  // the catalog does not have at all is a warning (the operation may be newer than the catalog).
  const checkEventNames = (param: string, names: unknown): void => {
    if (known === undefined || !Array.isArray(names)) return;
    for (const [index, name] of names.entries()) {
      if (typeof name !== 'string') continue;
      const verdict = eventNameVerdict(name, known);
      const pointer = paramPointer(param, Array.isArray(config[param]) ? index : undefined);
      const subject = `params.${param}: ${quoted(name)} is not an event of ${eventSourceText(definition.scope)}`;
      if (verdict.kind === 'typo') {
        report(pointer, 'unknown-event-name', `${subject} (did you mean '${verdict.suggestion}'?) (rule ${definition.id})`);
        misused.add(param);
      } else if (verdict.kind === 'uncatalogued') {
        report(
          pointer,
          'unknown-event-name',
          `${subject} in the event catalog (${eventCatalog().generatedFrom} and CloudTrail-only events), unless it is newer than the catalog (rule ${definition.id})`,
          'warning',
        );
      }
    }
  };

  const scopeParam = fromConfig(definition.scope.eventName);
  if (scopeParam !== undefined) checkEventNames(scopeParam, resolved.scope.eventName);

  const visit = (written: Condition<unknown>, substituted: Condition): void => {
    if ('all' in written && 'all' in substituted) written.all.forEach((child, index) => visit(child, substituted.all[index] as Condition));
    else if ('any' in written && 'any' in substituted) written.any.forEach((child, index) => visit(child, substituted.any[index] as Condition));
    else if ('not' in written && 'not' in substituted) visit(written.not, substituted.not);
    else if ('fact' in written && 'fact' in substituted) {
      const param = fromConfig(written.value);
      const parse = parseOperator(written.operator);
      if (param === undefined || !parse.ok) return;
      for (const problem of operatorValueProblems(parse.parsed, written.operator, substituted.value)) {
        report(paramPointer(param), problem.code, `params.${param}: ${problem.message} (rule ${definition.id}, ${written.fact} ${written.operator})`);
        misused.add(param);
      }
      if (written.fact === 'eventName' && ['equal', 'notEqual', 'in', 'notIn'].includes(parse.parsed.operator.name)) {
        checkEventNames(param, Array.isArray(substituted.value) ? substituted.value : [substituted.value]);
      }
    }
  };
  visit(definition.conditions, resolved.conditions);
  return [...misused];
}
