import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import { parseOperator, prepareOperand, type DecoratedOperator } from '../ruleset/operators.js';
import { isFactReference } from '../ruleset/rule-definition.js';
import type { Condition, LeafCondition } from '../ruleset/rule.js';

/** A condition tree turned into one function of the record: no promises, no almanac, no per-event parsing. */
export type CompiledCondition = (record: CloudTrailRecord) => boolean;

/** Reads one dotted fact path from a record. */
export type FactAccessor = (record: CloudTrailRecord) => unknown;

/**
 * Compiles a resolved condition tree once, with json-rules-engine's semantics as ReferenceEvaluator
 * configures it: `all` is every child, `any` some child, `not` the negation, and — a json-rules-engine
 * quirk kept on purpose — an empty `all` or `any` is true. Leaves call the same operator and decorator
 * functions the reference registers, with operands prepared (regexes, CIDR ranges) here rather than per event.
 * Our operators and decorators never throw and have no side effects, so evaluation order and
 * short-circuiting cannot change a verdict.
 */
export function compileCondition(condition: Condition): CompiledCondition {
  if ('all' in condition) return compileAll(condition.all.map(compileCondition));
  if ('any' in condition) return compileAny(condition.any.map(compileCondition));
  if ('not' in condition) {
    const inner = compileCondition(condition.not);
    return (record) => !inner(record);
  }
  return compileLeaf(condition);
}

function compileAll(children: readonly CompiledCondition[]): CompiledCondition {
  const [first, second] = children;
  if (first === undefined) return () => true;
  if (children.length === 1) return first;
  if (children.length === 2 && second !== undefined) return (record) => first(record) && second(record);
  return (record) => {
    for (const child of children) if (!child(record)) return false;
    return true;
  };
}

function compileAny(children: readonly CompiledCondition[]): CompiledCondition {
  const [first, second] = children;
  // json-rules-engine resolves an empty condition list to true, for `any` as for `all`.
  if (first === undefined) return () => true;
  if (children.length === 1) return first;
  if (children.length === 2 && second !== undefined) return (record) => first(record) || second(record);
  return (record) => {
    for (const child of children) if (child(record)) return true;
    return false;
  };
}

function compileLeaf(leaf: LeafCondition): CompiledCondition {
  const parse = parseOperator(leaf.operator);
  if (!parse.ok) throw new Error(`rule condition with unknown operator ${leaf.operator}: rules must be validated before evaluation`);
  const test = composedTest(parse.parsed);
  const readFact = compileFactPath(leaf.fact);
  if (isFactReference(leaf.value)) {
    // json-rules-engine reads a `{fact}` value from the same record on every run, unprepared.
    const readValue = compileFactPath(leaf.value.fact);
    return (record) => test(readFact(record), readValue(record));
  }
  const operand = prepareOperand(parse.parsed, leaf.value);
  if (parse.parsed.operator.prepare === undefined) return (record) => test(readFact(record), operand);
  const verdictOf = rememberedPerString((fact) => test(fact, operand));
  return (record) => verdictOf(readFact(record));
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

const LIST_INDEX = /^(0|[1-9][0-9]*)$/;

interface PathSegment {
  readonly name: string;
  /** Whether the segment can address a list element (a decimal index without leading zeros). */
  readonly isIndex: boolean;
}

/**
 * The path split and classified once; per event the same walk as readFactPath: own properties only
 * (`constructor`, `__proto__` read as absent), list elements by decimal index, undefined past a
 * non-object. An empty path is the record itself, as json-rules-engine skips its path resolver then.
 */
export function compileFactPath(path: string): FactAccessor {
  if (path === '') return (record) => record;
  const segments: readonly PathSegment[] = path.split('.').map((name) => ({ name, isIndex: LIST_INDEX.test(name) }));
  const [only] = segments;
  if (segments.length === 1 && only !== undefined) return (record) => stepInto(record, only);
  return (record) => {
    let current: unknown = record;
    for (const segment of segments) {
      current = stepInto(current, segment);
      if (current === undefined) return undefined;
    }
    return current;
  };
}

function stepInto(current: unknown, segment: PathSegment): unknown {
  if (typeof current !== 'object' || current === null) return undefined;
  if (Array.isArray(current) && !segment.isIndex) return undefined;
  return Object.hasOwn(current, segment.name) ? (current as Record<string, unknown>)[segment.name] : undefined;
}
