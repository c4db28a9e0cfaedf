import { excerpt } from '../shared/diagnostics.js';
import { parseCidr } from './cidr.js';
import type { ParamDeclaration } from './rule.js';

export type ParamType = ParamDeclaration['type'];

export const PARAM_TYPES: readonly ParamType[] = ['string', 'string[]', 'number', 'boolean', 'cidr[]'];

/** A mistake in a parameter value: `index` is set when one element of a list is wrong. */
export interface ParamValueProblem {
  readonly index?: number;
  readonly code: 'param-type' | 'invalid-cidr';
  readonly message: string;
}

const EXPECTED: Record<ParamType, string> = {
  string: 'a string',
  'string[]': 'a list of strings',
  number: 'a number',
  boolean: 'true or false',
  'cidr[]': 'a list of CIDR ranges',
};

/** Checks a parameter value (a default, a config value, a test's value) against its declared type. */
export function paramValueProblems(type: ParamType, value: unknown): ParamValueProblem[] {
  const wrongType = (): ParamValueProblem[] => [{ code: 'param-type', message: `must be ${EXPECTED[type]} (type ${type}), not ${describeValue(value)}` }];
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : wrongType();
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : wrongType();
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrongType();
    case 'string[]':
      if (!Array.isArray(value)) return wrongType();
      return value.flatMap((item: unknown, index) =>
        typeof item === 'string' ? [] : [{ index, code: 'param-type' as const, message: `must be a string, not ${describeValue(item)}` }],
      );
    case 'cidr[]':
      if (!Array.isArray(value)) return wrongType();
      return value.flatMap((item: unknown, index): ParamValueProblem[] => {
        if (typeof item !== 'string') return [{ index, code: 'param-type' as const, message: `must be a CIDR range string, not ${describeValue(item)}` }];
        const parsed = parseCidr(item);
        return parsed.ok ? [] : [{ index, code: 'invalid-cidr' as const, message: parsed.message }];
      });
  }
}

/** `the string "x"` (an {@link excerpt}), `a list`, `null`: how a value is named in messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(excerpt(value))}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
