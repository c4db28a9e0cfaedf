import { parseOperator, prepareOperand, type DecoratedOperator } from '../ruleset/operators.js';
import { isFactReference } from '../ruleset/rule-definition.js';
import type { Condition, LeafCondition } from '../ruleset/rule.js';
import type { RecordFacts } from './record-facts.js';

/**
 * A condition tree turned into one function of the record RecordFacts holds: no promises, no almanac,
 * no per-event parsing.
 */
export type CompiledCondition = (facts: RecordFacts) => boolean;

/**
 * Compiles a resolved condition tree once, with json-rules-engine's semantics as ReferenceEvaluator
 * configures it: `all` is every child, `any` some child, `not` the negation, and — a json-rules-engine
 * quirk kept on purpose — an empty `all` or `any` is true. Leaves call the same operator and decorator
 * functions the reference registers, with operands prepared (regexes, CIDR ranges) here rather than per event.
 * Our operators and decorators never throw and have no side effects, so evaluation order and
 * short-circuiting cannot change a verdict.
 */
export function compileCondition(condition: Condition, facts: RecordFacts): CompiledCondition {
  if ('all' in condition) return compileAll(condition.all.map((child) => compileCondition(child, facts)));
  if ('any' in condition) return compileAny(condition.any.map((child) => compileCondition(child, facts)));
  if ('not' in condition) {
    const inner = compileCondition(condition.not, facts);
    return (current) => !inner(current);
  }
  return compileLeaf(condition, facts);
}

function compileAll(children: readonly CompiledCondition[]): CompiledCondition {
  const [first, second] = children;
  if (first === undefined) return () => true;
  if (children.length === 1) return first;
  if (children.length === 2 && second !== undefined) return (current) => first(current) && second(current);
  return (current) => {
    for (const child of children) if (!child(current)) return false;
    return true;
  };
}

function compileAny(children: readonly CompiledCondition[]): CompiledCondition {
  const [first, second] = children;
  // json-rules-engine resolves an empty condition list to true, for `any` as for `all`.
  if (first === undefined) return () => true;
  if (children.length === 1) return first;
  if (children.length === 2 && second !== undefined) return (current) => first(current) || second(current);
  return (current) => {
    for (const child of children) if (child(current)) return true;
    return false;
  };
}

function compileLeaf(leaf: LeafCondition, facts: RecordFacts): CompiledCondition {
  const parse = parseOperator(leaf.operator);
  if (!parse.ok) throw new Error(`rule condition with unknown operator ${leaf.operator}: rules must be validated before evaluation`);
  const test = composedTest(parse.parsed);
  const factSlot = facts.slotOf(leaf.fact);
  if (isFactReference(leaf.value)) {
    // json-rules-engine reads a `{fact}` value from the same record on every run, unprepared.
    const valueSlot = facts.slotOf(leaf.value.fact);
    return (current) => test(current.read(factSlot), current.read(valueSlot));
  }
  const operand = prepareOperand(parse.parsed, leaf.value);
  if (parse.parsed.operator.prepare === undefined) return (current) => test(current.read(factSlot), operand);
  const verdictOf = rememberedPerString((fact) => test(fact, operand));
  return (current) => verdictOf(current.read(factSlot));
}

/** Distinct strings a leaf remembers before it starts over: bounds memory whatever the data holds. */
const REMEMBERED_STRINGS = 4096;

/**
 * Operators whose operand is compiled at load (RE2 patterns, CIDR ranges) cost microseconds a call, and
 * the strings they test recur: a site's source addresses, user agents, role ARNs. With the operand fixed
 * the verdict depends on the fact alone, so each leaf keeps its verdict per string, in a bounded Map.
 */
function rememberedPerString(verdictOf: (fact: unknown) => boolean): (fact: unknown) => boolean {
  const verdicts = new Map<string, boolean>();
  return (fact) => {
    if (typeof fact !== 'string') return verdictOf(fact);
    const known = verdicts.get(fact);
    if (known !== undefined) return known;
    const verdict = verdictOf(fact);
    if (verdicts.size >= REMEMBERED_STRINGS) verdicts.clear();
    verdicts.set(fact, verdict);
    return verdict;
  };
}

/** The decorators folded around the operator once, outermost first, as evaluateOperator applies them per call. */
function composedTest(decorated: DecoratedOperator): (fact: unknown, operand: unknown) => boolean {
  const { operator } = decorated;
  let test = (fact: unknown, operand: unknown): boolean => operator.test(fact, operand);
  for (const decorator of [...decorated.decorators].reverse()) {
    const next = test;
    test = (fact, operand) => decorator.apply(fact, operand, next);
  }
  return test;
}
