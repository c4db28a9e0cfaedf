import { checkConditionTree, type DeclaredParam } from './condition-checks.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { checkEventNameValue, checkEventSourceValue, eventNameScope, type EventNameScope } from './event-catalog-checks.js';
import { childPointer, type JsonPointer } from './json-pointer.js';
import { listReferenceName } from './named-lists.js';
import { PARAM_TYPES, paramValueProblems, type ParamType } from './param-types.js';
import type { PositionedDiagnostics } from './positioned-diagnostics.js';
import { isMapping, ownField, paramName, type RawMapping } from './raw-value.js';
import { lookupFactPath } from './record-shape.js';
import { durationMs } from './rule-definition.js';
import { ANY_EVENT_SOURCE } from './rule.js';
import { quoted } from '../shared/diagnostics.js';

/** Grouping keys with a meaning of their own; any other groupBy entry is a dotted path into the record. */
export const GROUP_KEYS: readonly string[] = ['principal', 'project', 'account', 'region', 'sourceIPAddress', 'eventName'];

/**
 * The semantic layer of rule validation, run after the shape layer on the same parsed YAML: what a
 * JSON Schema cannot say. It reads defensively, since parts may have failed the shape check (those
 * were reported there), and reports every mistake it finds.
 */
export function checkRuleSemantics(rule: unknown, expectedId: string, report: PositionedDiagnostics): void {
  if (!isMapping(rule)) return;
  const id = ownField(rule, 'id');
  if (typeof id === 'string' && id !== expectedId) {
    report.error('/id', 'id-mismatch', `id ${quoted(id)} must equal the file name without its extension: '${expectedId}'`);
  }

  const params = declaredParams(rule, report);
  const usedParams = new Set<string>();
  const eventSources = checkEventSources(ownMapping(rule, 'scope'), report);
  const eventNames = eventNameScope(eventSources);
  checkScopeEventNames(ownField(ownMapping(rule, 'scope'), 'eventName'), eventNames, params, usedParams, report);
  checkConditionTree(ownField(rule, 'conditions'), '/conditions', { report, params, eventNames, usedParams });
  checkGroupBy(ownField(rule, 'groupBy'), report);
  checkThreshold(ownField(rule, 'threshold'), report);
  checkTests(ownField(rule, 'tests'), params, report);

  for (const name of params.keys()) {
    if (!usedParams.has(name))
      report.warning(childPointer('/params', name), 'unused-param', `parameter ${quoted(name)} is declared but no condition or scope reads it`);
  }
}

function ownMapping(mapping: RawMapping, key: string): RawMapping {
  const value = ownField(mapping, key);
  return isMapping(value) ? value : {};
}

function declaredParams(rule: RawMapping, report: PositionedDiagnostics): Map<string, DeclaredParam> {
  const declared = new Map<string, DeclaredParam>();
  const params = ownField(rule, 'params');
  if (!isMapping(params)) return declared;
  for (const [name, declaration] of Object.entries(params)) {
    if (!isMapping(declaration)) {
      declared.set(name, { type: undefined });
      continue;
    }
    const type = ownField(declaration, 'type');
    if (!PARAM_TYPES.includes(type as ParamType)) {
      declared.set(name, { type: undefined });
      continue;
    }
    const paramType = type as ParamType;
    if (!Object.hasOwn(declaration, 'default')) {
      declared.set(name, { type: paramType });
      continue;
    }
    const defaultValue = declaration.default;
    if (listReferenceName(defaultValue) !== undefined) {
      // an unknown list, left in place: reported where its name is written
      declared.set(name, { type: paramType });
      continue;
    }
    const pointer = childPointer(childPointer('/params', name), 'default');
    const problems = paramValueProblems(paramType, defaultValue);
    for (const problem of problems) {
      report.error(problem.index === undefined ? pointer : childPointer(pointer, problem.index), problem.code, problem.message);
    }
    // An empty list is no default at all: the rule stays inactive until the config sets the parameter.
    const usable = problems.length === 0 && !(Array.isArray(defaultValue) && defaultValue.length === 0);
    declared.set(name, usable ? { type: paramType, validDefault: defaultValue } : { type: paramType });
  }
  return declared;
}

/** Checks scope.eventSource and scope.notEventSource; returns the sources (or `any`) for the event catalog. */
function checkEventSources(scope: RawMapping, report: PositionedDiagnostics): string[] | typeof ANY_EVENT_SOURCE {
  const eventSource = ownField(scope, 'eventSource');
  const notEventSource = ownField(scope, 'notEventSource');
  if (notEventSource !== undefined && eventSource !== ANY_EVENT_SOURCE && eventSource !== undefined) {
    report.keyError(
      '/scope/notEventSource',
      'invalid-scope',
      'scope.notEventSource leaves sources out of `eventSource: any`; with a list of event sources, leave them out of the list instead',
    );
  }
  checkSourceNames(notEventSource, '/scope/notEventSource', report);
  if (eventSource === ANY_EVENT_SOURCE) return ANY_EVENT_SOURCE;
  return checkSourceNames(eventSource, '/scope/eventSource', report);
}

function checkSourceNames(names: unknown, pointer: JsonPointer, report: PositionedDiagnostics): string[] {
  if (!Array.isArray(names)) return [];
  const sources: string[] = [];
  names.forEach((source: unknown, index) => {
    if (typeof source !== 'string') return;
    sources.push(source);
    const anyHint =
      pointer === '/scope/eventSource' && ['any', '*', 'all'].includes(source.toLowerCase()) ? '; for every source write eventSource: any (not in a list)' : '';
    checkEventSourceValue({ value: source, pointer: childPointer(pointer, index) }, report, anyHint);
  });
  return sources;
}

function checkScopeEventNames(
  eventName: unknown,
  known: EventNameScope | undefined,
  params: ReadonlyMap<string, DeclaredParam>,
  usedParams: Set<string>,
  report: PositionedDiagnostics,
): void {
  const param = paramName(eventName);
  if (param !== undefined) {
    const declared = params.get(param);
    if (declared === undefined) {
      const names = [...params.keys()];
      report.error('/scope/eventName/param', 'undeclared-param', `parameter ${quoted(param)} is not declared under params${didYouMean(param, names)}`);
      return;
    }
    usedParams.add(param);
    if (declared.type === undefined) return;
    if (declared.type !== 'string[]') {
      report.error(
        '/scope/eventName/param',
        'param-type',
        `scope.eventName needs a parameter of type string[], but ${quoted(param)} is declared as ${declared.type}`,
      );
      return;
    }
    checkNames(declared.validDefault, childPointer(childPointer('/params', param), 'default'), known, report);
    return;
  }
  checkNames(eventName, '/scope/eventName', known, report);
}

function checkNames(names: unknown, pointer: JsonPointer, known: EventNameScope | undefined, report: PositionedDiagnostics): void {
  if (known === undefined || !Array.isArray(names)) return;
  names.forEach((name: unknown, index) => {
    if (typeof name === 'string') checkEventNameValue({ value: name, pointer: childPointer(pointer, index) }, known, report);
  });
}

function checkGroupBy(groupBy: unknown, report: PositionedDiagnostics): void {
  if (!Array.isArray(groupBy)) return;
  groupBy.forEach((key: unknown, index) => {
    if (typeof key !== 'string' || key === '' || GROUP_KEYS.includes(key)) return;
    const lookup = lookupFactPath(key);
    if (lookup.ok) return;
    const hint = didYouMean(key, GROUP_KEYS);
    report.error(
      `/groupBy/${index}`,
      'unknown-group-key',
      hint === ''
        ? `${quoted(key)} is neither a grouping key (${GROUP_KEYS.join(', ')}) nor a record field: ${lookup.message}`
        : `unknown grouping key ${quoted(key)}${hint}; keys: ${GROUP_KEYS.join(', ')}, or a dotted path into the record`,
    );
  });
}

/** The longest `threshold.within`: a rule holds every matching event of such a span until the run ends. */
export const MAX_THRESHOLD_WITHIN_MS = 7 * 86_400_000;

function checkThreshold(threshold: unknown, report: PositionedDiagnostics): void {
  if (!isMapping(threshold)) return;
  const within = ownField(threshold, 'within');
  if (typeof within === 'string' && durationMs(within) > MAX_THRESHOLD_WITHIN_MS) {
    report.error('/threshold/within', 'invalid-value', `threshold.within ${quoted(within)} is longer than 7d, the longest span a run holds events for`);
  }
  const distinct = ownField(threshold, 'distinct');
  if (typeof distinct !== 'string' || distinct === '') return;
  const lookup = lookupFactPath(distinct);
  if (!lookup.ok) report.error('/threshold/distinct', 'unknown-fact', `threshold.distinct ${quoted(distinct)}: ${lookup.message}`);
}

function checkTests(tests: unknown, params: ReadonlyMap<string, DeclaredParam>, report: PositionedDiagnostics): void {
  if (!Array.isArray(tests)) return;
  const expectations = new Set<unknown>();
  tests.forEach((test: unknown, index) => {
    if (!isMapping(test)) return;
    const pointer = `/tests/${index}`;
    expectations.add(ownField(test, 'expect'));
    const hasEvent = Object.hasOwn(test, 'event');
    const hasEventFile = Object.hasOwn(test, 'eventFile');
    if (hasEvent === hasEventFile) {
      report.error(
        pointer,
        'invalid-test',
        hasEvent ? 'a test has either event or eventFile, not both' : 'a test needs an event: write event: (inline) or eventFile: (a JSON file)',
      );
    }
    checkTestParams(ownField(test, 'params'), childPointer(pointer, 'params'), params, report);
  });
  for (const expect of ['match', 'no-match']) {
    if (!expectations.has(expect)) report.error('/tests', 'missing-test', `every rule needs at least one test with expect: ${expect}`);
  }
}

function checkTestParams(values: unknown, pointer: JsonPointer, params: ReadonlyMap<string, DeclaredParam>, report: PositionedDiagnostics): void {
  if (!isMapping(values)) return;
  for (const [name, value] of Object.entries(values)) {
    const at = childPointer(pointer, name);
    const declared = params.get(name);
    if (declared === undefined) {
      report.keyError(at, 'undeclared-param', `parameter ${quoted(name)} is not declared under params${didYouMean(name, [...params.keys()])}`);
      continue;
    }
    // A list reference still in place names an unknown list or one with errors: reported where its name is written.
    if (declared.type === undefined || listReferenceName(value) !== undefined) continue;
    for (const problem of paramValueProblems(declared.type, value)) {
      report.error(problem.index === undefined ? at : childPointer(at, problem.index), problem.code, problem.message);
    }
  }
}
