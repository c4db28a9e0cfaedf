import { stringField, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { readFactPath } from './fact-path.js';
import { evaluateOperator, parseOperator, prepareOperand, type DecoratedOperator } from './operators.js';
import { isFactReference } from './rule-definition.js';
import type { Condition, ElementQuantifier, ResolvedRule, RuleScope, SourcePosition } from './rule.js';
import { eventSourceInScope } from './rule-scope.js';

/**
 * A checked condition tree with its operands prepared once (regexes and CIDR ranges compiled), ready
 * to be explained against any number of records.
 */
export type PreparedCondition =
  | { readonly kind: 'all' | 'any'; readonly children: readonly PreparedCondition[]; readonly position?: SourcePosition }
  | { readonly kind: 'not'; readonly child: PreparedCondition; readonly position?: SourcePosition }
  | {
      readonly kind: 'elements';
      readonly quantifier: ElementQuantifier;
      readonly fact: string;
      readonly child: PreparedCondition;
      readonly position?: SourcePosition;
    }
  | {
      readonly kind: 'comparison';
      readonly fact: string;
      readonly operator: string;
      readonly decorated: DecoratedOperator;
      /** The value as the rule has it after parameter substitution: a literal, or `{fact: PATH}`. */
      readonly value: unknown;
      readonly operand: unknown;
      readonly position?: SourcePosition;
    };

/** One condition evaluated on one record: every comparison with what it read and what it decided. */
export type ConditionExplanation =
  | { readonly kind: 'all' | 'any'; readonly result: boolean; readonly children: readonly ConditionExplanation[]; readonly position?: SourcePosition }
  | { readonly kind: 'not'; readonly result: boolean; readonly child: ConditionExplanation; readonly position?: SourcePosition }
  | {
      readonly kind: 'elements';
      readonly quantifier: ElementQuantifier;
      readonly result: boolean;
      readonly fact: string;
      /** What the record holds at `fact`: the list (or the one value taken as its only element); undefined when absent. */
      readonly factValue: unknown;
      /** The nested condition explained on each element, in order: empty when the field is absent, null or an empty list. */
      readonly elements: readonly ConditionExplanation[];
      readonly position?: SourcePosition;
    }
  | {
      readonly kind: 'comparison';
      readonly result: boolean;
      readonly fact: string;
      /** What the record holds at `fact`; undefined when the field is absent. */
      readonly factValue: unknown;
      readonly operator: string;
      /** The comparison value as written (after parameter substitution). */
      readonly value: unknown;
      /** For a `{fact: PATH}` value: what the record holds at PATH. */
      readonly referencedValue?: unknown;
      readonly position?: SourcePosition;
    };

export interface ScopeCheck {
  readonly eventSource: {
    /** The scope's sources, or `any`. */
    readonly expected: RuleScope['eventSource'];
    /** With `any`: the sources the scope leaves out. */
    readonly except?: readonly string[];
    readonly actual: string | undefined;
    readonly result: boolean;
  };
  readonly eventName?: { readonly expected: readonly string[]; readonly actual: string | undefined; readonly result: boolean };
  readonly result: boolean;
}

export interface RuleExplanation {
  readonly scope: ScopeCheck;
  readonly conditions: ConditionExplanation;
  /** match when the record is in scope and the conditions hold: the verdict a run gives. */
  readonly verdict: 'match' | 'no-match';
}

/** Prepares a condition tree that passed validation; throws on an unknown operator (a bug: validate first). */
export function prepareCondition(condition: Condition): PreparedCondition {
  const position = condition.position === undefined ? {} : { position: condition.position };
  if ('all' in condition) return { kind: 'all', children: condition.all.map(prepareCondition), ...position };
  if ('any' in condition) return { kind: 'any', children: condition.any.map(prepareCondition), ...position };
  if ('not' in condition) return { kind: 'not', child: prepareCondition(condition.not), ...position };
  if ('element' in condition) {
    return { kind: 'elements', quantifier: condition.quantifier, fact: condition.fact, child: prepareCondition(condition.element), ...position };
  }
  const parse = parseOperator(condition.operator);
  if (!parse.ok) throw new Error(`condition with unknown operator ${condition.operator}: conditions must be validated before evaluation`);
  const operand = isFactReference(condition.value) ? undefined : prepareOperand(parse.parsed, condition.value);
  return { kind: 'comparison', fact: condition.fact, operator: condition.operator, decorated: parse.parsed, value: condition.value, operand, ...position };
}

/**
 * Evaluates every node, with the operator functions json-rules-engine is given, so the result is the
 * reference evaluator's. Every child is evaluated (nothing short-circuits) so that the explanation is
 * complete; there are no side effects to skip.
 */
export function explainCondition(condition: PreparedCondition, record: CloudTrailRecord): ConditionExplanation {
  return explainOn(condition, record);
}

/** `subject`: the record, or inside anyElement / everyElement the element the paths are read from. */
function explainOn(condition: PreparedCondition, record: unknown): ConditionExplanation {
  const position = condition.position === undefined ? {} : { position: condition.position };
  switch (condition.kind) {
    case 'all':
    case 'any': {
      const children = condition.children.map((child) => explainOn(child, record));
      // json-rules-engine treats an empty `all` and an empty `any` alike: both are true.
      const result = children.length === 0 || (condition.kind === 'all' ? children.every((c) => c.result) : children.some((c) => c.result));
      return { kind: condition.kind, result, children, ...position };
    }
    case 'not': {
      const child = explainOn(condition.child, record);
      return { kind: 'not', result: !child.result, child, ...position };
    }
    case 'elements': {
      const factValue = readFactPath(record, condition.fact);
      const elements = factValue === undefined || factValue === null ? [] : Array.isArray(factValue) ? (factValue as unknown[]) : [factValue];
      const explained = elements.map((element) => explainOn(condition.child, element));
      const every = condition.quantifier === 'everyElement';
      // Absent or null: no list to look into, false for both; an empty list: anyElement false, everyElement true.
      const result = factValue !== undefined && factValue !== null && (every ? explained.every((e) => e.result) : explained.some((e) => e.result));
      return { kind: 'elements', quantifier: condition.quantifier, result, fact: condition.fact, factValue, elements: explained, ...position };
    }
    case 'comparison': {
      const factValue = readFactPath(record, condition.fact);
      const reference = isFactReference(condition.value) ? { referencedValue: readFactPath(record, condition.value.fact) } : undefined;
      const operand = reference === undefined ? condition.operand : reference.referencedValue;
      const result = evaluateOperator(condition.decorated, factValue, operand);
      return { kind: 'comparison', result, fact: condition.fact, factValue, operator: condition.operator, value: condition.value, ...reference, ...position };
    }
  }
}

/** The scope pre-filter, then every condition, for one rule and one record. */
export function explainRule(rule: Pick<ResolvedRule, 'scope' | 'conditions'>, record: CloudTrailRecord): RuleExplanation {
  const scope = scopeCheck(rule.scope, record);
  const conditions = explainCondition(prepareCondition(rule.conditions), record);
  return { scope, conditions, verdict: scope.result && conditions.result ? 'match' : 'no-match' };
}

function scopeCheck(scope: ResolvedRule['scope'], record: CloudTrailRecord): ScopeCheck {
  const source = stringField(record, 'eventSource');
  const except = scope.notEventSource === undefined ? {} : { except: scope.notEventSource };
  const eventSource = { expected: scope.eventSource, ...except, actual: source, result: eventSourceInScope(scope, source) };
  if (scope.eventName === undefined) return { eventSource, result: eventSource.result };
  const name = stringField(record, 'eventName');
  const eventName = { expected: scope.eventName, actual: name, result: name !== undefined && scope.eventName.includes(name) };
  return { eventSource, eventName, result: eventSource.result && eventName.result };
}
