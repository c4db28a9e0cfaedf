import { didYouMean } from '../../shared/did-you-mean.js';
import { quoted } from '../../shared/diagnostics.js';
import { childPointer, type JsonPointer } from '../json-pointer.js';
import { isMapping, ownField, type RawMapping } from '../raw-value.js';
import type { Condition, SourcePosition } from '../rule.js';
import { wildcardText, wildcardTokens } from '../wildcard-pattern.js';
import { lookupFactPath } from '../record-shape.js';
import type { ComparisonOperator } from './sigma-aggregation.js';
import { parseSigmaCondition, type SigmaConditionParse, type SigmaExpression } from './sigma-condition.js';
import { fieldCondition, type TranslationContext } from './sigma-field.js';
import { leastCount, sigmaSpan, type CountComparison, type SigmaThreshold } from './sigma-threshold.js';

/** Where the text of a YAML scalar at a pointer sits, so that an offset inside it becomes a line and column. */
export type ScalarOffsetPosition = (pointer: JsonPointer, offset: number) => SourcePosition;

/** A translated detection: its condition, and the threshold its aggregation (`| count() > N`) sets. */
export interface SigmaDetection {
  readonly condition: Condition;
  readonly aggregation?: SigmaThreshold;
}

/**
 * A Sigma `detection` as one lfvaudit condition tree: each search identifier translated (a map is AND of
 * its fields, a list of maps OR, a list of plain values keywords searched in every value of the record),
 * then combined as the `condition` says; an aggregation with `timeframe` becomes a threshold. Every
 * mistake is reported with its position; undefined then.
 */
export function translateDetection(detection: RawMapping, context: TranslationContext, offsetPosition: ScalarOffsetPosition): SigmaDetection | undefined {
  const { report } = context;
  const identifiers = new Map<string, Condition | undefined>();
  for (const [name, value] of Object.entries(detection)) {
    const pointer = childPointer('/detection', name);
    if (name === 'condition' || name === 'timeframe') continue;
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
  const parsed = texts.map(({ text, pointer }) => ({ text, pointer, parse: parseSigmaCondition(text) }));
  const translated = parsed.map(({ pointer, parse }) => conditionOf(parse, pointer, identifiers, context, offsetPosition));
  const aggregation = aggregationOf(parsed, detection, context, offsetPosition);
  if (report.errorCount > 0 || translated.some((item) => item === undefined) || aggregation === false) return undefined;
  const combined = translated.length === 1 ? translated[0] : { any: translated as Condition[], position: context.at('/detection/condition') };
  if (combined === undefined) return undefined;
  return aggregation === undefined ? { condition: combined } : { condition: combined, aggregation };
}

/**
 * The threshold of the condition's aggregation, with `timeframe` its span: `count() > N` is at least
 * N + 1 events, `count(FIELD)` counts FIELD's distinct values, `by GROUP` groups by GROUP (besides account
 * and region, as every finding). Undefined when there is none; false after reporting why it cannot run.
 */
function aggregationOf(
  parsed: readonly { readonly text: string; readonly pointer: JsonPointer; readonly parse: SigmaConditionParse }[],
  detection: RawMapping,
  context: TranslationContext,
  offsetPosition: ScalarOffsetPosition,
): SigmaThreshold | undefined | false {
  const { report } = context;
  const timeframe = ownField(detection, 'timeframe');
  const withAggregation = parsed.flatMap(({ pointer, parse }) =>
    parse.ok && parse.aggregation !== undefined ? [{ pointer, aggregation: parse.aggregation }] : [],
  );
  const errorAt = (pointer: JsonPointer, offset: number, message: string): false => {
    report.errorAt(offsetPosition(pointer, offset), 'sigma-unsupported', `condition: ${message}`);
    return false;
  };
  const [first] = withAggregation;
  if (first === undefined) {
    if (timeframe === undefined || !parsed.every(({ parse }) => parse.ok)) return undefined;
    // `selection1 and selection2` with a timeframe reads as two events close in time, but a condition
    // holds only for one event matching both: never, when the selections name different events.
    const text = parsed.map((entry) => entry.text.trim()).join('`, `');
    report.keyError(
      '/detection/timeframe',
      'sigma-unsupported',
      `\`timeframe\` only sets the span of an aggregation (\`| count() > N\`), and this condition has none: \`${text}\` is tested on each event ` +
        'alone, so all its selections must match one event, not several events within the timeframe. Events of several selections close in time ' +
        'are a temporal correlation, which lfvaudit does not run',
    );
    return false;
  }
  const { pointer, aggregation } = first;
  if (parsed.length > 1) return errorAt(pointer, aggregation.offset, 'an aggregation needs the condition to be one text, not a list of conditions');
  if (aggregation.kind === 'near') {
    return errorAt(pointer, aggregation.offset, '`near` (events of several selections close in time) is a temporal correlation, which lfvaudit does not run');
  }
  if (aggregation.name !== 'count') {
    return errorAt(
      pointer,
      aggregation.offset,
      `\`${aggregation.name}()\` aggregates a field's numbers; lfvaudit counts events or distinct values (\`count()\`, \`count(FIELD)\`)`,
    );
  }
  const count = leastCount(COMPARISONS[aggregation.operator], aggregation.value);
  if (!count.ok) return errorAt(pointer, aggregation.operatorOffset, count.message);
  if (timeframe === undefined) {
    return errorAt(
      pointer,
      aggregation.offset,
      '`count()` needs `timeframe` in the detection: lfvaudit counts within a span, and a count over a whole run would depend on how long the run is',
    );
  }
  const span = sigmaSpan(timeframe, 'timeframe');
  if (!span.ok) {
    report.error('/detection/timeframe', 'sigma-timeframe', span.message);
    return false;
  }
  for (const word of [aggregation.field, aggregation.groupBy]) {
    if (word === undefined) continue;
    const lookup = lookupFactPath(word.name);
    if (!lookup.ok) report.warningAt(offsetPosition(pointer, word.offset), 'unknown-fact', `${lookup.message}; CloudTrail records have no such field`);
  }
  return {
    threshold: { count: count.value, ...span.value, ...(aggregation.field === undefined ? {} : { distinct: aggregation.field.name }) },
    groupBy: aggregation.groupBy === undefined ? [] : [aggregation.groupBy.name],
  };
}

const COMPARISONS: Readonly<Record<ComparisonOperator, CountComparison>> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', '=': 'eq' };

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
  parse: SigmaConditionParse,
  pointer: JsonPointer,
  identifiers: ReadonlyMap<string, Condition | undefined>,
  context: TranslationContext,
  offsetPosition: ScalarOffsetPosition,
): Condition | undefined {
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
