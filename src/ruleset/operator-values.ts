import { parseCidr } from './cidr.js';
import type { DecoratedOperator, DecoratorDefinition, OperatorDefinition, OperatorValueKind } from './operators.js';
import type { ParamType } from './param-types.js';
import { describeValue } from './param-types.js';
import { re2PatternProblem } from './re2-pattern.js';

/** A mistake in a condition's value: `at` is the path below the value (list indexes) where it sits. */
export interface OperatorValueProblem {
  readonly at: readonly number[];
  readonly code: 'invalid-operator-value' | 'invalid-regex' | 'invalid-cidr';
  readonly message: string;
}

/** Checks a literal value (or a substituted parameter) against what the decorated operator needs. */
export function operatorValueProblems(decorated: DecoratedOperator, operatorText: string, value: unknown): OperatorValueProblem[] {
  const problems: OperatorValueProblem[] = [];
  checkAt(decorated.decorators, decorated.operator, operatorText, value, [], problems);
  return problems;
}

function checkAt(
  decorators: readonly DecoratorDefinition[],
  operator: OperatorDefinition,
  operatorText: string,
  value: unknown,
  at: readonly number[],
  problems: OperatorValueProblem[],
): void {
  const [outer, ...inner] = decorators;
  if (outer === undefined) {
    checkOperand(operator, operatorText, value, at, problems);
    return;
  }
  if (!outer.valueIsList) {
    checkAt(inner, operator, operatorText, value, at, problems);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({
      at,
      code: 'invalid-operator-value',
      message: `\`${operatorText}\` needs a non-empty list of values (${outer.name} tries each), not ${describeValue(value)}`,
    });
    return;
  }
  value.forEach((item: unknown, index) => checkAt(inner, operator, operatorText, item, [...at, index], problems));
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

const LIST_INSTEAD: Readonly<Record<string, string>> = { equal: 'in', notEqual: 'notIn' };

function checkOperand(operator: OperatorDefinition, operatorText: string, value: unknown, at: readonly number[], problems: OperatorValueProblem[]): void {
  const problem = (message: string, code: OperatorValueProblem['code'] = 'invalid-operator-value', index?: number): void => {
    problems.push({ at: index === undefined ? at : [...at, index], code, message });
  };
  const named = `\`${operatorText}\``;
  switch (operator.value) {
    case 'scalar':
      if (isScalar(value)) return;
      return problem(
        `${named} compares with one string, number, boolean or null, not ${describeValue(value)}` +
          (Array.isArray(value) && Object.hasOwn(LIST_INSTEAD, operator.name) ? `; to compare with a list use \`${LIST_INSTEAD[operator.name]}\`` : ''),
      );
    case 'scalar-list':
      if (typeof value === 'string') {
        return problem(
          `${named} needs a list: with a string json-rules-engine would test for a substring; write [${JSON.stringify(value)}], or use stringContains for a substring`,
        );
      }
      if (!Array.isArray(value)) return problem(`${named} needs a list of values, not ${describeValue(value)}`);
      if (value.length === 0) return problem(`${named} with an empty list can never be true`);
      value.forEach((item: unknown, index) => {
        if (!isScalar(item)) problem(`list items must be strings, numbers, booleans or null, not ${describeValue(item)}`, 'invalid-operator-value', index);
      });
      return;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return;
      return problem(`${named} needs a number, not ${describeValue(value)}`);
    case 'boolean':
      if (typeof value === 'boolean') return;
      return problem(`${named} needs true or false, not ${describeValue(value)}`);
    case 'text':
    case 'wildcard':
      if (typeof value === 'string') return;
      if (!Array.isArray(value) || value.length === 0) return problem(`${named} needs a string or a non-empty list of strings, not ${describeValue(value)}`);
      value.forEach((item: unknown, index) => {
        if (typeof item !== 'string') problem(`list items must be strings, not ${describeValue(item)}`, 'invalid-operator-value', index);
      });
      return;
    case 'pattern': {
      if (typeof value !== 'string') return problem(`${named} needs an RE2 regular expression string, not ${describeValue(value)}`);
      const compileError = re2PatternProblem(value);
      if (compileError !== undefined) problem(`invalid RE2 pattern: ${compileError}`, 'invalid-regex');
      return;
    }
    case 'cidr-list':
      if (typeof value === 'string') return problem(`${named} needs a list of CIDR ranges: write [${JSON.stringify(value)}]`);
      if (!Array.isArray(value) || value.length === 0) return problem(`${named} needs a non-empty list of CIDR ranges, not ${describeValue(value)}`);
      value.forEach((item: unknown, index) => {
        if (typeof item !== 'string') return problem(`CIDR ranges are strings, not ${describeValue(item)}`, 'invalid-cidr', index);
        const parsed = parseCidr(item);
        if (!parsed.ok) problem(parsed.message, 'invalid-cidr', index);
      });
      return;
  }
}

const PARAM_TYPES_FOR: Record<OperatorValueKind, readonly ParamType[]> = {
  scalar: ['string', 'number', 'boolean'],
  'scalar-list': ['string[]', 'cidr[]'],
  number: ['number'],
  boolean: ['boolean'],
  text: ['string', 'string[]'],
  pattern: ['string'],
  'cidr-list': ['cidr[]'],
  wildcard: ['string', 'string[]'],
};

/** Element kinds a list parameter can stand for under someValue / everyValue. */
const LIST_PARAM_TYPES_FOR: Record<OperatorValueKind, readonly ParamType[]> = {
  scalar: ['string[]', 'cidr[]'],
  'scalar-list': [],
  number: [],
  boolean: [],
  text: ['string[]'],
  pattern: ['string[]'],
  'cidr-list': [],
  wildcard: ['string[]'],
};

/** The parameter types that may stand for the value of this decorated operator. */
export function paramTypesFor(decorated: DecoratedOperator): readonly ParamType[] {
  const lists = decorated.decorators.filter((decorator) => decorator.valueIsList).length;
  if (lists === 0) return PARAM_TYPES_FOR[decorated.operator.value];
  return lists === 1 ? LIST_PARAM_TYPES_FOR[decorated.operator.value] : [];
}

/**
 * Whether the value may be `{fact: PATH}`, read from the record at run time: not where the value is
 * compiled or folded at load (patterns, CIDR ranges, ignoreCase), is a flag (exists), or must be a list
 * at load (someValue).
 */
export function acceptsFactValue(decorated: DecoratedOperator): boolean {
  if (decorated.decorators.some((decorator) => decorator.valueIsList || decorator.prepare !== undefined)) return false;
  return ['scalar', 'scalar-list', 'number', 'text'].includes(decorated.operator.value);
}
