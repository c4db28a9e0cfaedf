import { parseOperator, prepareOperand, type DecoratedOperator } from '../ruleset/operators.js';
import { isFactReference } from '../ruleset/rule-definition.js';
import type { LeafCondition } from '../ruleset/rule.js';
import type { CompiledCondition } from './compile-condition.js';
import type { FactSlot, RecordFacts } from './record-facts.js';

/**
 * One comparison compiled once: its fact path given a slot of RecordFacts, its operand prepared
 * (regexes, CIDR ranges) here rather than per event, and the operator and decorator functions of the
 * table json-rules-engine is given (src/ruleset/operators.ts) folded around it.
 */
export function compileLeaf(leaf: LeafCondition, facts: RecordFacts): CompiledCondition {
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
  if (parse.parsed.decorators.length === 0) {
    const literal = literalComparison(parse.parsed.operator.name, factSlot, operand);
    if (literal !== undefined) return literal;
  }
  if (parse.parsed.operator.prepare === undefined) return (current) => test(current.read(factSlot), operand);
  const verdictOf = rememberedPerString((fact) => test(fact, operand));
  return (current) => verdictOf(current.read(factSlot));
}

/**
 * The commonest comparisons of a pack — equal, notEqual, in, notIn, exists with a literal value and no
 * decorator — written out with the operand fixed: one small closure per leaf instead of calls through the
 * operator table, whose call sites see every operator. Each is the operator's `test` in
 * src/ruleset/operators.ts with the operand's type already known (in/notIn: a list; exists: a boolean);
 * undefined for any other shape, which then takes the general path. The equivalence property checks them
 * against json-rules-engine.
 */
function literalComparison(operator: string, slot: FactSlot, operand: unknown): CompiledCondition | undefined {
  switch (operator) {
    case 'equal':
      return (current) => current.read(slot) === operand;
    case 'notEqual':
      return (current) => current.read(slot) !== operand;
    case 'in':
      return Array.isArray(operand) ? (current) => operand.indexOf(current.read(slot)) > -1 : undefined;
    case 'notIn':
      return Array.isArray(operand) ? (current) => operand.indexOf(current.read(slot)) === -1 : undefined;
    case 'exists':
      if (operand === true) return (current) => isPresent(current.read(slot));
      if (operand === false) return (current) => !isPresent(current.read(slot));
      return undefined;
    default:
      return undefined;
  }
}

function isPresent(fact: unknown): boolean {
  return fact !== undefined && fact !== null;
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
