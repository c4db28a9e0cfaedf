import { didYouMean } from '../../shared/did-you-mean.js';
import { quoted } from '../../shared/diagnostics.js';
import { childPointer, type JsonPointer } from '../json-pointer.js';
import type { PositionedDiagnostics } from '../positioned-diagnostics.js';
import { isMapping, ownField, type RawMapping } from '../raw-value.js';
import { lookupFactPath } from '../record-shape.js';
import type { RuleThreshold, SourcePosition } from '../rule.js';
import type { TextPosition } from '../yaml-document.js';
import { sigmaRuleMetadata, type SigmaRuleMetadata, type SigmaSource } from './sigma-rule.js';
import { leastCount, sigmaSpan, type CountComparison } from './sigma-threshold.js';

/** A rule a correlation refers to, by its `id` or `name`, where the reference is written. */
export interface SigmaRuleReference {
  readonly reference: string;
  readonly position: SourcePosition;
}

/**
 * A Sigma correlation rule (Sigma correlation rules specification v2) read from its document, before
 * the rules it refers to are looked up among every loaded file (link-sigma-correlations.ts): an
 * `event_count` or `value_count` over those rules' matching events is an lfvaudit threshold.
 */
export interface SigmaCorrelation {
  readonly type: 'event_count' | 'value_count';
  readonly metadata: SigmaRuleMetadata;
  readonly rules: readonly SigmaRuleReference[];
  readonly threshold: RuleThreshold;
  /** `group-by`: the count is kept per value of these fields (and, as every finding, per account and region). */
  readonly groupBy: readonly string[];
  /** `generate: true`: the rules it refers to also produce findings of their own. */
  readonly generate: boolean;
  readonly file: string;
  readonly builtIn: boolean;
  /** Where the id is written, to point at a duplicate id. */
  readonly idPosition: TextPosition;
  /** Where `correlation:` is written. */
  readonly position: SourcePosition;
}

const CORRELATION_KEYS = ['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate'] as const;
const TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
const COMPARISONS: readonly CountComparison[] = ['gt', 'gte', 'lt', 'lte', 'eq'];

/**
 * Reads a correlation rule's document: `correlation: {type, rules, group-by, timespan, condition}` and
 * the rule's own id, title, level and the rest. `condition: {gte: N}` is at least N events (`gt: N`,
 * N + 1); `value_count` counts the distinct values of `condition.field`. Reports every mistake and every
 * construct lfvaudit does not run at its position; undefined then.
 */
export function sigmaCorrelation(document: RawMapping, source: SigmaSource, report: PositionedDiagnostics): SigmaCorrelation | undefined {
  const at = (pointer: JsonPointer): SourcePosition => ({ file: source.file, ...source.positions.valueAt(pointer) });
  for (const key of ['logsource', 'detection']) {
    if (Object.hasOwn(document, key))
      report.keyError(`/${key}`, 'sigma-correlation', `a correlation rule has no \`${key}\`: it counts the events of the rules it names`);
  }
  const metadata = sigmaRuleMetadata(document, source, report);
  const correlation = ownField(document, 'correlation');
  if (!isMapping(correlation)) {
    report.error('/correlation', 'sigma-correlation', 'a correlation is a map: `{type, rules, group-by, timespan, condition}`');
    return undefined;
  }
  for (const key of Object.keys(correlation)) {
    if (!(CORRELATION_KEYS as readonly string[]).includes(key)) {
      report.keyError(
        childPointer('/correlation', key),
        'sigma-correlation',
        `unknown correlation key ${quoted(key)}${didYouMean(key, CORRELATION_KEYS)}; keys: ${CORRELATION_KEYS.join(', ')}`,
      );
    }
  }
  if (Object.hasOwn(correlation, 'aliases')) {
    report.keyError(
      '/correlation/aliases',
      'sigma-unsupported',
      '`aliases` (one group-by name for different fields of different rules) is not supported: group by fields the rules share',
    );
  }
  const type = typeOf(ownField(correlation, 'type'), report);
  const rules = referencesOf(ownField(correlation, 'rules'), at, report);
  const groupBy = groupByOf(ownField(correlation, 'group-by'), report);
  const span = requiredSpan(correlation, report);
  // A temporal correlation has no count to check: its type is the error.
  const count = type === undefined ? undefined : countOf(ownField(correlation, 'condition'), type, report);
  const generate = generateOf(document, correlation, report);

  if (report.errorCount > 0 || metadata === undefined || type === undefined || rules === undefined || span === undefined || count === undefined)
    return undefined;
  return {
    type,
    metadata,
    rules,
    threshold: { count: count.count, ...span, ...(count.distinct === undefined ? {} : { distinct: count.distinct }) },
    groupBy,
    generate,
    file: source.file,
    builtIn: source.builtIn,
    idPosition: source.positions.valueAt('/id'),
    position: { file: source.file, ...source.positions.keyAt('/correlation') },
  };
}

function typeOf(type: unknown, report: PositionedDiagnostics): SigmaCorrelation['type'] | undefined {
  if (type === 'event_count' || type === 'value_count') return type;
  if (type === undefined) report.keyError('/correlation', 'sigma-correlation', 'a correlation needs `type`: event_count or value_count');
  else if (type === 'temporal' || type === 'temporal_ordered') {
    report.error(
      '/correlation/type',
      'sigma-unsupported',
      `\`${type}\` correlations (every rule matching within the span${type === 'temporal_ordered' ? ', in order' : ''}) are not supported: lfvaudit counts events (event_count) or distinct values (value_count)`,
    );
  } else {
    const written = typeof type === 'string' ? type : JSON.stringify(type);
    report.error(
      '/correlation/type',
      'sigma-correlation',
      `unknown correlation type ${quoted(written)}${didYouMean(written, TYPES)}; lfvaudit runs event_count and value_count`,
    );
  }
  return undefined;
}

function referencesOf(rules: unknown, at: (pointer: JsonPointer) => SourcePosition, report: PositionedDiagnostics): SigmaRuleReference[] | undefined {
  if (!Array.isArray(rules) || rules.length === 0) {
    if (rules === undefined)
      report.keyError('/correlation', 'sigma-correlation', 'a correlation needs `rules`: the ids or names of the rules whose events it counts');
    else report.error('/correlation/rules', 'sigma-correlation', '`rules` is a list of rule ids or names');
    return undefined;
  }
  const references: SigmaRuleReference[] = [];
  rules.forEach((rule: unknown, index) => {
    const pointer = childPointer('/correlation/rules', index);
    if (typeof rule === 'string' && rule.trim() !== '') references.push({ reference: rule, position: at(pointer) });
    else report.error(pointer, 'sigma-correlation', 'a rule is named by its id or name, a string');
  });
  return references.length === rules.length ? references : undefined;
}

function groupByOf(groupBy: unknown, report: PositionedDiagnostics): string[] {
  if (groupBy === undefined || groupBy === null) return [];
  if (!Array.isArray(groupBy)) {
    report.error('/correlation/group-by', 'sigma-correlation', '`group-by` is a list of field names');
    return [];
  }
  const fields: string[] = [];
  groupBy.forEach((field: unknown, index) => {
    const pointer = childPointer('/correlation/group-by', index);
    if (typeof field !== 'string' || field === '') {
      report.error(pointer, 'sigma-correlation', '`group-by` holds field names');
      return;
    }
    const lookup = lookupFactPath(field);
    if (!lookup.ok)
      report.warning(pointer, 'unknown-fact', `${lookup.message}; CloudTrail records have no such field, so every event has the same (missing) value`);
    fields.push(field);
  });
  return fields;
}

function requiredSpan(correlation: RawMapping, report: PositionedDiagnostics): { within: string; withinMs: number } | undefined {
  const timespan = ownField(correlation, 'timespan');
  if (timespan === undefined) {
    report.keyError('/correlation', 'sigma-correlation', 'a correlation needs `timespan`, the span its events must lie in (`10m`)');
    return undefined;
  }
  const span = sigmaSpan(timespan, 'timespan');
  if (span.ok) return span.value;
  report.error('/correlation/timespan', 'sigma-timeframe', span.message);
  return undefined;
}

/** The least count the condition accepts, and for value_count the field whose distinct values count. */
function countOf(condition: unknown, type: SigmaCorrelation['type'], report: PositionedDiagnostics): { count: number; distinct?: string } | undefined {
  if (!isMapping(condition)) {
    if (condition === undefined) report.keyError('/correlation', 'sigma-correlation', 'a correlation needs `condition`, such as `{gte: 10}`');
    else report.error('/correlation/condition', 'sigma-correlation', 'the condition is a map such as `{gte: 10}`');
    return undefined;
  }
  let count: number | undefined;
  let ok = true;
  for (const [key, value] of Object.entries(condition)) {
    const pointer = childPointer('/correlation/condition', key);
    if (key === 'field') continue;
    const comparison = COMPARISONS.find((candidate) => candidate === key);
    if (comparison === undefined) {
      report.keyError(
        pointer,
        'sigma-correlation',
        `unknown comparison ${quoted(key)}${didYouMean(key, COMPARISONS)}; comparisons: ${COMPARISONS.join(', ')}, and field`,
      );
      ok = false;
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      report.error(pointer, 'sigma-correlation', `\`${key}\` is a whole number`);
      ok = false;
      continue;
    }
    const least = leastCount(comparison, value);
    if (!least.ok) {
      report.keyError(pointer, 'sigma-unsupported', least.message);
      ok = false;
    } else if (count !== undefined) {
      report.keyError(pointer, 'sigma-correlation', 'write one of `gt` and `gte`');
      ok = false;
    } else count = least.value;
  }
  if (ok && count === undefined) report.keyError('/correlation/condition', 'sigma-correlation', 'the condition needs `gte: N` or `gt: N`');
  const distinct = distinctOf(ownField(condition, 'field'), type, report);
  if (!ok || count === undefined || distinct === false) return undefined;
  return distinct === undefined ? { count } : { count, distinct };
}

function distinctOf(field: unknown, type: SigmaCorrelation['type'], report: PositionedDiagnostics): string | undefined | false {
  if (type === 'event_count') {
    if (field === undefined) return undefined;
    report.keyError('/correlation/condition/field', 'sigma-correlation', '`field` belongs to a value_count correlation; an event_count counts events');
    return false;
  }
  if (field === undefined) {
    report.keyError(
      '/correlation/condition',
      'sigma-correlation',
      'a value_count correlation needs `field` in its condition: the field whose distinct values it counts',
    );
    return false;
  }
  if (typeof field !== 'string' || field === '') {
    report.error('/correlation/condition/field', 'sigma-correlation', '`field` is one field name: lfvaudit counts the distinct values of one field');
    return false;
  }
  const lookup = lookupFactPath(field);
  if (!lookup.ok)
    report.warning('/correlation/condition/field', 'unknown-fact', `${lookup.message}; CloudTrail records have no such field, so the count never passes 0`);
  return field;
}

/**
 * `generate`, at the top of the rule as the specification's schema has it, or inside `correlation` as
 * pySigma reads it: whether the rules referred to also produce findings of their own (default false).
 */
function generateOf(document: RawMapping, correlation: RawMapping, report: PositionedDiagnostics): boolean {
  let generate = false;
  for (const pointer of ['/generate', '/correlation/generate']) {
    const value = ownField(pointer === '/generate' ? document : correlation, 'generate');
    if (value === undefined) continue;
    if (typeof value === 'boolean') generate ||= value;
    else report.error(pointer, 'sigma-correlation', '`generate` is true or false');
  }
  return generate;
}
