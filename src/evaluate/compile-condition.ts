import type { Condition, ElementCondition } from '../ruleset/rule.js';
import { compileLeaf } from './compile-leaf.js';
import { conditionKey } from './condition-key.js';
import { RecordFacts } from './record-facts.js';

/**
 * A condition tree turned into one function of the record RecordFacts holds: no promises, no almanac,
 * no per-event parsing.
 */
export type CompiledCondition = (facts: RecordFacts) => boolean;

/**
 * Compiles the resolved condition trees of a rule set once, with json-rules-engine's semantics as
 * ReferenceEvaluator configures it: `all` is every child, `any` some child, `not` the negation, and — a
 * json-rules-engine quirk kept on purpose — an empty `all` or `any` is true. Leaves are compiled by
 * compileLeaf, their fact paths read through the evaluator's RecordFacts.
 *
 * Rules of a pack repeat each other: the same comparison (`userIdentity.type equal Root`, `awsRegion
 * exists`) in many rules, whole condition trees in rules that differ only in scope or severity. A
 * condition that occurs more than once in the set (the same conditionKey) is compiled once and evaluated
 * at most once per record: its verdict is remembered until RecordFacts starts the next record. Our
 * operators and decorators never throw and have no side effects, and a verdict depends on the record
 * alone, so sharing, evaluation order and short-circuiting cannot change a verdict.
 */
export class ConditionCompiler {
  readonly #facts: RecordFacts;
  readonly #keys = new Map<Condition, string | undefined>();
  /** Per key, how many times the rule set holds it (subtrees of a repeated condition counted once). */
  readonly #uses = new Map<string, number>();
  readonly #shared = new Map<string, CompiledCondition>();

  /** `conditions`: every condition tree that will be compiled, so that repeats are known before compiling. */
  constructor(facts: RecordFacts, conditions: readonly Condition[]) {
    this.#facts = facts;
    for (const condition of conditions) this.#count(condition);
  }

  compile(condition: Condition): CompiledCondition {
    const key = this.#keyOf(condition);
    if (key === undefined || (this.#uses.get(key) ?? 0) < 2) return this.#compileNode(condition);
    const known = this.#shared.get(key);
    if (known !== undefined) return known;
    const compiled = rememberedPerRecord(this.#compileNode(condition));
    this.#shared.set(key, compiled);
    return compiled;
  }

  #compileNode(condition: Condition): CompiledCondition {
    if ('all' in condition) return compileAll(condition.all.map((child) => this.compile(child)));
    if ('any' in condition) return compileAny(condition.any.map((child) => this.compile(child)));
    if ('not' in condition) {
      const inner = this.compile(condition.not);
      return (current) => !inner(current);
    }
    if ('element' in condition) return compileElements(condition, this.#facts);
    return compileLeaf(condition, this.#facts);
  }

  #count(condition: Condition): void {
    const key = this.#keyOf(condition);
    if (key !== undefined) {
      const uses = (this.#uses.get(key) ?? 0) + 1;
      this.#uses.set(key, uses);
      // A repeat shares the first one's compiled children: they are not used again.
      if (uses > 1) return;
    }
    if ('all' in condition) for (const child of condition.all) this.#count(child);
    else if ('any' in condition) for (const child of condition.any) this.#count(child);
    else if ('not' in condition) this.#count(condition.not);
    // An element condition's children read the element, not the record: they are compiled apart (compileElements).
  }

  /** Keys are remembered per node, so that a tree's key is built from its children's once. */
  #keyOf = (condition: Condition): string | undefined => {
    if (this.#keys.has(condition)) return this.#keys.get(condition);
    const key = conditionKey(condition, this.#keyOf);
    this.#keys.set(condition, key);
    return key;
  };
}

/** The verdict computed at most once per record: kept with the generation of the record it is for. */
function rememberedPerRecord(test: CompiledCondition): CompiledCondition {
  let verdictGeneration = -1;
  let verdict = false;
  return (current) => {
    const generation = current.generation;
    if (generation !== verdictGeneration) {
      verdict = test(current);
      verdictGeneration = generation;
    }
    return verdict;
  };
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

/**
 * `anyElement` / `everyElement`: the nested condition compiled once against a RecordFacts of its own,
 * which is pointed at each element in turn (begin allocates nothing), so its paths are read from the
 * element and each is walked once per element. An absent or null field returns before any work; a
 * value that is not a list is its only element.
 */
function compileElements(condition: ElementCondition, facts: RecordFacts): CompiledCondition {
  const slot = facts.slotOf(condition.fact);
  const elementFacts = new RecordFacts();
  const test = new ConditionCompiler(elementFacts, [condition.element]).compile(condition.element);
  const every = condition.quantifier === 'everyElement';
  return (current) => {
    const value = current.read(slot);
    if (value === undefined || value === null) return false;
    if (!Array.isArray(value)) {
      elementFacts.begin(value);
      return test(elementFacts);
    }
    for (let index = 0; index < value.length; index += 1) {
      elementFacts.begin(value[index]);
      // anyElement stops at the first element that holds, everyElement at the first that does not.
      if (test(elementFacts) !== every) return !every;
    }
    return every;
  };
}
