import { didYouMean } from '../shared/did-you-mean.js';
import { childPointer, type JsonPointer } from './json-pointer.js';
import { acceptsFactValue, operatorValueProblems, paramTypesFor } from './operator-values.js';
import { DECORATORS, OPERATORS, parseOperator, type DecoratedOperator } from './operators.js';
import { checkEventNamePart, checkEventNameValue, checkEventSourceValue, type EventNameScope, type NamePart } from './event-catalog-checks.js';
import { describeValue, type ParamType } from './param-types.js';
import type { PositionedDiagnostics } from './positioned-diagnostics.js';
import { factReferencePath, isMapping, ownField, paramName, type RawMapping } from './raw-value.js';
import { lookupFactPath, type FieldType } from './record-shape.js';
import { quoted } from '../shared/diagnostics.js';

/** A parameter as declared under `params`, read from the raw rule. */
export interface DeclaredParam {
  /** Undefined when the declared type is not a parameter type (the shape layer reported it). */
  readonly type: ParamType | undefined;
  /** The default, when one is declared and fits the type. */
  readonly validDefault?: unknown;
}

/** What the condition checks need to know about the rest of the rule. */
export interface ConditionContext {
  readonly report: PositionedDiagnostics;
  readonly params: ReadonlyMap<string, DeclaredParam>;
  /** Event names the rule's scope allows, when the event catalog knows its sources. */
  readonly eventNames: EventNameScope | undefined;
  /** Filled in: the parameters the conditions read. */
  readonly usedParams: Set<string>;
}

/** The semantic layer for a condition tree: operators, fact paths, values and parameters of every comparison. */
export function checkConditionTree(node: unknown, pointer: JsonPointer, context: ConditionContext): void {
  if (!isMapping(node)) return;
  for (const key of ['all', 'any'] as const) {
    const children = ownField(node, key);
    if (Array.isArray(children)) {
      children.forEach((child: unknown, index) => checkConditionTree(child, childPointer(childPointer(pointer, key), index), context));
      return;
    }
  }
  if (Object.hasOwn(node, 'not')) {
    checkConditionTree(node.not, childPointer(pointer, 'not'), context);
    return;
  }
  checkComparison(node, pointer, context);
}

const EQUALITY_OPERATORS = new Set(['equal', 'notEqual', 'in', 'notIn']);

function checkComparison(node: RawMapping, pointer: JsonPointer, context: ConditionContext): void {
  const { report } = context;
  const fact = ownField(node, 'fact');
  const operatorText = ownField(node, 'operator');
  const value = ownField(node, 'value');
  const valuePointer = childPointer(pointer, 'value');
  const param = paramName(value);
  // read even when the rest of the comparison is broken, so that no "unused parameter" warning follows
  if (param !== undefined && context.params.has(param)) context.usedParams.add(param);

  let factType: FieldType | undefined;
  if (typeof fact === 'string' && fact !== '') {
    const lookup = lookupFactPath(fact);
    if (lookup.ok) factType = lookup.type;
    else report.error(childPointer(pointer, 'fact'), 'unknown-fact', lookup.message);
  }

  if (typeof operatorText !== 'string' || operatorText === '') return;
  const decorated = parsedOperator(operatorText, childPointer(pointer, 'operator'), report);
  if (decorated === undefined) return;

  const { operator } = decorated;
  if (typeof fact === 'string' && factType !== undefined && operator.factTypes !== undefined && !operator.factTypes.includes(factType)) {
    const instead = operator.insteadFor?.[factType];
    report.error(
      childPointer(pointer, 'operator'),
      'operator-fact-type',
      `\`${operator.name}\` needs a ${operator.factTypes.filter((type) => type !== 'free-form').join(' or ')} fact, but ${fact} is a ${factType} in CloudTrail records` +
        (instead === undefined ? '' : `; use \`${instead}\``),
    );
  }

  if (param !== undefined) {
    checkParamValue(param, decorated, operatorText, fact, valuePointer, context);
    return;
  }
  const referencedFact = factReferencePath(value);
  if (referencedFact !== undefined) {
    if (!acceptsFactValue(decorated)) {
      report.error(valuePointer, 'invalid-operator-value', `\`${operatorText}\` cannot compare with {fact: ...}: its value must be written in the rule`);
      return;
    }
    const lookup = lookupFactPath(referencedFact);
    if (!lookup.ok) report.error(childPointer(valuePointer, 'fact'), 'unknown-fact', lookup.message);
    return;
  }
  if (isMapping(value)) return; // the shape layer reported it
  checkLiteral(value, valuePointer, decorated, operatorText, fact, factType, context);
}

/** Decorated operators that can never be right, with what to write instead. */
const DECORATOR_INSTEAD: Readonly<Record<string, string>> = {
  'ignoreCase:matches': 'start the pattern with (?i) instead',
};

function parsedOperator(operatorText: string, pointer: JsonPointer, report: PositionedDiagnostics): DecoratedOperator | undefined {
  const parse = parseOperator(operatorText);
  if (parse.ok) {
    const { operator } = parse.parsed;
    const misfit = parse.parsed.decorators.find((decorator) => decorator.operators !== undefined && !decorator.operators.includes(operator.name));
    if (misfit === undefined) return parse.parsed;
    const instead = DECORATOR_INSTEAD[`${misfit.name}:${operator.name}`];
    report.error(
      pointer,
      'decorator-operator',
      `\`${misfit.name}:\` does not apply to \`${operator.name}\`${instead === undefined ? '' : `: ${instead}`}; it applies to ${(misfit.operators ?? []).join(', ')}`,
    );
    return undefined;
  }
  if (parse.code === 'unknown-decorator') {
    const decorators = DECORATORS.map((decorator) => decorator.name);
    report.error(
      pointer,
      'unknown-decorator',
      `unknown decorator ${quoted(parse.name)} in ${quoted(operatorText)}${didYouMean(parse.name, decorators)}; decorators: ${decorators.join(', ')}`,
    );
  } else {
    const operators = OPERATORS.map((operator) => operator.name);
    report.error(pointer, 'unknown-operator', `unknown operator ${quoted(parse.name)}${didYouMean(parse.name, operators)}; operators: ${operators.join(', ')}`);
  }
  return undefined;
}

function checkParamValue(
  param: string,
  decorated: DecoratedOperator,
  operatorText: string,
  fact: unknown,
  valuePointer: JsonPointer,
  context: ConditionContext,
): void {
  const declared = context.params.get(param);
  const paramPointer = childPointer(valuePointer, 'param');
  if (declared === undefined) {
    const names = [...context.params.keys()];
    context.report.error(
      paramPointer,
      'undeclared-param',
      `parameter ${quoted(param)} is not declared under params${didYouMean(param, names)}${names.length === 0 ? '' : `; declared: ${names.join(', ')}`}`,
    );
    return;
  }
  if (declared.type === undefined) return;
  const fitting = paramTypesFor(decorated);
  if (!fitting.includes(declared.type)) {
    const needs = fitting.length === 0 ? 'cannot take a parameter' : `needs a parameter of type ${fitting.join(' or ')}`;
    context.report.error(paramPointer, 'param-type', `\`${operatorText}\` ${needs}, but ${quoted(param)} is declared as ${declared.type}`);
    return;
  }
  if (!Object.hasOwn(declared, 'validDefault')) return;
  const defaultPointer = childPointer(childPointer(childPointer('', 'params'), param), 'default');
  for (const problem of operatorValueProblems(decorated, operatorText, declared.validDefault)) {
    context.report.error(problem.at.reduce<JsonPointer>(childPointer, defaultPointer), problem.code, problem.message);
  }
  checkEventValues(fact, decorated, declared.validDefault, defaultPointer, context);
}

function checkLiteral(
  value: unknown,
  valuePointer: JsonPointer,
  decorated: DecoratedOperator,
  operatorText: string,
  fact: unknown,
  factType: FieldType | undefined,
  context: ConditionContext,
): void {
  const problems = operatorValueProblems(decorated, operatorText, value);
  for (const problem of problems) context.report.error(problem.at.reduce<JsonPointer>(childPointer, valuePointer), problem.code, problem.message);
  if (problems.length > 0) return;
  const equality = EQUALITY_OPERATORS.has(decorated.operator.name);
  if (equality && typeof fact === 'string' && (factType === 'string' || factType === 'boolean' || factType === 'number')) {
    for (const scalar of comparedScalars(decorated, value, valuePointer)) {
      if (scalar.value === null || typeof scalar.value === factType) continue;
      context.report.error(
        scalar.pointer,
        'value-type',
        `${fact} is a ${factType} in CloudTrail records, so it never equals ${describeValue(scalar.value)}${retype(scalar.value, factType)}`,
      );
    }
  }
  checkEventValues(fact, decorated, value, valuePointer, context);
}

/** How to write a value so that it has the field's type: `"true"` for mfaAuthenticated, `true` for readOnly. */
function retype(value: unknown, factType: FieldType): string {
  if (factType === 'string' && (typeof value === 'boolean' || typeof value === 'number')) return `; write "${String(value)}"`;
  if (factType === 'boolean' && (value === 'true' || value === 'false')) return `; write ${value} without quotes`;
  return '';
}

const NAME_PART_OPERATORS: ReadonlySet<string> = new Set<NamePart>(['startsWith', 'endsWith', 'stringContains']);

/**
 * The event sources and names a comparison on eventSource or eventName names, against the event catalog:
 * the values of an equality, and the parts a text operator looks for in a name.
 */
function checkEventValues(fact: unknown, decorated: DecoratedOperator, value: unknown, valuePointer: JsonPointer, context: ConditionContext): void {
  if (fact !== 'eventName' && fact !== 'eventSource') return;
  const ignoreCase = decorated.decorators.some((decorator) => decorator.name === 'ignoreCase');
  const operator = decorated.operator.name;
  if (fact === 'eventName' && NAME_PART_OPERATORS.has(operator) && context.eventNames !== undefined) {
    // A text operator takes one string or a list of them.
    const parts = Array.isArray(value)
      ? value.map((item: unknown, index) => ({ item, pointer: childPointer(valuePointer, index) }))
      : [{ item: value, pointer: valuePointer }];
    for (const { item, pointer } of parts) {
      if (typeof item === 'string') checkEventNamePart({ value: item, pointer }, operator as NamePart, context.eventNames, context.report, ignoreCase);
    }
    return;
  }
  if (!EQUALITY_OPERATORS.has(operator)) return;
  for (const scalar of comparedScalars(decorated, value, valuePointer)) {
    if (typeof scalar.value !== 'string') continue;
    const eventValue = { value: scalar.value, pointer: scalar.pointer };
    if (fact === 'eventSource') {
      // Ignoring case, a source in another case is still a real one: checked in lower case.
      checkEventSourceValue(ignoreCase ? { ...eventValue, value: scalar.value.toLowerCase() } : eventValue, context.report);
    } else if (context.eventNames !== undefined) {
      checkEventNameValue(eventValue, context.eventNames, context.report, ignoreCase);
    }
  }
}

/** The single values a fact is compared with, whatever lists the operator and its decorators wrap them in. */
function comparedScalars(decorated: DecoratedOperator, value: unknown, pointer: JsonPointer): { value: unknown; pointer: JsonPointer }[] {
  const listDepth = decorated.decorators.filter((decorator) => decorator.valueIsList).length + (decorated.operator.value === 'scalar-list' ? 1 : 0);
  let level: { value: unknown; pointer: JsonPointer }[] = [{ value, pointer }];
  for (let depth = 0; depth < listDepth; depth += 1) {
    level = level.flatMap((entry) =>
      Array.isArray(entry.value) ? entry.value.map((item: unknown, index) => ({ value: item, pointer: childPointer(entry.pointer, index) })) : [],
    );
  }
  return level;
}
