import { cidrRanges, ipAddressOf, type CidrRanges } from './cidr.js';
import type { FieldType } from './record-shape.js';
import { re2Pattern, type Re2Pattern } from './re2-pattern.js';
import { wildcardPatterns, type WildcardPatterns } from './wildcard-pattern.js';

/** What a condition's `value` must be for an operator. Checked at load, and again after parameters are substituted. */
export type OperatorValueKind =
  /** A string, number, boolean or null. */
  | 'scalar'
  /** A list of scalars. */
  | 'scalar-list'
  | 'number'
  | 'boolean'
  /** A string, or a non-empty list of strings (true when any of them fits). */
  | 'text'
  /** An RE2 regular expression, compiled at load. */
  | 'pattern'
  /** A non-empty list of CIDR ranges, IPv4 and IPv6, parsed at load. */
  | 'cidr-list'
  /** A wildcard pattern (`*`, `?`, `\` escapes), or a non-empty list of them, compiled at load. */
  | 'wildcard';

/**
 * One operator of the rule language. Both evaluators use this table: json-rules-engine receives each
 * entry through `engine.addOperator` (the same door as a user's operator), the validator reads the
 * fact and value types, and the fast path calls `test` directly.
 */
export interface OperatorDefinition<Operand = unknown> {
  readonly name: string;
  /** When the condition is true, in the words of docs/rules.md. */
  readonly summary: string;
  /** The record field types the operator can be true for; undefined: any type. */
  readonly factTypes?: readonly FieldType[];
  /** The operator to suggest when the fact is known to have another type (contains on a string → stringContains). */
  readonly insteadFor?: Partial<Record<FieldType, string>>;
  readonly value: OperatorValueKind;
  /** Turns a checked value into the operand `test` takes, once at load; absent: the value itself. */
  prepare?(value: unknown): Operand;
  /** Evaluates one fact. Never throws: a fact of the wrong type is simply false. */
  test(fact: unknown, operand: Operand): boolean;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

/** A `text` operand: one string or a list of them (a list can also arrive from a `{fact}` value at run time). */
function someText(operand: unknown, predicate: (text: string) => boolean): boolean {
  if (typeof operand === 'string') return predicate(operand);
  return Array.isArray(operand) && operand.some((item) => typeof item === 'string' && predicate(item));
}

function numeric(name: string, summary: string, compare: (fact: number, value: number) => boolean): OperatorDefinition {
  return {
    name,
    summary,
    factTypes: ['number', 'free-form'],
    value: 'number',
    test: (fact, value) => isNumber(fact) && isNumber(value) && compare(fact, value),
  };
}

const equal: OperatorDefinition = {
  name: 'equal',
  summary: 'the fact is strictly equal (===) to the value',
  value: 'scalar',
  test: (fact, value) => fact === value,
};

const notEqual: OperatorDefinition = {
  name: 'notEqual',
  summary: 'the fact is not strictly equal (!==) to the value',
  value: 'scalar',
  test: (fact, value) => fact !== value,
};

// json-rules-engine's own `in` would test for a substring when the value is a string; ours needs a list.
const inList: OperatorDefinition = {
  name: 'in',
  summary: 'the fact is an element of the list',
  value: 'scalar-list',
  test: (fact, value) => Array.isArray(value) && value.indexOf(fact) > -1,
};

const notInList: OperatorDefinition = {
  name: 'notIn',
  summary: 'the fact is not an element of the list',
  value: 'scalar-list',
  test: (fact, value) => Array.isArray(value) && value.indexOf(fact) === -1,
};

const contains: OperatorDefinition = {
  name: 'contains',
  summary: 'the list fact has the value',
  factTypes: ['list', 'free-form'],
  insteadFor: { string: 'stringContains' },
  value: 'scalar',
  test: (fact, value) => Array.isArray(fact) && fact.indexOf(value) > -1,
};

const doesNotContain: OperatorDefinition = {
  name: 'doesNotContain',
  summary: 'the list fact lacks the value',
  factTypes: ['list', 'free-form'],
  insteadFor: { string: 'not:stringContains' },
  value: 'scalar',
  test: (fact, value) => Array.isArray(fact) && fact.indexOf(value) === -1,
};

const startsWith: OperatorDefinition = {
  name: 'startsWith',
  summary: 'the string fact starts with (one of) the value(s)',
  factTypes: ['string', 'free-form'],
  value: 'text',
  test: (fact, value) => typeof fact === 'string' && someText(value, (prefix) => fact.startsWith(prefix)),
};

const endsWith: OperatorDefinition = {
  name: 'endsWith',
  summary: 'the string fact ends with (one of) the value(s)',
  factTypes: ['string', 'free-form'],
  value: 'text',
  test: (fact, value) => typeof fact === 'string' && someText(value, (suffix) => fact.endsWith(suffix)),
};

const stringContains: OperatorDefinition = {
  name: 'stringContains',
  summary: 'the string fact contains (one of) the substring(s)',
  factTypes: ['string', 'free-form'],
  insteadFor: { list: 'contains' },
  value: 'text',
  test: (fact, value) => typeof fact === 'string' && someText(value, (part) => fact.includes(part)),
};

// A walk with its own stack, not recursion: a deeply nested event must not exhaust the call stack.
function someStringUnder(fact: unknown, predicate: (text: string) => boolean): boolean {
  const pending: unknown[] = [fact];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (predicate(next)) return true;
    } else if (typeof next === 'object' && next !== null) {
      for (const item of Array.isArray(next) ? (next as unknown[]) : Object.values(next)) pending.push(item);
    }
  }
  return false;
}

const anyStringContains: OperatorDefinition = {
  name: 'anyStringContains',
  summary: 'some string in the fact, at any depth of its objects and lists, contains (one of) the substring(s)',
  value: 'text',
  test: (fact, value) => someStringUnder(fact, (text) => someText(value, (part) => text.includes(part))),
};

/**
 * The text of every string, number and boolean in the fact: the fact itself, or any of them at any depth of
 * its objects and lists (keys are not searched). Sigma backends compare text, so `false` reads as "false".
 */
function someTextUnder(fact: unknown, predicate: (text: string) => boolean): boolean {
  const pending: unknown[] = [fact];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (predicate(next)) return true;
    } else if (typeof next === 'number' || typeof next === 'boolean') {
      if (predicate(String(next))) return true;
    } else if (typeof next === 'object' && next !== null) {
      for (const item of Array.isArray(next) ? (next as unknown[]) : Object.values(next)) pending.push(item);
    }
  }
  return false;
}

// Sigma's value matching: what a translated Sigma rule's plain values, contains, startswith, endswith and
// keywords become (src/ruleset/sigma).
const matchesWildcard: OperatorDefinition<WildcardPatterns> = {
  name: 'matchesWildcard',
  summary:
    "the fact's text matches (one of) the wildcard pattern(s) whole, ignoring case; a number or boolean is read as text, an object or list by every value under it",
  value: 'wildcard',
  prepare: (value) => wildcardPatterns(value as string | readonly string[]),
  test: (fact, patterns) => someTextUnder(fact, (text) => patterns.test(text)),
};

// Sigma's `fieldref` (two fields compared as Sigma compares strings) is what this is for; its value is
// usually `{fact: PATH}`, read from the record at run time, so both sides are folded per call.
const equalsText: OperatorDefinition = {
  name: 'equalsText',
  summary:
    'some text of the fact equals some text of the value, ignoring case; numbers and booleans are read as text, objects and lists by every value under them',
  value: 'text',
  test: (fact, value) =>
    someTextUnder(fact, (text) => {
      const folded = text.toLowerCase();
      return someTextUnder(value, (other) => other.toLowerCase() === folded);
    }),
};

const matches: OperatorDefinition<Re2Pattern> = {
  name: 'matches',
  summary: 'the RE2 pattern matches somewhere in the string fact (anchor with ^…$)',
  factTypes: ['string', 'free-form'],
  value: 'pattern',
  prepare: (value) => re2Pattern(String(value)),
  test: (fact, pattern) => typeof fact === 'string' && pattern.test(fact),
};

const inCidr: OperatorDefinition<CidrRanges> = {
  name: 'inCidr',
  summary: 'the fact is an IP address inside one of the ranges',
  factTypes: ['string', 'free-form'],
  value: 'cidr-list',
  prepare: (value) => cidrRanges(value as readonly string[]),
  test: (fact, ranges) => {
    const ip = ipAddressOf(fact);
    return ip !== undefined && ranges.has(ip);
  },
};

// Not simply `not:inCidr`: a fact that is no IP address (`AWS Internal`) is outside no range either.
const notInCidr: OperatorDefinition<CidrRanges> = {
  name: 'notInCidr',
  summary: 'the fact is an IP address outside all the ranges',
  factTypes: ['string', 'free-form'],
  value: 'cidr-list',
  prepare: (value) => cidrRanges(value as readonly string[]),
  test: (fact, ranges) => {
    const ip = ipAddressOf(fact);
    return ip !== undefined && !ranges.has(ip);
  },
};

const isIpAddress: OperatorDefinition = {
  name: 'isIpAddress',
  summary: 'with true: the fact is a valid IPv4 or IPv6 address; with false: it is not',
  value: 'boolean',
  test: (fact, expected) => (ipAddressOf(fact) !== undefined) === expected,
};

const exists: OperatorDefinition = {
  name: 'exists',
  summary: 'with true: the field is present and not null; with false: it is absent or null',
  value: 'boolean',
  test: (fact, expected) => (fact !== undefined && fact !== null) === expected,
};

/**
 * Every operator, json-rules-engine's built-in names first. The built-in names are registered too and
 * replace json-rules-engine's versions, so that the semantics are the ones docs/rules.md states: its
 * numeric operators would coerce the string "5" to a number, and its `in` would match substrings.
 */
export const OPERATORS: readonly OperatorDefinition[] = [
  equal,
  notEqual,
  inList,
  notInList,
  contains,
  doesNotContain,
  numeric('lessThan', 'the number fact is less than the value', (fact, value) => fact < value),
  numeric('lessThanInclusive', 'the number fact is less than or equal to the value', (fact, value) => fact <= value),
  numeric('greaterThan', 'the number fact is greater than the value', (fact, value) => fact > value),
  numeric('greaterThanInclusive', 'the number fact is greater than or equal to the value', (fact, value) => fact >= value),
  startsWith,
  endsWith,
  stringContains,
  anyStringContains,
  matches,
  inCidr,
  notInCidr,
  isIpAddress,
  exists,
  matchesWildcard,
  equalsText,
];

const OPERATORS_BY_NAME: ReadonlyMap<string, OperatorDefinition> = new Map(OPERATORS.map((operator) => [operator.name, operator]));

export function operatorNamed(name: string): OperatorDefinition | undefined {
  return OPERATORS_BY_NAME.get(name);
}

/** An operator decorator (`not:in`, `someValue:startsWith`, `ignoreCase:equal`). */
export interface DecoratorDefinition {
  readonly name: string;
  readonly summary: string;
  /** The value is a list, each element of which is a value of the decorated operator. */
  readonly valueIsList: boolean;
  /**
   * json-rules-engine has this decorator and the reference evaluator uses its own; false: ours, which the
   * reference evaluator registers with `engine.addOperatorDecorator`, as it registers the operators.
   */
  readonly inJsonRulesEngine: boolean;
  /** The operators it may decorate; undefined: every one. */
  readonly operators?: readonly string[];
  /** Turns a checked value into what `apply` expects, once at load (before the inner decorators' and operator's preparation). */
  prepare?(value: unknown): unknown;
  apply(fact: unknown, value: unknown, next: (fact: unknown, value: unknown) => boolean): boolean;
}

/**
 * The case folding of `ignoreCase:`: String.prototype.toLowerCase, Unicode's default lowercase mapping
 * without a locale (so the result is the same on every machine), applied to strings and to the strings
 * in a list; anything else is left as it is. It is not full case folding: `ß` does not equal `SS`.
 */
export function foldCase(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  return Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'string' ? item.toLowerCase() : item)) : value;
}

/** The operators whose comparisons are of text, where ignoring case has a meaning. */
export const CASE_FOLDING_OPERATORS: readonly string[] = ['equal', 'notEqual', 'in', 'notIn', 'startsWith', 'endsWith', 'stringContains'];

/**
 * The decorators the rule language allows: json-rules-engine's `not`, `someValue` and `everyValue`, and
 * `ignoreCase`. json-rules-engine also has someFact / everyFact (for list facts) and swap; CloudTrail
 * lists hold objects, so they are left out until a rule needs them.
 */
export const DECORATORS: readonly DecoratorDefinition[] = [
  { name: 'not', summary: 'negates the operator', valueIsList: false, inJsonRulesEngine: true, apply: (fact, value, next) => !next(fact, value) },
  {
    name: 'someValue',
    summary: 'the value is a list: true when the operator holds for some element',
    valueIsList: true,
    inJsonRulesEngine: true,
    apply: (fact, value, next) => (value as readonly unknown[]).some((item) => next(fact, item)),
  },
  {
    name: 'everyValue',
    summary: 'the value is a list: true when the operator holds for every element',
    valueIsList: true,
    inJsonRulesEngine: true,
    apply: (fact, value, next) => (value as readonly unknown[]).every((item) => next(fact, item)),
  },
  {
    name: 'ignoreCase',
    summary: 'compares with both sides lowercased (toLowerCase, no locale)',
    valueIsList: false,
    inJsonRulesEngine: false,
    operators: CASE_FOLDING_OPERATORS,
    // The value is written in the rule (no {fact}), so it is folded once at load; per event only the fact is.
    prepare: (value) => foldDeep(value),
    apply: (fact, value, next) => next(foldCase(fact), value),
  },
];

/** The value folded at every depth: under someValue it is a list of values, each a string or a list. */
function foldDeep(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  return Array.isArray(value) ? value.map(foldDeep) : value;
}

const DECORATORS_BY_NAME: ReadonlyMap<string, DecoratorDefinition> = new Map(DECORATORS.map((decorator) => [decorator.name, decorator]));

/** `not:someValue:startsWith` taken apart: decorators outermost first, then the operator. */
export interface DecoratedOperator {
  readonly decorators: readonly DecoratorDefinition[];
  readonly operator: OperatorDefinition;
}

export type OperatorParse =
  | { readonly ok: true; readonly parsed: DecoratedOperator }
  | { readonly ok: false; readonly code: 'unknown-operator' | 'unknown-decorator'; readonly name: string };

export function parseOperator(text: string): OperatorParse {
  const parts = text.split(':');
  const operatorName = parts.pop() ?? '';
  const decorators: DecoratorDefinition[] = [];
  for (const name of parts) {
    const decorator = DECORATORS_BY_NAME.get(name);
    if (decorator === undefined) return { ok: false, code: 'unknown-decorator', name };
    decorators.push(decorator);
  }
  const operator = operatorNamed(operatorName);
  if (operator === undefined) return { ok: false, code: 'unknown-operator', name: operatorName };
  return { ok: true, parsed: { decorators, operator } };
}

/** The operand for a checked literal value: regexes and CIDR ranges compiled, lists under someValue/everyValue mapped. */
export function prepareOperand(decorated: DecoratedOperator, value: unknown): unknown {
  return prepareAt(decorated.decorators, decorated.operator, value);
}

function prepareAt(decorators: readonly DecoratorDefinition[], operator: OperatorDefinition, value: unknown): unknown {
  const [outer, ...inner] = decorators;
  if (outer === undefined) return operator.prepare === undefined ? value : operator.prepare(value);
  const prepared = outer.prepare === undefined ? value : outer.prepare(value);
  if (!outer.valueIsList) return prepareAt(inner, operator, prepared);
  return (prepared as readonly unknown[]).map((item) => prepareAt(inner, operator, item));
}

/** Evaluates a decorated operator on one fact, as json-rules-engine does. */
export function evaluateOperator(decorated: DecoratedOperator, fact: unknown, operand: unknown): boolean {
  return evaluateAt(decorated.decorators, decorated.operator, fact, operand);
}

function evaluateAt(decorators: readonly DecoratorDefinition[], operator: OperatorDefinition, fact: unknown, operand: unknown): boolean {
  const [outer, ...inner] = decorators;
  if (outer === undefined) return operator.test(fact, operand);
  return outer.apply(fact, operand, (f, v) => evaluateAt(inner, operator, f, v));
}
