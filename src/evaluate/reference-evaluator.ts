import { createRequire } from 'node:module';
import type * as JsonRulesEngine from 'json-rules-engine';
import type { Engine, NestedCondition, TopLevelCondition } from 'json-rules-engine';
import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { readFactPath } from '../ruleset/fact-path.js';
import { DECORATORS, OPERATORS, parseOperator, prepareOperand } from '../ruleset/operators.js';
import { isFactReference } from '../ruleset/rule-definition.js';
import { eventSourceInScope } from '../ruleset/rule-scope.js';
import type { Condition, ResolvedRule } from '../ruleset/rule.js';
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
  engine.addRule({ name: rule.id, conditions: topLevel(rule.conditions), event: { type: rule.id } });
  return engine;
}

function topLevel(condition: Condition): TopLevelCondition {
  const converted = toEngineCondition(condition);
  return 'all' in converted || 'any' in converted || 'not' in converted ? converted : { all: [converted] };
}

function toEngineCondition(condition: Condition): NestedCondition {
  if ('all' in condition) return { all: condition.all.map(toEngineCondition) };
  if ('any' in condition) return { any: condition.any.map(toEngineCondition) };
  if ('not' in condition) return { not: toEngineCondition(condition.not) };
  const parse = parseOperator(condition.operator);
  if (!parse.ok) throw new Error(`rule condition with unknown operator ${condition.operator}: rules must be validated before evaluation`);
  const value = isFactReference(condition.value) ? { fact: RECORD_FACT, path: condition.value.fact } : prepareOperand(parse.parsed, condition.value);
  return { fact: RECORD_FACT, path: condition.fact, operator: condition.operator, value };
}
