import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { CompiledEvaluator } from '../../src/evaluate/compiled-evaluator.js';
import { conditionKey } from '../../src/evaluate/condition-key.js';
import { ReferenceEvaluator } from '../../src/evaluate/reference-evaluator.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { CASE_FOLDING_OPERATORS } from '../../src/ruleset/operators.js';
import { loadRuleDefinitions, OPERATORS, resolveRules, type OperatorValueKind } from '../../src/ruleset/index.js';
import type { Condition, ResolvedRule, RuleDefinition } from '../../src/ruleset/rule.js';
import { eventSourceInScope } from '../../src/ruleset/rule-scope.js';
import { testRule } from '../support/lfv-record.js';
import { repoRoot } from '../support/repo-root.js';

/**
 * The compiled fast path must give json-rules-engine's verdicts: the same rule ids, in the same order, for
 * every record. Checked on generated rules (every operator and decorator, literal values that fit and that
 * do not, fact references, empty and nested all/any/not) over generated CloudTrail-shaped records (missing
 * fields, nulls, wrong types, lists, own keys such as __proto__ and constructor), and on the embedded tests
 * of the rule packs.
 */

/** Builds an object whose keys are all own properties, `__proto__` included (an object literal would set the prototype). */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** Optional fields: each entry is left out or present with one of its values. */
function someFields(fields: Readonly<Record<string, fc.Arbitrary<unknown>>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([key, value]) =>
    fc.option(
      value.map((v) => [key, v] as const),
      { nil: undefined, freq: 3 },
    ),
  );
  return fc.tuple(...entries).map((present) => objectOf(present.filter((entry) => entry !== undefined)));
}

const SOURCES = ['lookoutvision.amazonaws.com', 's3.amazonaws.com', '__proto__', 'constructor'] as const;
const NAMES = ['CreateDataset', 'DeleteProject', 'DetectAnomalies', 'StartModel', '__proto__', 'constructor', 'hasOwnProperty'] as const;
const STRINGS = [
  'Root',
  'IAMUser',
  'AssumedRole',
  'AWSService',
  'true',
  'false',
  'P1',
  'prod-line',
  '',
  '5',
  'Create',
  'Dataset',
  'AWS Internal',
  'lookoutvision.amazonaws.com',
  '10.1.2.3',
  '::ffff:10.1.2.3',
  '2001:db8::7',
  '08.1.2.3',
  '203.0.113.9',
  'aws-cli/2.15.0',
  'Boto3/1.20',
  'TLSv1.2',
  'ECDHE-RSA-AES128-CBC-SHA',
  'arn:aws:iam::123456789012:root',
  '__proto__',
  'constructor',
  'root',
  'ROOT',
  'iamuser',
  'CREATE',
  'dataset',
  'AWS INTERNAL',
  'ÉTÉ',
  'été',
  'STRASSE',
  'straße',
] as const;

const anyString = fc.constantFrom(...STRINGS);
const number = fc.constantFrom(0, 1, 5, 10, -3, 2.5, 100);
const scalar = fc.oneof(anyString, number, fc.boolean(), fc.constant(null));
/** What a record field may hold: scalars of every type, lists (of strings, of objects), objects, nulls. */
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }).map((items) => items.map((item) => objectOf([['ARN', item]]))) },
  { weight: 1, arbitrary: fc.constant({}) },
);

const userIdentity = fc.oneof(
  {
    weight: 6,
    arbitrary: someFields({
      type: fc.oneof(fc.constantFrom('Root', 'IAMUser', 'AssumedRole', 'AWSService', 'root', 'ROOT', 'iamuser'), fieldValue),
      accountId: fc.constantFrom('123456789012', '210987654321', 123456789012),
      arn: fc.oneof(anyString, fc.constant(null)),
      sessionContext: fc.oneof(
        someFields({ attributes: fc.oneof(someFields({ mfaAuthenticated: fc.oneof(fc.constantFrom('true', 'false'), fieldValue) }), fieldValue) }),
        fieldValue,
      ),
      __proto__: fieldValue,
      constructor: fieldValue,
    }),
  },
  { weight: 1, arbitrary: fieldValue },
);

const LFV = 'lookoutvision.amazonaws.com';
/** Mostly Lookout for Vision, so that most generated records are in most rules' scope. */
const eventSource = fc.oneof({ weight: 8, arbitrary: fc.constant(LFV) }, { weight: 2, arbitrary: fc.constantFrom(...SOURCES) });

const eventName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('CreateDataset', 'DetectAnomalies') }, { weight: 1, arbitrary: fc.constantFrom(...NAMES) });

const record: fc.Arbitrary<CloudTrailRecord> = someFields({
  eventSource: fc.oneof({ weight: 6, arbitrary: eventSource }, { weight: 1, arbitrary: fieldValue }),
  eventName: fc.oneof({ weight: 6, arbitrary: eventName }, { weight: 1, arbitrary: fieldValue }),
  userIdentity,
  sourceIPAddress: fc.oneof(
    fc.constantFrom('10.1.2.3', '::ffff:10.1.2.3', '2001:db8::7', '08.1.2.3', '203.0.113.9', 'AWS Internal', 'fe80::1%eth0'),
    fieldValue,
  ),
  readOnly: fc.oneof(fc.boolean(), fieldValue),
  recipientAccountId: fc.constantFrom('123456789012', '210987654321'),
  requestParameters: fc.oneof(
    someFields({
      projectName: fc.oneof(anyString, fieldValue),
      maxInferenceUnits: fc.oneof(number, fieldValue),
      tags: fieldValue,
      // Lists of objects holding lists, as an ECS task definition's containers and their commands (what Sigma field paths cross).
      containerDefinitions: fc.oneof(fc.array(someFields({ name: anyString, command: fieldValue }), { maxLength: 3 }), fieldValue),
      constructor: fieldValue,
    }),
    fc.constant(null),
    anyString,
  ),
  resources: fieldValue,
  userAgent: anyString,
  __proto__: fieldValue,
  constructor: fieldValue,
  toString: fieldValue,
});

/** Paths into the record: real fields, nested ones, list indexes (valid and not), prototype names, the empty path. */
const FACT_PATHS = [
  'eventName',
  'eventSource',
  'readOnly',
  'sourceIPAddress',
  'userAgent',
  'recipientAccountId',
  'userIdentity.type',
  'userIdentity.accountId',
  'userIdentity.arn',
  'userIdentity.sessionContext.attributes.mfaAuthenticated',
  'requestParameters.projectName',
  'requestParameters.maxInferenceUnits',
  'requestParameters.tags',
  'requestParameters.tags.0',
  'requestParameters.containerDefinitions.command',
  'command',
  'resources.0.ARN',
  'resources.1.ARN',
  'resources.01.ARN',
  'resources.length',
  'resources',
  'ARN',
  '__proto__',
  '__proto__.polluted',
  'constructor',
  'constructor.name',
  'toString',
  'userIdentity.__proto__',
  'userIdentity.constructor',
  'requestParameters.constructor',
  'userIdentity.hasOwnProperty',
  'missing.field',
  '',
] as const;
const factPath = fc.constantFrom(...FACT_PATHS);

const PATTERNS = ['^Create', 'Dataset$', 'aws-cli/[12]\\.', '(?i)root', '^$', '.', '5'] as const;
const WILDCARDS = ['*', 'create*', '*DATASET', '*oo*', '?oot', 'aws ?nternal', '5', 'false', '\\*', '', '*:root'] as const;
const CIDR_LISTS = [['10.0.0.0/8'], ['203.0.113.0/24', '2001:db8::/32'], ['0.0.0.0/0'], ['::/0'], ['10.1.2.3/32', '192.168.0.0/16']] as const;

/** A literal value for an operator's value kind: mostly one that fits, sometimes one of another type. */
function literalFor(kind: OperatorValueKind): fc.Arbitrary<unknown> {
  const misfit = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
  const fitting = ((): fc.Arbitrary<unknown> => {
    switch (kind) {
      case 'scalar':
        return scalar;
      case 'scalar-list':
        return fc.array(scalar, { maxLength: 4 });
      case 'number':
        return number;
      case 'boolean':
        return fc.boolean();
      case 'text':
        return fc.oneof(anyString, fc.array(anyString, { minLength: 1, maxLength: 3 }));
      // Compiled at load: only valid patterns and ranges reach an evaluator (validation rejects the rest).
      case 'pattern':
        return fc.constantFrom(...PATTERNS);
      case 'cidr-list':
        return fc.constantFrom(...CIDR_LISTS).map((cidrs) => [...cidrs]);
      case 'wildcard':
        return fc.oneof(fc.constantFrom(...WILDCARDS), fc.uniqueArray(fc.constantFrom(...WILDCARDS), { minLength: 1, maxLength: 3 }));
    }
  })();
  return kind === 'pattern' || kind === 'cidr-list' || kind === 'wildcard'
    ? fitting
    : fc.oneof({ weight: 3, arbitrary: fitting }, { weight: 1, arbitrary: misfit });
}

/** Where docs/rules.md allows `{fact: PATH}`: not for load-compiled values, flags, or under someValue/everyValue. */
function allowsFactReference(kind: OperatorValueKind): boolean {
  return kind === 'scalar' || kind === 'scalar-list' || kind === 'number' || kind === 'text';
}

const DECORATOR_CHAINS: readonly (readonly string[])[] = [
  [],
  [],
  [],
  ['not'],
  ['someValue'],
  ['everyValue'],
  ['not', 'someValue'],
  ['not', 'everyValue'],
  ['someValue', 'not'],
  ['everyValue', 'not'],
  ['not', 'not'],
  ['ignoreCase'],
  ['ignoreCase'],
  ['not', 'ignoreCase'],
  ['ignoreCase', 'someValue'],
  ['everyValue', 'ignoreCase'],
];

/** Strings in a value, at any depth, upper-cased, lower-cased or kept: so that ignoreCase leaves meet facts written in another case. */
const recased = {
  upper: (value: unknown): unknown => recase(value, (text) => text.toUpperCase()),
  lower: (value: unknown): unknown => recase(value, (text) => text.toLowerCase()),
  same: (value: unknown): unknown => value,
};

function recase(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  return Array.isArray(value) ? value.map((item) => recase(item, change)) : value;
}

/** Validation allows ignoreCase only on the operators that compare text; on any other operator the chain goes without it. */
function decoratorsFor(operator: string, chain: readonly string[]): readonly string[] {
  return CASE_FOLDING_OPERATORS.includes(operator) ? chain : chain.filter((name) => name !== 'ignoreCase');
}

/** For ignoreCase leaves: identity types (as userIdentity.type holds them) to compare that field with, in whatever case. */
const IDENTITY_TYPES = fc.constantFrom('Root', 'IAMUser', 'AssumedRole', 'AWSService');

function literalOrIdentityType(kind: OperatorValueKind, ignoringCase: boolean): fc.Arbitrary<unknown> {
  if (!ignoringCase) return literalFor(kind);
  const identityType = kind === 'scalar-list' ? fc.array(IDENTITY_TYPES, { minLength: 1, maxLength: 3 }) : IDENTITY_TYPES;
  return fc.oneof(identityType, literalFor(kind));
}

const leaf: fc.Arbitrary<Condition> = fc
  .tuple(fc.constantFrom(...OPERATORS), fc.constantFrom(...DECORATOR_CHAINS), factPath, fc.boolean())
  .chain(([operator, chain, generatedFact, readIdentityType]) => {
    const decorators = decoratorsFor(operator.name, chain);
    const ignoringCase = decorators.includes('ignoreCase');
    const fact = ignoringCase && readIdentityType ? 'userIdentity.type' : generatedFact;
    const listDecorated = decorators.some((name) => name === 'someValue' || name === 'everyValue');
    const literal = listDecorated
      ? fc.array(literalOrIdentityType(operator.value, ignoringCase), { maxLength: 3 })
      : literalOrIdentityType(operator.value, ignoringCase);
    const value =
      !listDecorated && !decorators.includes('ignoreCase') && allowsFactReference(operator.value)
        ? fc.oneof({ weight: 3, arbitrary: literal }, { weight: 1, arbitrary: factPath.map((path) => ({ fact: path })) })
        : literal;
    const cased = decorators.includes('ignoreCase')
      ? fc.tuple(value, fc.constantFrom(recased.upper, recased.lower, recased.same)).map(([v, recase]) => recase(v))
      : value;
    return cased.map((v): Condition => ({ fact, operator: [...decorators, operator.name].join(':'), value: v }));
  });

const conditionTree: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((all): Condition => ({ all })) },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((any): Condition => ({ any })) },
    { weight: 1, arbitrary: tie('node').map((not): Condition => ({ not })) },
    { weight: 1, arbitrary: elementCondition(tie('node')) },
  ),
})).node;

/** anyElement / everyElement over a list path (or any other path: absent, null, a scalar), the nested tree's paths read from the element. */
function elementCondition(element: fc.Arbitrary<Condition>): fc.Arbitrary<Condition> {
  const listPath = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('resources', 'requestParameters.tags', 'requestParameters.containerDefinitions', 'userIdentity.type') },
    { weight: 1, arbitrary: factPath },
  );
  return fc
    .tuple(listPath, fc.constantFrom('anyElement' as const, 'everyElement' as const), element)
    .map(([fact, quantifier, nested]): Condition => ({ fact: fact === '' ? 'resources' : fact, quantifier, element: nested }));
}

const sources = fc.oneof(
  { weight: 3, arbitrary: fc.uniqueArray(eventSource, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.record({ eventSource: fc.constant('any' as const), notEventSource: fc.uniqueArray(eventSource, { maxLength: 2 }) }) },
);

const scope: fc.Arbitrary<ResolvedRule['scope']> = fc
  .tuple(sources, fc.option(fc.array(eventName, { maxLength: 4 }), { nil: undefined, freq: 2 }))
  .map(([source, names]) => ({ ...(Array.isArray(source) ? { eventSource: source } : source), ...(names === undefined ? {} : { eventName: names }) }));

const rules: fc.Arbitrary<ResolvedRule[]> = fc
  .array(fc.tuple(conditionTree, scope, fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((generated) => generated.map(([conditions, ruleScope, active], index) => testRule({ id: `rule-${index}`, conditions, scope: ruleScope, active })));

/**
 * Rule sets built from a few conditions that recur across rules — the same object, or an equal copy —
 * alone, negated, or combined with each other: paths, prefixes, comparisons and whole trees repeat, so the
 * compiled evaluator reads each path and evaluates each repeated condition once per record and keeps it
 * until the next record.
 */
const rulesSharingConditions: fc.Arbitrary<ResolvedRule[]> = fc.array(conditionTree, { minLength: 1, maxLength: 4 }).chain((pool) => {
  const shared = fc.oneof(
    fc.constantFrom(...pool),
    fc.constantFrom(...pool).map((condition) => structuredClone(condition)),
  );
  const combined = fc.oneof(
    { weight: 2, arbitrary: shared },
    { weight: 1, arbitrary: shared.map((not): Condition => ({ not })) },
    { weight: 2, arbitrary: fc.array(shared, { minLength: 1, maxLength: 3 }).map((all): Condition => ({ all })) },
    { weight: 2, arbitrary: fc.array(shared, { minLength: 1, maxLength: 3 }).map((any): Condition => ({ any })) },
  );
  return fc
    .array(fc.tuple(combined, scope, fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })), {
      minLength: 2,
      maxLength: 8,
    })
    .map((generated) => generated.map(([conditions, ruleScope, active], index) => testRule({ id: `rule-${index}`, conditions, scope: ruleScope, active })));
});

async function referenceIds(reference: ReferenceEvaluator, event: CloudTrailRecord): Promise<string[]> {
  return (await reference.matchingRules(event)).map((rule) => rule.id);
}

/** For every rule set and its records, one compiled evaluator over the records in a row gives json-rules-engine's rule ids. */
function sameVerdicts(ruleSets: fc.Arbitrary<ResolvedRule[]>, minRecords: number): fc.IAsyncProperty<[ResolvedRule[], CloudTrailRecord[]]> {
  return fc.asyncProperty(ruleSets, fc.array(record, { minLength: minRecords, maxLength: 12 }), async (generatedRules, events) => {
    const compiled = new CompiledEvaluator(generatedRules);
    const reference = new ReferenceEvaluator(generatedRules);
    for (const event of events) {
      const expected = await referenceIds(reference, event);
      const actual = compiled.matchingRulesSync(event).map((rule) => rule.id);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) return false;
    }
    return true;
  });
}

test('on generated rules and records, the compiled evaluator matches exactly the rules json-rules-engine matches', async (t) => {
  await fc.assert(sameVerdicts(rules, 1), { numRuns: 1500, seed: 20251125 });
  t.pass();
});

test('on rules that share conditions, over records in a row, the compiled evaluator matches exactly the rules json-rules-engine matches', async (t) => {
  await fc.assert(sameVerdicts(rulesSharingConditions, 2), { numRuns: 800, seed: 20251125 });
  t.pass();
});

test('the generated rules and records exercise both verdicts', (t) => {
  // Guards the property above against generators that only ever produce no-match (it would then prove nothing).
  const sample = fc.sample(fc.tuple(rules, fc.array(record, { minLength: 5, maxLength: 5 })), { numRuns: 200, seed: 6 });
  let matched = 0;
  let unmatchedInScope = 0;
  for (const [generatedRules, events] of sample) {
    const compiled = new CompiledEvaluator(generatedRules);
    for (const event of events) {
      const ids = compiled.matchingRulesSync(event).map((rule) => rule.id);
      matched += ids.length;
      unmatchedInScope += generatedRules.filter((rule) => rule.active && inScope(rule, event) && !ids.includes(rule.id)).length;
    }
  }
  t.true(matched > 300, `only ${matched} matches in the sample`);
  t.true(unmatchedInScope > 300, `only ${unmatchedInScope} in-scope non-matches in the sample`);
});

test('the rule sets sharing conditions do repeat conditions across rules, and match', (t) => {
  // Guards the property on shared conditions against a generator that stopped sharing (it would then test nothing new).
  const sample = fc.sample(fc.tuple(rulesSharingConditions, fc.array(record, { minLength: 5, maxLength: 5 })), { numRuns: 200, seed: 6 });
  let withRepeats = 0;
  let matched = 0;
  for (const [generatedRules, events] of sample) {
    const keys = generatedRules.map((rule) => conditionKey(rule.conditions));
    const subtreeKeys = generatedRules.flatMap((rule) => childrenOf(rule.conditions).map((child) => conditionKey(child)));
    if (new Set(keys).size < keys.length || new Set(subtreeKeys).size < subtreeKeys.length) withRepeats += 1;
    const compiled = new CompiledEvaluator(generatedRules);
    for (const event of events) matched += compiled.matchingRulesSync(event).length;
  }
  t.true(withRepeats > 150, `only ${String(withRepeats)} of 200 rule sets repeat a condition`);
  t.true(matched > 300, `only ${String(matched)} matches in the sample`);
});

function childrenOf(condition: Condition): readonly Condition[] {
  if ('all' in condition) return condition.all;
  if ('any' in condition) return condition.any;
  if ('not' in condition) return [condition.not];
  if ('element' in condition) return [condition.element];
  return [];
}

function inScope(rule: ResolvedRule, event: CloudTrailRecord): boolean {
  const { eventSource: source, eventName: name } = event;
  return (
    eventSourceInScope(rule.scope, typeof source === 'string' ? source : undefined) &&
    (rule.scope.eventName === undefined || (typeof name === 'string' && rule.scope.eventName.includes(name)))
  );
}

test('the generated rules compare ignoring case, and that changes verdicts', (t) => {
  // Guards the property above against a generator whose ignoreCase leaves never decide differently from the plain operator.
  const sample = fc.sample(fc.tuple(leaf, record), { numRuns: 20000, seed: 8 });
  let differing = 0;
  for (const [condition, event] of sample) {
    if (!('operator' in condition) || !condition.operator.includes('ignoreCase')) continue;
    const plain = { ...condition, operator: condition.operator.replace('ignoreCase:', '') };
    const verdict = (conditions: Condition): number =>
      new CompiledEvaluator([testRule({ scope: { eventSource: 'any' }, conditions })]).matchingRulesSync(event).length;
    if (verdict(condition) !== verdict(plain)) differing += 1;
  }
  t.true(differing >= 10, `ignoreCase changed only ${String(differing)} verdicts in the sample`);
});

test('the generated scopes include any-source rules that match records of every source and without one', (t) => {
  // Guards the property above against a generator that stopped producing any-source scopes.
  const sample = fc.sample(fc.tuple(rules, fc.array(record, { minLength: 5, maxLength: 5 })), { numRuns: 200, seed: 7 });
  const sourcesMatched = new Set<string>();
  for (const [generatedRules, events] of sample) {
    const compiled = new CompiledEvaluator(generatedRules);
    for (const event of events) {
      const anySourceMatches = compiled.matchingRulesSync(event).filter((rule) => rule.scope.eventSource === 'any');
      if (anySourceMatches.length > 0) sourcesMatched.add(typeof event.eventSource === 'string' ? event.eventSource : '(none)');
    }
  }
  t.true(sourcesMatched.has('(none)') && sourcesMatched.size >= 4, `any-source rules matched only ${[...sourcesMatched].join(', ')}`);
});

async function packDefinitions(t: { deepEqual: (a: unknown, b: unknown) => void }): Promise<readonly RuleDefinition[]> {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [join(repoRoot(), 'examples/rules')] });
  t.deepEqual(
    loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
    [],
  );
  return loaded.definitions;
}

test('every embedded test of the built-in pack and of examples/rules gets the expected verdict from both evaluators', async (t) => {
  const definitions = await packDefinitions(t);
  const disagreements: string[] = [];
  let checked = 0;
  for (const definition of definitions) {
    for (const ruleTest of definition.tests) {
      const [rule] = resolveRules([definition], ruleTest.params ?? {}).rules;
      if (rule === undefined || !rule.active) continue;
      const compiled = new CompiledEvaluator([rule]).matchingRulesSync(ruleTest.event).length > 0 ? 'match' : 'no-match';
      const reference = (await new ReferenceEvaluator([rule]).matchingRules(ruleTest.event)).length > 0 ? 'match' : 'no-match';
      checked += 1;
      if (compiled !== ruleTest.expect || reference !== ruleTest.expect) {
        disagreements.push(`${definition.id} › ${ruleTest.name}: expected ${ruleTest.expect}, compiled ${compiled}, reference ${reference}`);
      }
    }
  }
  t.deepEqual(disagreements, []);
  t.true(checked >= 2 * definitions.length);
});

test('every embedded test event of the packs, run against all their rules at once, matches the same rules in both evaluators', async (t) => {
  const definitions = await packDefinitions(t);
  const allRules = resolveRules(definitions, {}).rules;
  const compiled = new CompiledEvaluator(allRules);
  const reference = new ReferenceEvaluator(allRules);
  const events = definitions.flatMap((definition) => definition.tests.map((ruleTest) => ruleTest.event));
  for (const event of events) {
    t.deepEqual(
      compiled.matchingRulesSync(event).map((rule) => rule.id),
      await referenceIds(reference, event),
    );
  }
});

test('the generated element conditions look into non-empty lists and decide both ways there', (t) => {
  // Guards the property above against element conditions that only ever meet absent fields (they would then test nothing).
  const sample = fc.sample(fc.tuple(elementCondition(leaf), record), { numRuns: 20000, seed: 9 });
  const verdicts = { true: 0, false: 0 };
  for (const [condition, event] of sample) {
    if (!('element' in condition)) continue;
    const list = condition.fact
      .split('.')
      .reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), event);
    if (!Array.isArray(list) || list.length === 0) continue;
    const matched = new CompiledEvaluator([testRule({ scope: { eventSource: 'any' }, conditions: { all: [condition] } })]).matchingRulesSync(event).length > 0;
    verdicts[matched ? 'true' : 'false'] += 1;
  }
  t.true(verdicts.true >= 100 && verdicts.false >= 100, `on non-empty lists: ${JSON.stringify(verdicts)}`);
});
