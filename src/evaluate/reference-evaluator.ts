import { createRequire } from 'node:module';
import type * as JsonRulesEngine from 'json-rules-engine';
import type { Almanac, Engine, NestedCondition, TopLevelCondition } from 'json-rules-engine';
import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { readFactPath } from '../ruleset/fact-path.js';
import { DECORATORS, OPERATORS, parseOperator, prepareOperand } from '../ruleset/operators.js';
import { isFactReference } from '../ruleset/rule-definition.js';
import { eventSourceInScope } from '../ruleset/rule-scope.js';
import type { Condition, ElementCondition, ResolvedRule } from '../ruleset/rule.js';
import type { RuleEvaluator } from './rule-evaluator.js';

/**
 * json-rules-engine is loaded when a ReferenceEvaluator is built: only `--engine reference` and the rule
 * tests use it. The package is CommonJS (its `main`), so `require` gives the module an `import` would.
 */
const load = createRequire(import.meta.url);

/** The single json-rules-engine fact: the whole record; conditions read into it with `path`. */
const RECORD_FACT = 'record';

interface EngineForRule {
  readonly rule: ResolvedRule;
  readonly engine: Engine;
}

/**
 * The reference evaluator: every active rule run through json-rules-engine, as a check on the fast path
 * (`--engine reference`). One Engine per rule rather than per rule set: the scope pre-filter then
 * skips a rule without running anything, a rule matches exactly when its engine reports a success,
 * and the results come out in the order the rules were given. Slow by design (an almanac and cloned
 * results per run); correctness is its job.
 */
export class ReferenceEvaluator implements RuleEvaluator {
  readonly #engines: readonly EngineForRule[];
  /** json-rules-engine keeps run status on the engine: concurrent run() calls can skip rules, so runs are queued. */
  #queue: Promise<unknown> = Promise.resolve();

  /** Compiles regexes and CIDR ranges once, here. Inactive rules are left out. */
  constructor(rules: readonly ResolvedRule[]) {
    this.#engines = rules.filter((rule) => rule.active).map((rule) => ({ rule, engine: engineFor(rule) }));
  }

  matchingRules(record: CloudTrailRecord): Promise<readonly ResolvedRule[]> {
    const run = this.#queue.then(() => this.#evaluate(record));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #evaluate(record: CloudTrailRecord): Promise<readonly ResolvedRule[]> {
    const matching: ResolvedRule[] = [];
    for (const { rule, engine } of this.#engines) {
      if (!inScope(rule, record)) continue;
      const { results } = await engine.run({ [RECORD_FACT]: record });
      if (results.length > 0) matching.push(rule);
    }
    return matching;
  }
}

function inScope(rule: ResolvedRule, record: CloudTrailRecord): boolean {
  if (!eventSourceInScope(rule.scope, stringField(record, 'eventSource'))) return false;
  const names = rule.scope.eventName;
  if (names === undefined) return true;
  const eventName = stringField(record, 'eventName');
  return eventName !== undefined && names.includes(eventName);
}

function engineFor(rule: ResolvedRule): Engine {
  const engine = engineWithOperators();
  engine.addRule({ name: rule.id, conditions: topLevel(rule.conditions, { engine, fact: RECORD_FACT, pathPrefix: '' }), event: { type: rule.id } });
  return engine;
}

function engineWithOperators(): Engine {
  // Every condition reads the one fact this evaluator always supplies, so an undefined fact is a bug
  // and should throw; an absent field is handled by the path resolver, which returns undefined.
  const { Engine, Operator, OperatorDecorator } = load('json-rules-engine') as typeof JsonRulesEngine;
  const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: readFactPath });
  for (const definition of OPERATORS) {
    engine.addOperator(new Operator(definition.name, (fact: unknown, operand: unknown) => definition.test(fact, operand)));
  }
  for (const decorator of DECORATORS.filter((definition) => !definition.inJsonRulesEngine)) {
    engine.addOperatorDecorator(
      new OperatorDecorator(decorator.name, (fact: unknown, operand: unknown, next: (fact: unknown, operand: unknown) => boolean) =>
        decorator.apply(fact, operand, next),
      ),
    );
  }
  return engine;
}

/**
 * Where a condition tree's facts are read: the engine it is added to, the json-rules-engine fact holding
 * what its paths start from, and the prefix of those paths in that fact.
 */
interface FactScope {
  readonly engine: Engine;
  readonly fact: string;
  readonly pathPrefix: string;
}

/** The fact an element condition's engine is given: `{value: element}`, so that a path into a string element reads undefined. */
const ELEMENT_FACT = 'element';
const ELEMENT_SCOPE_PREFIX = 'value.';

/** A rule's fact path as a path into the scope's fact; the empty path is what the scope reads from (the record, or the element). */
function pathIn(scope: FactScope, path: string): string {
  return path === '' ? scope.pathPrefix.replace(/\.$/, '') : scope.pathPrefix + path;
}

function topLevel(condition: Condition, scope: FactScope): TopLevelCondition {
  const converted = toEngineCondition(condition, scope);
  return 'all' in converted || 'any' in converted || 'not' in converted ? converted : { all: [converted] };
}

function toEngineCondition(condition: Condition, scope: FactScope): NestedCondition {
  if ('all' in condition) return { all: condition.all.map((child) => toEngineCondition(child, scope)) };
  if ('any' in condition) return { any: condition.any.map((child) => toEngineCondition(child, scope)) };
  if ('not' in condition) return { not: toEngineCondition(condition.not, scope) };
  if ('element' in condition) return { fact: elementFact(condition, scope), operator: 'equal', value: true };
  const parse = parseOperator(condition.operator);
  if (!parse.ok) throw new Error(`rule condition with unknown operator ${condition.operator}: rules must be validated before evaluation`);
  const value = isFactReference(condition.value)
    ? { fact: scope.fact, path: pathIn(scope, condition.value.fact) }
    : prepareOperand(parse.parsed, condition.value);
  return { fact: scope.fact, path: pathIn(scope, condition.fact), operator: condition.operator, value };
}

/**
 * anyElement / everyElement in json-rules-engine: a computed fact (true or false) that runs the nested
 * condition, as a rule of an engine of its own, on each element of the list. Its facts read the element.
 */
function elementFact(condition: ElementCondition, scope: FactScope): string {
  const elementEngine = engineWithOperators();
  const elementScope: FactScope = { engine: elementEngine, fact: ELEMENT_FACT, pathPrefix: ELEMENT_SCOPE_PREFIX };
  elementEngine.addRule({ name: 'element', conditions: topLevel(condition.element, elementScope), event: { type: 'element' } });
  const every = condition.quantifier === 'everyElement';
  let id: string = condition.quantifier;
  for (let n = 1; scope.engine.getFact(id) !== undefined; n += 1) id = `${condition.quantifier}#${n}`;
  scope.engine.addFact(id, async (_params: unknown, almanac: Almanac) => {
    const holder = await almanac.factValue(scope.fact);
    const value = readFactPath(holder, pathIn(scope, condition.fact));
    if (value === undefined || value === null) return false;
    for (const element of Array.isArray(value) ? (value as unknown[]) : [value]) {
      const { results } = await elementEngine.run({ [ELEMENT_FACT]: { value: element } });
      if (results.length > 0 !== every) return !every;
    }
    return every;
  });
  return id;
}
