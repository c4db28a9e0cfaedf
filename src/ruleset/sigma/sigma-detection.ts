import { didYouMean } from '../../shared/did-you-mean.js';
import { quoted } from '../../shared/diagnostics.js';
import { childPointer, type JsonPointer } from '../json-pointer.js';
import { isMapping, ownField, type RawMapping } from '../raw-value.js';
import type { Condition, SourcePosition } from '../rule.js';
import { wildcardText, wildcardTokens } from '../wildcard-pattern.js';
import { parseSigmaCondition, type SigmaExpression } from './sigma-condition.js';
import { fieldCondition, type TranslationContext } from './sigma-field.js';

/** Where the text of a YAML scalar at a pointer sits, so that an offset inside it becomes a line and column. */
export type ScalarOffsetPosition = (pointer: JsonPointer, offset: number) => SourcePosition;

/**
 * A Sigma `detection` as one lfvaudit condition tree: each search identifier translated (a map is AND of
 * its fields, a list of maps OR, a list of plain values keywords searched in every value of the record),
 * then combined as the `condition` says. Every mistake is reported with its position; undefined then.
 */
export function detectionCondition(detection: RawMapping, context: TranslationContext, offsetPosition: ScalarOffsetPosition): Condition | undefined {
  const { report } = context;
  const identifiers = new Map<string, Condition | undefined>();
  for (const [name, value] of Object.entries(detection)) {
    const pointer = childPointer('/detection', name);
    if (name === 'condition') continue;
    if (name === 'timeframe') {
      report.keyError(
        pointer,
        'sigma-unsupported',
        '`timeframe` belongs to an aggregation (`| count() ...`), which lfvaudit does not run from a detection; see Thresholds',
      );
      continue;
    }
    identifiers.set(name, searchCondition(value, pointer, context));
  }
  const condition = ownField(detection, 'condition');
  if (condition === undefined) {
    report.keyError('/detection', 'sigma-condition', 'a Sigma detection needs a `condition`');
    return undefined;
  }
  const texts: { text: string; pointer: JsonPointer }[] =
    typeof condition === 'string'
      ? [{ text: condition, pointer: '/detection/condition' }]
      : Array.isArray(condition)
        ? condition.map((item: unknown, index) => ({ text: typeof item === 'string' ? item : '', pointer: childPointer('/detection/condition', index) }))
        : [];
  if (texts.length === 0 || texts.some((entry) => entry.text.trim() === '')) {
    report.error('/detection/condition', 'sigma-condition', 'the condition is a text such as `selection and not filter`, or a list of them');
    return undefined;
  }
  const translated = texts.map(({ text, pointer }) => conditionOf(text, pointer, identifiers, context, offsetPosition));
  if (report.errorCount > 0 || translated.some((item) => item === undefined)) return undefined;
  return translated.length === 1 ? translated[0] : { any: translated as Condition[], position: context.at('/detection/condition') };
}

function searchCondition(value: unknown, pointer: JsonPointer, context: TranslationContext): Condition | undefined {
  const position = context.at(pointer);
  if (isMapping(value)) return mapCondition(value, pointer, context);
  if (Array.isArray(value) && value.length > 0 && value.every(isMapping)) {
    const maps = value.map((item, index) => mapCondition(item, childPointer(pointer, index), context));
    if (maps.some((item) => item === undefined)) return undefined;
    return maps.length === 1 ? maps[0] : { any: maps as Condition[], position };
  }
  const keywords: unknown[] = Array.isArray(value) ? value : [value];
  if (keywords.length > 0 && keywords.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
    // Keywords: the text is searched in every value of the record, as a Sigma backend's full-text search.
    const patterns = keywords.map((item) => wildcardText([{ wildcard: '*' }, ...wildcardTokens(String(item)), { wildcard: '*' }]));
    return { fact: '', operator: 'matchesWildcard', value: patterns.length === 1 ? patterns[0] : patterns, position };
  }
  context.report.error(
    pointer,
    'sigma-search',
    'a search identifier is a map of fields to values, a list of such maps, or a list of keywords (strings searched in every value)',
  );
  return undefined;
}

function mapCondition(map: RawMapping, pointer: JsonPointer, context: TranslationContext): Condition | undefined {
  const entries = Object.entries(map);
  if (entries.length === 0) {
    context.report.error(pointer, 'sigma-search', 'an empty map matches nothing: name at least one field');
    return undefined;
  }
  const fields = entries.map(([key, value]) => fieldCondition(key, value, childPointer(pointer, key), context));
  if (fields.some((item) => item === undefined)) return undefined;
  return fields.length === 1 ? fields[0] : { all: fields as Condition[], position: context.at(pointer) };
}

function conditionOf(
  text: string,
  pointer: JsonPointer,
  identifiers: ReadonlyMap<string, Condition | undefined>,
  context: TranslationContext,
  offsetPosition: ScalarOffsetPosition,
): Condition | undefined {
  const parse = parseSigmaCondition(text);
  const errorAt = (offset: number, code: string, message: string): undefined => {
    const at = offsetPosition(pointer, offset);
    context.report.errorAt(at, code, `condition: ${message}`);
    return undefined;
  };
  if (!parse.ok) return errorAt(parse.offset, 'sigma-condition', parse.message);
  const names = [...identifiers.keys()];
  let ok = true;
  const translate = (expression: SigmaExpression): Condition | undefined => {
    switch (expression.kind) {
      case 'identifier': {
        if (!identifiers.has(expression.name)) {
          ok = false;
          return errorAt(
            expression.offset,
            'sigma-condition',
            `no search identifier ${quoted(expression.name)}${didYouMean(expression.name, names)}; identifiers: ${names.join(', ')}`,
          );
        }
        return identifiers.get(expression.name);
      }
      case 'of': {
        const selected = selectIdentifiers(expression.pattern, names);
        if (selected.length === 0) {
          ok = false;
          return errorAt(expression.offset, 'sigma-condition', `${quoted(expression.pattern)} names no search identifier; identifiers: ${names.join(', ')}`);
        }
        const children = selected.map((name) => identifiers.get(name));
        if (children.some((child) => child === undefined)) return undefined;
        const position = offsetPosition(pointer, expression.offset);
        if (children.length === 1) return children[0];
        return expression.quantifier === 'one' ? { any: children as Condition[], position } : { all: children as Condition[], position };
      }
      case 'and':
      case 'or': {
        const operands = expression.operands.map(translate);
        if (operands.some((operand) => operand === undefined)) return undefined;
        const position = context.at(pointer);
        return expression.kind === 'and' ? { all: operands as Condition[], position } : { any: operands as Condition[], position };
      }
      case 'not': {
        const operand = translate(expression.operand);
        return operand === undefined ? undefined : { not: operand, position: context.at(pointer) };
      }
    }
  };
  const translated = translate(parse.expression);
  return ok ? translated : undefined;
}

/**
 * The identifiers a `1 of` / `all of` names, in the order the detection lists them: `them` is every one
 * except those whose name starts with `_` (as pySigma reads it); a pattern matches names with `*` wildcards,
 * case-sensitively.
 */
function selectIdentifiers(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((name) => !name.startsWith('_'));
  const [first = '', ...rest] = pattern.split('*');
  // Identifier names are short and written in the rule: a prefix, then each part in order, then the suffix.
  return names.filter((name) => {
    if (rest.length === 0) return name === first;
    if (!name.startsWith(first)) return false;
    const last = rest[rest.length - 1] ?? '';
    let from = first.length;
    for (const part of rest.slice(0, -1)) {
      const found = name.indexOf(part, from);
      if (found === -1) return false;
      from = found + part.length;
    }
    return name.length - last.length >= from && name.endsWith(last);
  });
}
