import { join } from 'node:path';
import test from 'ava';
import { ReferenceEvaluator } from '../../src/evaluate/reference-evaluator.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { loadRuleDefinitions, resolveRules } from '../../src/ruleset/index.js';
import type { Condition, ResolvedRule } from '../../src/ruleset/rule.js';
import { caseName, MISSING, OPERATOR_CASES } from '../ruleset/operator-cases.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';
import { repoRoot } from '../support/repo-root.js';

async function matchingIds(rules: readonly ResolvedRule[], record: CloudTrailRecord): Promise<string[]> {
  return (await new ReferenceEvaluator(rules).matchingRules(record)).map((rule) => rule.id);
}

function ruleWith(id: string, conditions: Condition, fields: Partial<ResolvedRule> = {}): ResolvedRule {
  return testRule({ id, conditions, ...fields });
}

for (const operatorCase of OPERATOR_CASES) {
  test(`through json-rules-engine, ${caseName(operatorCase)}`, async (t) => {
    const rule = ruleWith('lfv-operator', { all: [{ fact: 'requestParameters.field', operator: operatorCase.operator, value: operatorCase.value }] });
    const record = lfvRecord({ requestParameters: operatorCase.fact === MISSING ? {} : { field: operatorCase.fact } });
    t.deepEqual(await matchingIds([rule], record), operatorCase.expected ? ['lfv-operator'] : []);
  });
}

const isDelete: Condition = { all: [{ fact: 'eventName', operator: 'startsWith', value: 'Delete' }] };
const isRole: Condition = { all: [{ fact: 'userIdentity.type', operator: 'equal', value: 'AssumedRole' }] };

test('the matching rules come back in the order they were given', async (t) => {
  const rules = [ruleWith('b-role', isRole), ruleWith('c-delete', isDelete), ruleWith('a-role-again', isRole)];
  t.deepEqual(await matchingIds(rules, lfvRecord({ eventName: 'CreateDataset' })), ['b-role', 'a-role-again']);
});

test('a record from another event source is out of scope', async (t) => {
  t.deepEqual(await matchingIds([ruleWith('role', isRole)], lfvRecord({ eventSource: 's3.amazonaws.com' })), []);
});

test('a record without an event source is out of scope', async (t) => {
  t.deepEqual(await matchingIds([ruleWith('role', isRole)], lfvRecord({ eventSource: undefined })), []);
});

test('a scope with event names leaves other events out', async (t) => {
  const rule = ruleWith('role-deletes', isRole, { scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: ['DeleteProject'] } });
  t.deepEqual(await matchingIds([rule], lfvRecord({ eventName: 'CreateDataset' })), []);
  t.deepEqual(await matchingIds([rule], lfvRecord({ eventName: 'DeleteProject' })), ['role-deletes']);
});

test('an inactive rule never matches', async (t) => {
  const rule = ruleWith('inactive', isRole, { active: false, inactiveReason: 'parameter x is not set' });
  t.deepEqual(await matchingIds([rule], lfvRecord()), []);
});

test('any, all and not combine as json-rules-engine combines them', async (t) => {
  const conditions: Condition = {
    any: [
      { all: [{ fact: 'userIdentity.type', operator: 'equal', value: 'Root' }] },
      {
        all: [
          { fact: 'eventName', operator: 'startsWith', value: 'Delete' },
          { not: { fact: 'userIdentity.sessionContext.attributes.mfaAuthenticated', operator: 'equal', value: 'true' } },
        ],
      },
    ],
  };
  const rule = ruleWith('tree', conditions);
  t.deepEqual(await matchingIds([rule], lfvRecord({ eventName: 'DeleteProject' })), ['tree']);
  t.deepEqual(await matchingIds([rule], lfvRecord({ eventName: 'CreateDataset' })), []);
  t.deepEqual(await matchingIds([rule], lfvRecord({ eventName: 'CreateDataset', userIdentity: { type: 'Root' } })), ['tree']);
});

test('a condition tree that is a single comparison is evaluated as such', async (t) => {
  const rule = ruleWith('leaf', { fact: 'eventName', operator: 'equal', value: 'CreateDataset' });
  t.deepEqual(await matchingIds([rule], lfvRecord()), ['leaf']);
});

test('a {fact: PATH} value compares two fields of the same record', async (t) => {
  const rule = ruleWith('cross-account', { all: [{ fact: 'userIdentity.accountId', operator: 'notEqual', value: { fact: 'recipientAccountId' } }] });
  t.deepEqual(await matchingIds([rule], lfvRecord()), []);
  t.deepEqual(await matchingIds([rule], lfvRecord({ recipientAccountId: '210987654321' })), ['cross-account']);
});

test('list elements are read by index', async (t) => {
  const rule = ruleWith('first-resource', { all: [{ fact: 'resources.0.ARN', operator: 'endsWith', value: 'project/P1' }] });
  const record = lfvRecord({ resources: [{ ARN: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' }] });
  t.deepEqual(await matchingIds([rule], record), ['first-resource']);
  t.deepEqual(await matchingIds([rule], lfvRecord({ resources: [] })), []);
});

test("a list's length is not an element", async (t) => {
  const rule = ruleWith('length', { all: [{ fact: 'resources.length', operator: 'exists', value: true }] });
  t.deepEqual(await matchingIds([rule], lfvRecord({ resources: [{ ARN: 'x' }] })), []);
});

test('a fact path never reads inherited properties such as constructor or toString', async (t) => {
  const rules = [
    ruleWith('constructor', { all: [{ fact: 'constructor', operator: 'exists', value: true }] }),
    ruleWith('to-string', { all: [{ fact: 'userIdentity.toString', operator: 'exists', value: true }] }),
    ruleWith('length', { all: [{ fact: 'eventName.length', operator: 'exists', value: true }] }),
    ruleWith('proto', { all: [{ fact: '__proto__', operator: 'exists', value: true }] }),
  ];
  t.deepEqual(await matchingIds(rules, lfvRecord()), []);
});

test("an event's own constructor or __proto__ key is plain data that a rule may read", async (t) => {
  const record = JSON.parse(
    '{"eventSource": "lookoutvision.amazonaws.com", "eventName": "CreateDataset", "constructor": "own", "requestParameters": {"__proto__": {"polluted": "yes"}}}',
  ) as CloudTrailRecord;
  const rules = [
    ruleWith('own-constructor', { all: [{ fact: 'constructor', operator: 'equal', value: 'own' }] }),
    ruleWith('own-proto', { all: [{ fact: 'requestParameters.__proto__.polluted', operator: 'equal', value: 'yes' }] }),
  ];
  t.deepEqual(await matchingIds(rules, record), ['own-constructor', 'own-proto']);
  t.is(({} as { polluted?: unknown }).polluted, undefined);
});

test('concurrent calls give the same verdicts as one call after another', async (t) => {
  const rules = [ruleWith('role', isRole), ruleWith('delete', isDelete)];
  const records = Array.from({ length: 40 }, (_, index) =>
    lfvRecord({ eventName: index % 3 === 0 ? 'DeleteProject' : 'CreateDataset', userIdentity: { type: index % 2 === 0 ? 'AssumedRole' : 'IAMUser' } }),
  );
  const evaluator = new ReferenceEvaluator(rules);
  const concurrent = await Promise.all(records.map((record) => evaluator.matchingRules(record)));
  const sequential: (readonly ResolvedRule[])[] = [];
  for (const record of records) sequential.push(await new ReferenceEvaluator(rules).matchingRules(record));
  t.deepEqual(
    concurrent.map((matches) => matches.map((rule) => rule.id)),
    sequential.map((matches) => matches.map((rule) => rule.id)),
  );
});

test('every embedded test of the built-in and example rules passes in the reference evaluator', async (t) => {
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: true, paths: [join(repoRoot(), 'examples', 'rules')] });
  t.deepEqual(diagnostics, []);
  t.true(definitions.length > 0);
  for (const definition of definitions) {
    for (const ruleTest of definition.tests) {
      const { rules, diagnostics: problems } = resolveRules([definition], ruleTest.params ?? {});
      t.deepEqual(problems, [], `${definition.id}: ${ruleTest.name}`);
      const matched = (await matchingIds(rules, ruleTest.event)).includes(definition.id);
      t.is(matched, ruleTest.expect === 'match', `${definition.id}: ${ruleTest.name}`);
    }
  }
});
