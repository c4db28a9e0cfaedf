import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import { childPointer, type JsonPointer } from './json-pointer.js';
import { factReferencePath, isMapping, ownField, paramName, type RawMapping } from './raw-value.js';
import {
  ANY_EVENT_SOURCE,
  DEFAULT_GROUP_BY,
  ELEMENT_QUANTIFIERS,
  type ElementQuantifier,
  type Condition,
  type ExpectedFinding,
  type ParamDeclaration,
  type ParamReference,
  type RuleDefinition,
  type RuleTest,
  type RuleThreshold,
  type SeverityLabel,
  type SourcePosition,
} from './rule.js';
import type { YamlPositions } from './yaml-document.js';

/** `{fact: PATH}` as a condition's value: compare with another field of the same record. */
export interface FactReference {
  readonly fact: string;
}

export function isParamReference(value: unknown): value is ParamReference {
  return paramName(value) !== undefined;
}

export function isFactReference(value: unknown): value is FactReference {
  return factReferencePath(value) !== undefined;
}

/** `anyElement` or `everyElement` when the mapping is an element condition (`{fact, anyElement: {...}}`). */
export function elementQuantifierOf(condition: RawMapping): ElementQuantifier | undefined {
  return ELEMENT_QUANTIFIERS.find((quantifier) => Object.hasOwn(condition, quantifier));
}

export interface RuleSource {
  readonly file: string;
  readonly builtIn: boolean;
  readonly positions: YamlPositions;
  /** The records of tests that name an eventFile, by test index. */
  readonly testEvents: ReadonlyMap<number, CloudTrailRecord>;
}

/**
 * Turns a rule that passed every check into its typed definition. Trusts the shape (checked before);
 * maps that take names from the file (params) have no prototype, so no name can reach Object.prototype.
 */
export function buildRuleDefinition(rule: RawMapping, source: RuleSource): RuleDefinition {
  const at = (pointer: JsonPointer): SourcePosition => ({ file: source.file, ...source.positions.valueAt(pointer) });
  const scope = rule.scope as RawMapping;
  const eventName = ownField(scope, 'eventName');
  const notEventSource = ownField(scope, 'notEventSource');
  const remediation = rule.remediation as RawMapping;
  const url = ownField(remediation, 'url');
  return {
    id: rule.id as string,
    title: rule.title as string,
    description: rule.description as string,
    severity: rule.severity as SeverityLabel,
    types: [...(rule.types as string[])],
    remediation: { text: remediation.text as string, ...(typeof url === 'string' ? { url } : {}) },
    scope: {
      eventSource: scope.eventSource === ANY_EVENT_SOURCE ? ANY_EVENT_SOURCE : [...(scope.eventSource as string[])],
      ...(Array.isArray(notEventSource) ? { notEventSource: notEventSource.map(String) } : {}),
      ...(eventName === undefined ? {} : { eventName: paramReferenceOr(eventName, (names) => [...(names as string[])]) }),
    },
    conditions: buildCondition(rule.conditions, '/conditions', at),
    groupBy: Array.isArray(rule.groupBy) ? rule.groupBy.map(String) : DEFAULT_GROUP_BY,
    params: buildParams(ownField(rule, 'params')),
    ...thresholdOf(ownField(rule, 'threshold')),
    tests: (rule.tests as unknown[]).map((test, index) => buildTest(test as RawMapping, index, source, at)),
    file: source.file,
    builtIn: source.builtIn,
  };
}

function paramReferenceOr<T>(value: unknown, literal: (value: unknown) => T): T | ParamReference {
  const param = paramName(value);
  return param === undefined ? literal(value) : { param };
}

function buildCondition(node: unknown, pointer: JsonPointer, at: (pointer: JsonPointer) => SourcePosition): Condition<unknown> {
  const condition = node as RawMapping;
  const position = at(pointer);
  for (const key of ['all', 'any'] as const) {
    const children = ownField(condition, key);
    if (Array.isArray(children)) {
      const built = children.map((child, index) => buildCondition(child, childPointer(childPointer(pointer, key), index), at));
      return key === 'all' ? { all: built, position } : { any: built, position };
    }
  }
  if (Object.hasOwn(condition, 'not')) return { not: buildCondition(condition.not, childPointer(pointer, 'not'), at), position };
  const quantifier = elementQuantifierOf(condition);
  if (quantifier !== undefined) {
    const element = buildCondition(condition[quantifier], childPointer(pointer, quantifier), at);
    return { fact: condition.fact as string, quantifier, element, position };
  }
  const value = condition.value;
  const referencedFact = factReferencePath(value);
  return {
    fact: condition.fact as string,
    operator: condition.operator as string,
    value: referencedFact === undefined ? paramReferenceOr(value, copyPlainData) : { fact: referencedFact },
    position,
  };
}

function thresholdOf(threshold: unknown): { threshold?: RuleThreshold } {
  if (!isMapping(threshold)) return {};
  const within = threshold.within as string;
  const distinct = ownField(threshold, 'distinct');
  return {
    threshold: {
      count: threshold.count as number,
      within,
      withinMs: durationMs(within),
      ...(typeof distinct === 'string' ? { distinct } : {}),
    },
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m` → 600000: a whole number and one unit (s, m, h, d), as the schema's pattern allows; NaN otherwise. */
export function durationMs(text: string): number {
  const match = /^([1-9][0-9]*)([smhd])$/.exec(text);
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  return match?.[1] === undefined || unit === undefined ? Number.NaN : Number(match[1]) * unit;
}

function buildParams(params: unknown): Readonly<Record<string, ParamDeclaration>> {
  const built = Object.create(null) as Record<string, ParamDeclaration>;
  if (!isMapping(params)) return built;
  for (const [name, declaration] of Object.entries(params)) {
    const raw = declaration as RawMapping;
    built[name] = {
      type: raw.type as ParamDeclaration['type'],
      description: raw.description as string,
      ...(Object.hasOwn(raw, 'default') ? { default: copyPlainData(raw.default) } : {}),
    };
  }
  return built;
}

function buildTest(test: RawMapping, index: number, source: RuleSource, at: (pointer: JsonPointer) => SourcePosition): RuleTest {
  const pointer = `/tests/${index}`;
  const finding = ownField(test, 'finding');
  const params = ownField(test, 'params');
  return {
    name: test.name as string,
    expect: test.expect as RuleTest['expect'],
    event: source.testEvents.get(index) ?? (test.event as CloudTrailRecord),
    ...(isMapping(finding) ? { finding: buildExpectedFinding(finding) } : {}),
    ...(isMapping(params) ? { params: copyPlainData(params) as Readonly<Record<string, unknown>> } : {}),
    position: at(pointer),
  };
}

function buildExpectedFinding(finding: RawMapping): ExpectedFinding {
  const title = ownField(finding, 'title');
  const severity = ownField(finding, 'severity');
  const resources = ownField(finding, 'resources');
  return {
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof severity === 'string' ? { severity: severity as SeverityLabel } : {}),
    ...(Array.isArray(resources) ? { resources: resources.map(String) } : {}),
  };
}

/** A deep copy of parsed data: lists stay lists, mappings get no prototype, so their keys are only data. */
function copyPlainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlainData);
  if (!isMapping(value)) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) copy[key] = copyPlainData(item);
  return copy;
}
