import { didYouMean } from '../../shared/did-you-mean.js';
import { quoted } from '../../shared/diagnostics.js';
import { childPointer, type JsonPointer } from '../json-pointer.js';
import type { PositionedDiagnostics } from '../positioned-diagnostics.js';
import { re2PatternProblem } from '../re2-pattern.js';
import type { Condition, SigmaFieldValue, SourcePosition } from '../rule.js';
import { wildcardText, wildcardTokens, type WildcardToken } from '../wildcard-pattern.js';
import { base64Variants, MAX_WINDASH_VARIANTS, windashVariants } from './sigma-encodings.js';
import { noValueCondition, reachedValueCondition, sigmaFieldPath, type SigmaFieldPath } from './sigma-field-path.js';

export interface TranslationContext {
  readonly report: PositionedDiagnostics;
  readonly at: (pointer: JsonPointer) => SourcePosition;
  /** Filled in: every plain string value compared with a field. */
  readonly values: SigmaFieldValue[];
}

/** The modifiers lfvaudit runs (Sigma specification, appendix "Modifiers"). */
export const SIGMA_MODIFIERS: readonly string[] = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'windash',
  'base64',
  'base64offset',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'fieldref',
  'lt',
  'lte',
  'gt',
  'gte',
];

/** Modifiers of the specification that lfvaudit refuses, with why. */
const UNSUPPORTED_MODIFIERS: Readonly<Record<string, string>> = {
  cased: 'case-sensitive matching (`cased`) is not supported; lfvaudit matches Sigma strings ignoring case',
  expand: 'placeholders (`expand`) need values from a processing pipeline, which lfvaudit does not have',
  utf16le: 'UTF-16 encodings are for Windows logs; CloudTrail text is UTF-8',
  utf16be: 'UTF-16 encodings are for Windows logs; CloudTrail text is UTF-8',
  utf16: 'UTF-16 encodings are for Windows logs; CloudTrail text is UTF-8',
  wide: 'UTF-16 encodings are for Windows logs; CloudTrail text is UTF-8',
};

const PLACEMENT = ['contains', 'startswith', 'endswith'];
const ENCODING = ['base64', 'base64offset'];
const NUMERIC: Readonly<Record<string, string>> = { lt: 'lessThan', lte: 'lessThanInclusive', gt: 'greaterThan', gte: 'greaterThanInclusive' };
const REGEX_FLAGS = ['i', 'm', 's'];

/** The modifiers that may go together, by the modifier that decides how the values are read. */
const COMPATIBLE: Readonly<Record<string, readonly string[]>> = {
  re: ['all', ...REGEX_FLAGS],
  cidr: ['all'],
  exists: [],
  fieldref: ['all'],
  lt: [],
  lte: [],
  gt: [],
  gte: [],
};

/** A comparison on the values a field path reaches: a leaf, or anyElement conditions around one (sigma-field-path.ts). */
type ReachedComparison = (operator: string, operand: unknown) => Condition;

/**
 * One `field|modifier...: value(s)` entry of a Sigma search identifier, as a condition: a list of values
 * is OR (AND with `all`, each value matched by any value the path reaches, as Elasticsearch ANDs one query
 * per value); plain values, contains, startswith and endswith compare text ignoring case
 * (matchesWildcard), `null` means the path reaches no value that is present and not null. The field path
 * reaches values through lists (sigma-field-path.ts), for every modifier but `fieldref`. Reports what it
 * cannot translate at the key (modifiers) or the value, and returns undefined then.
 */
export function fieldCondition(key: string, value: unknown, pointer: JsonPointer, context: TranslationContext): Condition | undefined {
  const { report } = context;
  const [field = '', ...modifiers] = key.split('|');
  let broken = false;
  const keyError = (code: string, message: string): void => {
    report.keyError(pointer, code, message);
    broken = true;
  };
  let path: SigmaFieldPath = { parts: [field], valueMayBeList: false };
  if (field === '')
    keyError('sigma-field', `${quoted(key)}: a field name must come before the modifiers; for a search of every value, write a list of keywords`);
  else {
    // A warning, not an error: SigmaHQ's rules are written for many log pipelines, and a field CloudTrail
    // does not have (`status`) only makes its selection never match, which the warning says.
    const lookup = sigmaFieldPath(field);
    if (lookup.ok) path = lookup;
    else report.warning(pointer, 'unknown-fact', `${lookup.message}; this comparison never holds on CloudTrail records`);
  }
  for (const modifier of modifiers) {
    const unsupported = UNSUPPORTED_MODIFIERS[modifier];
    if (unsupported !== undefined) keyError('sigma-unsupported', `modifier ${quoted(modifier)}: ${unsupported}`);
    else if (!SIGMA_MODIFIERS.includes(modifier)) {
      keyError('sigma-modifier', `unknown modifier ${quoted(modifier)}${didYouMean(modifier, SIGMA_MODIFIERS)}; modifiers: ${SIGMA_MODIFIERS.join(', ')}`);
    }
  }
  if (broken) return undefined;
  const problem = modifierCombinationProblem(modifiers);
  if (problem !== undefined) {
    keyError('sigma-modifier', `${quoted(key)}: ${problem}`);
    return undefined;
  }

  const values: { value: unknown; pointer: JsonPointer }[] = Array.isArray(value)
    ? value.map((item: unknown, index) => ({ value: item, pointer: childPointer(pointer, index) }))
    : [{ value, pointer }];
  if (values.length === 0) {
    report.error(pointer, 'sigma-value', `${quoted(key)} has an empty list of values, which can never match`);
    return undefined;
  }
  const all = modifiers.includes('all');
  const position = context.at(pointer);
  const reached: ReachedComparison = (operator, operand) => reachedValueCondition(path, { operator, value: operand }, position);
  const noValue = (): Condition => noValueCondition(path, position);

  if (modifiers.includes('exists')) {
    if (values.length !== 1 || typeof values[0]?.value !== 'boolean') return valueError(context, pointer, '`exists` takes true or false');
    return values[0].value ? reached('exists', true) : noValue();
  }
  const numeric = modifiers.find((modifier) => Object.hasOwn(NUMERIC, modifier));
  if (numeric !== undefined) {
    if (values.length !== 1 || typeof values[0]?.value !== 'number') return valueError(context, pointer, `\`${numeric}\` takes one number`);
    return reached(NUMERIC[numeric] as string, values[0].value);
  }

  const strings = stringValues(values, modifiers, context);
  if (strings === undefined) return undefined;
  const combine = (children: Condition[]): Condition =>
    children.length === 1 ? (children[0] as Condition) : all ? { all: children, position } : { any: children, position };

  if (modifiers.includes('fieldref')) return fieldReference(field, path, values, strings, combine, context, pointer);
  if (modifiers.includes('cidr')) return all ? combine(strings.map((text) => reached('inCidr', [text]))) : reached('inCidr', strings);
  if (modifiers.includes('re')) {
    const flags = REGEX_FLAGS.filter((flag) => modifiers.includes(flag)).join('');
    const patterns = strings.map((text) => (flags === '' ? text : `(?${flags})${text}`));
    patterns.forEach((pattern, index) => {
      const compileError = re2PatternProblem(pattern);
      if (compileError !== undefined) report.error(values[index]?.pointer ?? pointer, 'invalid-regex', `invalid RE2 pattern: ${compileError}`);
    });
    return combine(patterns.map((pattern) => reached('matches', pattern)));
  }
  return textCondition(field, values, modifiers, all, { reached, noValue, combine }, context);
}

/**
 * `fieldref`: the field's text equals the referenced field's, ignoring case as Sigma compares strings
 * (`equalsText`: numbers and booleans as text, a list by each of its values). The referenced field is
 * read from the record, so neither path can go through the elements of a list: one that crosses a list
 * the record shape documents (`resources`) is an error, and below a free-form field the path is read
 * through objects only.
 */
function fieldReference(
  field: string,
  path: SigmaFieldPath,
  values: readonly { value: unknown; pointer: JsonPointer }[],
  references: readonly string[],
  combine: (children: Condition[]) => Condition,
  context: TranslationContext,
  pointer: JsonPointer,
): Condition | undefined {
  const { report } = context;
  let ok = true;
  const acrossList = (fieldPath: string, list: string): string =>
    `\`fieldref\` compares two fields of the record, so it cannot read ${quoted(fieldPath)} through the elements of the list ${list}`;
  if (path.documentedList !== undefined) {
    report.keyError(pointer, 'sigma-unsupported', acrossList(field, path.documentedList));
    ok = false;
  }
  references.forEach((reference, index) => {
    const at = values[index]?.pointer ?? pointer;
    const lookup = sigmaFieldPath(reference);
    if (!lookup.ok) report.error(at, 'unknown-fact', lookup.message);
    else if (lookup.documentedList !== undefined) report.error(at, 'sigma-unsupported', acrossList(reference, lookup.documentedList));
    else return;
    ok = false;
  });
  if (!ok) return undefined;
  const position = context.at(pointer);
  return combine(references.map((reference) => ({ fact: field, operator: 'equalsText', value: { fact: reference }, position })));
}

function modifierCombinationProblem(modifiers: readonly string[]): string | undefined {
  const deciding = modifiers.find((modifier) => Object.hasOwn(COMPATIBLE, modifier));
  if (deciding !== undefined) {
    const others = modifiers.filter((modifier) => modifier !== deciding && !(COMPATIBLE[deciding] ?? []).includes(modifier));
    if (others.length > 0) return `\`${deciding}\` does not combine with ${others.map((m) => `\`${m}\``).join(', ')}`;
  }
  const flags = modifiers.filter((modifier) => REGEX_FLAGS.includes(modifier));
  if (flags.length > 0 && !modifiers.includes('re')) return `${flags.map((m) => `\`${m}\``).join(', ')} are flags of \`re\``;
  if (modifiers.filter((modifier) => PLACEMENT.includes(modifier)).length > 1) return 'use one of contains, startswith and endswith';
  if (modifiers.filter((modifier) => ENCODING.includes(modifier)).length > 1) return 'use one of base64 and base64offset';
  if (new Set(modifiers).size < modifiers.length) return 'a modifier is repeated';
  return undefined;
}

function valueError(context: TranslationContext, pointer: JsonPointer, message: string): undefined {
  context.report.error(pointer, 'sigma-value', message);
  return undefined;
}

/** The values as text (numbers and booleans as Sigma backends write them); null stays null for plain matching. */
function stringValues(
  values: readonly { value: unknown; pointer: JsonPointer }[],
  modifiers: readonly string[],
  context: TranslationContext,
): string[] | undefined {
  const plain = !modifiers.some((modifier) => ['fieldref', 'cidr', 're'].includes(modifier));
  const strings: string[] = [];
  let ok = true;
  for (const item of values) {
    if (item.value === null && plain) continue;
    if (typeof item.value === 'string' || (plain && (typeof item.value === 'number' || typeof item.value === 'boolean'))) strings.push(String(item.value));
    else {
      context.report.error(item.pointer, 'sigma-value', `expected a string${plain ? ', number, boolean or null' : ''} here`);
      ok = false;
    }
  }
  return ok ? strings : undefined;
}

function textCondition(
  field: string,
  values: readonly { value: unknown; pointer: JsonPointer }[],
  modifiers: readonly string[],
  all: boolean,
  build: { reached: ReachedComparison; noValue: () => Condition; combine: (children: Condition[]) => Condition },
  context: TranslationContext,
): Condition | undefined {
  const { reached, noValue, combine } = build;
  const placement = modifiers.find((modifier) => PLACEMENT.includes(modifier));
  const encoding = modifiers.find((modifier) => ENCODING.includes(modifier));
  const children: Condition[] = [];
  const alternativesPerValue: string[][] = [];
  let absent = false;
  let ok = true;
  for (const item of values) {
    if (item.value === null) {
      absent = true;
      if (all) children.push(noValue());
      continue;
    }
    // stringValues let only strings, numbers and booleans through
    const text = typeof item.value === 'number' || typeof item.value === 'boolean' ? String(item.value) : (item.value as string);
    if (typeof item.value === 'string') context.values.push({ field, value: text, modifiers, position: context.at(item.pointer) });
    let variants: WildcardToken[][] = [wildcardTokens(text)];
    if (modifiers.includes('windash')) {
      const dashed = windashVariants(variants[0] ?? []);
      if (dashed === undefined) {
        context.report.error(item.pointer, 'sigma-value', `\`windash\` would turn this value into more than ${MAX_WINDASH_VARIANTS} patterns`);
        ok = false;
        continue;
      }
      variants = dashed;
    }
    if (encoding !== undefined) {
      if (variants.some((tokens) => tokens.some((token) => 'wildcard' in token))) {
        context.report.error(item.pointer, 'sigma-value', `\`${encoding}\` encodes the value as it is: it cannot hold the wildcards * and ?`);
        ok = false;
        continue;
      }
      variants = variants.flatMap((tokens) =>
        base64Variants(tokens.map((token) => ('literal' in token ? token.literal : '')).join(''), encoding === 'base64offset'),
      );
    }
    const placed = variants.map((tokens) => wildcardText(placedTokens(tokens, placement)));
    alternativesPerValue.push(placed);
    if (all) children.push(reached('matchesWildcard', single(placed)));
  }
  if (!ok) return undefined;
  if (all) return combine(children);
  const patterns = alternativesPerValue.flat();
  const matching = patterns.length === 0 ? undefined : reached('matchesWildcard', single(patterns));
  if (!absent) return matching;
  const missing = noValue();
  return matching === undefined ? missing : combine([matching, missing]);
}

function single(patterns: readonly string[]): string | readonly string[] {
  return patterns.length === 1 ? (patterns[0] as string) : patterns;
}

function placedTokens(tokens: readonly WildcardToken[], placement: string | undefined): WildcardToken[] {
  const star: WildcardToken = { wildcard: '*' };
  switch (placement) {
    case 'contains':
      return [star, ...tokens, star];
    case 'startswith':
      return [...tokens, star];
    case 'endswith':
      return [star, ...tokens];
    default:
      return [...tokens];
  }
}
