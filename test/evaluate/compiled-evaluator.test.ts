import test from 'ava';
import { CompiledEvaluator } from '../../src/evaluate/compiled-evaluator.js';
import { ReferenceEvaluator } from '../../src/evaluate/reference-evaluator.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { Condition, ResolvedRule } from '../../src/ruleset/rule.js';
import { caseName, MISSING, OPERATOR_CASES } from '../ruleset/operator-cases.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

function matchingIds(rules: readonly ResolvedRule[], record: CloudTrailRecord): string[] {
  return new CompiledEvaluator(rules).matchingRulesSync(record).map((rule) => rule.id);
}

function ruleWith(id: string, conditions: Condition, fields: Partial<ResolvedRule> = {}): ResolvedRule {
  return testRule({ id, conditions, ...fields });
}

function scoped(eventName?: readonly string[], eventSource: readonly string[] = ['lookoutvision.amazonaws.com']): Partial<ResolvedRule> {
  return { scope: eventName === undefined ? { eventSource } : { eventSource, eventName } };
}

for (const operatorCase of OPERATOR_CASES) {
  test(`compiled, ${caseName(operatorCase)}`, (t) => {
    const rule = ruleWith('lfv-operator', { all: [{ fact: 'requestParameters.field', operator: operatorCase.operator, value: operatorCase.value }] });
    const record = lfvRecord({ requestParameters: operatorCase.fact === MISSING ? {} : { field: operatorCase.fact } });
    t.deepEqual(matchingIds([rule], record), operatorCase.expected ? ['lfv-operator'] : []);
  });
}

const isDelete: Condition = { all: [{ fact: 'eventName', operator: 'startsWith', value: 'Delete' }] };
const isRole: Condition = { all: [{ fact: 'userIdentity.type', operator: 'equal', value: 'AssumedRole' }] };

test('the matching rules come back in the order they were given, whichever index list holds them', (t) => {
  const rules = [
    ruleWith('d-any-name', isRole),
    ruleWith('b-named', isRole, scoped(['CreateDataset', 'DeleteProject'])),
    ruleWith('c-any-name', isRole),
    ruleWith('a-named', isRole, scoped(['CreateDataset'])),
  ];
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: 'CreateDataset' })), ['d-any-name', 'b-named', 'c-any-name', 'a-named']);
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: 'DeleteProject' })), ['d-any-name', 'b-named', 'c-any-name']);
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: 'DescribeProject' })), ['d-any-name', 'c-any-name']);
});

test('a record from another event source, or without one, is out of scope', (t) => {
  t.deepEqual(matchingIds([ruleWith('role', isRole)], lfvRecord({ eventSource: 's3.amazonaws.com' })), []);
  t.deepEqual(matchingIds([ruleWith('role', isRole)], lfvRecord({ eventSource: undefined })), []);
  t.deepEqual(matchingIds([ruleWith('role', isRole)], lfvRecord({ eventSource: ['lookoutvision.amazonaws.com'] })), []);
});

test('a rule with several event sources is found from each of them', (t) => {
  const rule = ruleWith('two-sources', isRole, scoped(undefined, ['lookoutvision.amazonaws.com', 's3.amazonaws.com']));
  t.deepEqual(matchingIds([rule], lfvRecord({ eventSource: 's3.amazonaws.com' })), ['two-sources']);
  t.deepEqual(matchingIds([rule], lfvRecord()), ['two-sources']);
});

test('a rule scoped to any source is found for every source, for records without one, and in rule order among scoped rules', async (t) => {
  const anySource: Partial<ResolvedRule> = { scope: { eventSource: 'any' } };
  const exceptS3: Partial<ResolvedRule> = { scope: { eventSource: 'any', notEventSource: ['s3.amazonaws.com'] } };
  const anyDelete: Partial<ResolvedRule> = { scope: { eventSource: 'any', eventName: ['DeleteProject', 'DeleteBucket'] } };
  const rules = [
    ruleWith('a-any', isRole, anySource),
    ruleWith('b-lfv', isRole),
    ruleWith('c-not-s3', isRole, exceptS3),
    ruleWith('d-any-delete', isRole, anyDelete),
  ];
  const cases: [CloudTrailRecord, string[]][] = [
    [lfvRecord({ eventName: 'CreateDataset' }), ['a-any', 'b-lfv', 'c-not-s3']],
    [lfvRecord({ eventName: 'DeleteProject' }), ['a-any', 'b-lfv', 'c-not-s3', 'd-any-delete']],
    [lfvRecord({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket' }), ['a-any', 'd-any-delete']],
    [lfvRecord({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' }), ['a-any', 'c-not-s3']],
    [lfvRecord({ eventSource: undefined, eventName: 'DeleteBucket' }), ['a-any', 'c-not-s3', 'd-any-delete']],
    [lfvRecord({ eventSource: 7, eventName: undefined }), ['a-any', 'c-not-s3']],
  ];
  const reference = new ReferenceEvaluator(rules);
  for (const [record, expected] of cases) {
    t.deepEqual(matchingIds(rules, record), expected);
    t.deepEqual(
      (await reference.matchingRules(record)).map((rule) => rule.id),
      expected,
    );
  }
});

test('a record without a string eventName meets only the rules that name no events', (t) => {
  const rules = [ruleWith('named', isRole, scoped(['CreateDataset'])), ruleWith('unnamed', isRole)];
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: undefined })), ['unnamed']);
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: 42 })), ['unnamed']);
});

test('an empty eventName list in a scope matches no event', (t) => {
  t.deepEqual(matchingIds([ruleWith('no-names', isRole, scoped([]))], lfvRecord()), []);
});

test('event sources and names such as __proto__ or constructor are plain index keys', (t) => {
  const rules = [ruleWith('unnamed', isRole), ruleWith('named', isRole, scoped(['CreateDataset']))];
  t.deepEqual(matchingIds(rules, lfvRecord({ eventSource: '__proto__' })), []);
  t.deepEqual(matchingIds(rules, lfvRecord({ eventSource: 'constructor' })), []);
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: '__proto__' })), ['unnamed']);
  t.deepEqual(matchingIds(rules, lfvRecord({ eventName: 'hasOwnProperty' })), ['unnamed']);
  const protoNamed = ruleWith('proto-named', isRole, scoped(['__proto__']));
  t.deepEqual(matchingIds([protoNamed], lfvRecord({ eventName: '__proto__' })), ['proto-named']);
});

test('an inactive rule never matches', (t) => {
  t.deepEqual(matchingIds([ruleWith('inactive', isRole, { active: false, inactiveReason: 'parameter x is not set' })], lfvRecord()), []);
});

test('any, all and not combine as json-rules-engine combines them', (t) => {
  const rule = ruleWith('tree', {
    any: [
      { all: [{ fact: 'userIdentity.type', operator: 'equal', value: 'Root' }] },
      { all: [isDelete, { not: { fact: 'userIdentity.sessionContext.attributes.mfaAuthenticated', operator: 'equal', value: 'true' } }] },
    ],
  });
  t.deepEqual(matchingIds([rule], lfvRecord({ eventName: 'DeleteProject' })), ['tree']);
  t.deepEqual(matchingIds([rule], lfvRecord({ eventName: 'CreateDataset' })), []);
  t.deepEqual(matchingIds([rule], lfvRecord({ eventName: 'CreateDataset', userIdentity: { type: 'Root' } })), ['tree']);
});

test('an empty all and an empty any are both true, as in json-rules-engine', async (t) => {
  const rules = [ruleWith('empty-all', { all: [] }), ruleWith('empty-any', { any: [] }), ruleWith('not-empty-any', { not: { any: [] } })];
  const reference = (await new ReferenceEvaluator(rules).matchingRules(lfvRecord())).map((rule) => rule.id);
  t.deepEqual(reference, ['empty-all', 'empty-any']);
  t.deepEqual(matchingIds(rules, lfvRecord()), reference);
});

test('a condition tree that is a single comparison is evaluated as such', (t) => {
  t.deepEqual(matchingIds([ruleWith('leaf', { fact: 'eventName', operator: 'equal', value: 'CreateDataset' })], lfvRecord()), ['leaf']);
});

test('decorators apply outermost first: not:someValue is true when no listed value fits', (t) => {
  const rule = ruleWith('not-some', { fact: 'eventName', operator: 'not:someValue:startsWith', value: ['Delete', 'Stop'] });
  t.deepEqual(matchingIds([rule], lfvRecord({ eventName: 'CreateDataset' })), ['not-some']);
  t.deepEqual(matchingIds([rule], lfvRecord({ eventName: 'StopModel' })), []);
});

test('a {fact: PATH} value compares two fields of the same record', (t) => {
  const rule = ruleWith('cross-account', { all: [{ fact: 'userIdentity.accountId', operator: 'notEqual', value: { fact: 'recipientAccountId' } }] });
  t.deepEqual(matchingIds([rule], lfvRecord()), []);
  t.deepEqual(matchingIds([rule], lfvRecord({ recipientAccountId: '210987654321' })), ['cross-account']);
});

test('list elements are read by decimal index, and a list has no other fields', (t) => {
  const rules = [
    ruleWith('first', { fact: 'resources.0.ARN', operator: 'endsWith', value: 'project/P1' }),
    ruleWith('leading-zero', { fact: 'resources.00.ARN', operator: 'exists', value: true }),
    ruleWith('length', { fact: 'resources.length', operator: 'exists', value: true }),
  ];
  t.deepEqual(matchingIds(rules, lfvRecord({ resources: [{ ARN: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' }] })), ['first']);
  t.deepEqual(matchingIds(rules, lfvRecord({ resources: [] })), []);
});

test('a fact path never reads inherited properties such as constructor or toString', (t) => {
  const rules = [
    ruleWith('constructor', { fact: 'constructor', operator: 'exists', value: true }),
    ruleWith('to-string', { fact: 'userIdentity.toString', operator: 'exists', value: true }),
    ruleWith('length', { fact: 'eventName.length', operator: 'exists', value: true }),
    ruleWith('proto', { fact: '__proto__', operator: 'exists', value: true }),
  ];
  t.deepEqual(matchingIds(rules, lfvRecord()), []);
});

test("an event's own constructor or __proto__ key is plain data that a rule may read", (t) => {
  const record = JSON.parse(
    '{"eventSource": "lookoutvision.amazonaws.com", "eventName": "CreateDataset", "constructor": "own", "requestParameters": {"__proto__": {"polluted": "yes"}}}',
  ) as CloudTrailRecord;
  const rules = [
    ruleWith('own-constructor', { fact: 'constructor', operator: 'equal', value: 'own' }),
    ruleWith('own-proto', { fact: 'requestParameters.__proto__.polluted', operator: 'equal', value: 'yes' }),
  ];
  t.deepEqual(matchingIds(rules, record), ['own-constructor', 'own-proto']);
  t.is(({} as { polluted?: unknown }).polluted, undefined);
});

test('an empty fact path reads the whole record, as json-rules-engine skips its path resolver then', async (t) => {
  const rules = [ruleWith('record-exists', { fact: '', operator: 'exists', value: true })];
  t.deepEqual(matchingIds(rules, lfvRecord()), ['record-exists']);
  t.deepEqual(
    (await new ReferenceEvaluator(rules).matchingRules(lfvRecord())).map((rule) => rule.id),
    ['record-exists'],
  );
});

test('matchingRules resolves to what matchingRulesSync returns', async (t) => {
  const evaluator = new CompiledEvaluator([ruleWith('role', isRole), ruleWith('delete', isDelete)]);
  const record = lfvRecord({ eventName: 'DeleteProject' });
  t.deepEqual(await evaluator.matchingRules(record), evaluator.matchingRulesSync(record));
  t.deepEqual(
    evaluator.matchingRulesSync(record).map((rule) => rule.id),
    ['role', 'delete'],
  );
});

test('a regex or CIDR leaf keeps giving the operator verdict past the number of strings it remembers', async (t) => {
  const rules = [
    ruleWith('factory-network', { fact: 'sourceIPAddress', operator: 'inCidr', value: ['10.0.0.0/9'] }),
    ruleWith('odd-last-octet', { fact: 'sourceIPAddress', operator: 'matches', value: '[13579]$' }),
  ];
  const compiled = new CompiledEvaluator(rules);
  const reference = new ReferenceEvaluator(rules);
  // 3 passes over 5,000 distinct addresses: more than a leaf remembers, so it starts over and recomputes.
  const addresses = Array.from({ length: 5000 }, (_, index) => `10.${String(index % 256)}.${String(Math.floor(index / 256))}.${String(index % 7)}`);
  const mismatches: string[] = [];
  for (let pass = 0; pass < 3; pass += 1) {
    for (const address of pass === 1 ? [...addresses].reverse() : addresses) {
      const record = lfvRecord({ sourceIPAddress: address });
      const expected = (await reference.matchingRules(record)).map((rule) => rule.id).join(',');
      const actual = compiled
        .matchingRulesSync(record)
        .map((rule) => rule.id)
        .join(',');
      if (actual !== expected) mismatches.push(`${address}: ${actual} vs ${expected}`);
    }
  }
  t.deepEqual(mismatches, []);
});

test('one evaluator over records in a row: no fact value or shared verdict carries over from the record before', async (t) => {
  // Rules that share paths (userIdentity.type), prefixes (userIdentity), comparisons and whole condition
  // trees, so that each is read or evaluated once per record and remembered until the next record.
  const isRoot: Condition = { fact: 'userIdentity.type', operator: 'equal', value: 'Root' };
  const fromOutside: Condition = { fact: 'sourceIPAddress', operator: 'notInCidr', value: ['10.0.0.0/8'] };
  const rules = [
    ruleWith('root', { all: [isRoot] }),
    ruleWith('root-again', { all: [isRoot] }, { severity: 'LOW' }),
    ruleWith('root-from-outside', { all: [isRoot, fromOutside] }),
    ruleWith('not-root-from-outside', { all: [{ not: isRoot }, fromOutside] }),
    ruleWith('role-arn', { fact: 'userIdentity.arn', operator: 'matches', value: ':assumed-role/Admin/' }),
    ruleWith('same-account', { fact: 'userIdentity.accountId', operator: 'equal', value: { fact: 'recipientAccountId' } }),
  ];
  const records = [
    lfvRecord({ userIdentity: { type: 'Root', accountId: '123456789012' }, sourceIPAddress: '203.0.113.9' }),
    lfvRecord({ sourceIPAddress: '10.1.2.3' }),
    lfvRecord({ userIdentity: undefined, sourceIPAddress: '203.0.113.9' }),
    lfvRecord({ userIdentity: { type: 'Root', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/x' }, recipientAccountId: undefined }),
    lfvRecord({ userIdentity: 'Root', sourceIPAddress: '10.1.2.3' }),
    lfvRecord({ sourceIPAddress: '203.0.113.9' }),
  ];
  const compiled = new CompiledEvaluator(rules);
  const reference = new ReferenceEvaluator(rules);
  const expected = [
    ['root', 'root-again', 'root-from-outside', 'same-account'],
    ['role-arn', 'same-account'],
    ['not-root-from-outside'],
    // Neither field is there: undefined equals undefined, as in json-rules-engine.
    ['root', 'root-again', 'root-from-outside', 'role-arn', 'same-account'],
    [],
    ['not-root-from-outside', 'role-arn', 'same-account'],
  ];
  for (const [index, record] of records.entries()) {
    const ids = compiled.matchingRulesSync(record).map((rule) => rule.id);
    t.deepEqual(
      ids,
      (await reference.matchingRules(record)).map((rule) => rule.id),
      `record ${String(index)}`,
    );
    t.deepEqual(ids, expected[index], `record ${String(index)}`);
  }
});

test('the same record object evaluated again after it changed gives the verdicts of its new contents', (t) => {
  const evaluator = new CompiledEvaluator([ruleWith('root', { all: [{ fact: 'userIdentity.type', operator: 'equal', value: 'Root' }] })]);
  const record = lfvRecord({ userIdentity: { type: 'Root' } }) as Record<string, unknown>;
  t.deepEqual(
    evaluator.matchingRulesSync(record).map((rule) => rule.id),
    ['root'],
  );
  record.userIdentity = { type: 'IAMUser' };
  t.deepEqual(
    evaluator.matchingRulesSync(record).map((rule) => rule.id),
    [],
  );
});
