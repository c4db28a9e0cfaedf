import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import type { ResolvedRule } from '../ruleset/rule.js';
import { ConditionCompiler, type CompiledCondition } from './compile-condition.js';
import { RecordFacts } from './record-facts.js';
import type { RuleEvaluator } from './rule-evaluator.js';
import { RuleIndex } from './rule-index.js';

interface CompiledRule {
  readonly rule: ResolvedRule;
  readonly scope: ResolvedRule['scope'];
  readonly test: CompiledCondition;
}

const NO_RULES: readonly ResolvedRule[] = Object.freeze([]);

/**
 * The fast path (`--engine compiled`, the default): each active rule's conditions compiled once into
 * nested closures, and the rules indexed by eventSource and eventName, so that per record the work is two
 * Map reads and the comparisons of the rules in scope. The closures read the record through one
 * RecordFacts, so each fact path is walked at most once per record, and a condition several rules share
 * is evaluated at most once per record (ConditionCompiler). Verdicts are json-rules-engine's, as
 * ReferenceEvaluator gives them; test/evaluate/compiled-evaluator-equivalence.test.ts checks that on
 * generated rules and records.
 */
export class CompiledEvaluator implements RuleEvaluator {
  readonly #index: RuleIndex<CompiledRule>;
  readonly #facts = new RecordFacts();

  /** Compiles conditions, regexes and CIDR ranges once, here. Inactive rules are left out. */
  constructor(rules: readonly ResolvedRule[]) {
    const active = rules.filter((rule) => rule.active);
    const compiler = new ConditionCompiler(
      this.#facts,
      active.map((rule) => rule.conditions),
    );
    const compiled = active.map((rule) => ({ rule, scope: rule.scope, test: compiler.compile(rule.conditions) }));
    this.#index = new RuleIndex(compiled);
  }

  /** The active rules whose scope and conditions the record satisfies, in the order the rules were given. */
  matchingRulesSync(record: CloudTrailRecord): readonly ResolvedRule[] {
    let matching: ResolvedRule[] | undefined;
    const facts = this.#facts;
    facts.begin(record);
    for (const candidate of this.#index.candidatesFor(record)) {
      if (candidate.test(facts)) (matching ??= []).push(candidate.rule);
    }
    return matching ?? NO_RULES;
  }

  matchingRules(record: CloudTrailRecord): Promise<readonly ResolvedRule[]> {
    try {
      return Promise.resolve(this.matchingRulesSync(record));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
