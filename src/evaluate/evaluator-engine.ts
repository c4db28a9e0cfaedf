import type { ResolvedRule } from '../ruleset/rule.js';
import { CompiledEvaluator } from './compiled-evaluator.js';
import { ReferenceEvaluator } from './reference-evaluator.js';
import type { RuleEvaluator } from './rule-evaluator.js';

/** `--engine`: the compiled fast path (default), or json-rules-engine itself as the reference to check it against. */
export const EVALUATOR_ENGINES = ['compiled', 'reference'] as const;
export type EvaluatorEngine = (typeof EVALUATOR_ENGINES)[number];
export const DEFAULT_EVALUATOR_ENGINE: EvaluatorEngine = 'compiled';

export function isEvaluatorEngine(name: string): name is EvaluatorEngine {
  return (EVALUATOR_ENGINES as readonly string[]).includes(name);
}

export function evaluatorFor(engine: EvaluatorEngine, rules: readonly ResolvedRule[]): RuleEvaluator {
  return engine === 'reference' ? new ReferenceEvaluator(rules) : new CompiledEvaluator(rules);
}
