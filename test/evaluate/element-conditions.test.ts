import test from 'ava';
import { renderExplanation } from '../../src/cli/explanation-text.js';
import { CompiledEvaluator } from '../../src/evaluate/compiled-evaluator.js';
import { ReferenceEvaluator } from '../../src/evaluate/reference-evaluator.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { explainRule } from '../../src/ruleset/explain-condition.js';
import type { Condition, ElementQuantifier } from '../../src/ruleset/rule.js';
import { testRule } from '../support/lfv-record.js';

/** `{fact, anyElement | everyElement: type equal AWS::KMS::Key}` over `resources`. */
function kmsKeyIn(quantifier: ElementQuantifier, fact = 'resources'): Condition {
  return { fact, quantifier, element: { fact: 'type', operator: 'equal', value: 'AWS::KMS::Key' } };
}

/** The verdict of the compiled and the reference evaluator for one condition on one record; they must agree. */
async function verdicts(conditions: Condition, record: Record<string, unknown>): Promise<{ compiled: boolean; reference: boolean }> {
  const rule = testRule({ scope: { eventSource: 'any' }, conditions: 'all' in conditions ? conditions : { all: [conditions] } });
  const event = record as CloudTrailRecord;
  return {
    compiled: new CompiledEvaluator([rule]).matchingRulesSync(event).length > 0,
    reference: (await new ReferenceEvaluator([rule]).matchingRules(event)).length > 0,
  };
}

const KEY = { type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:123456789012:key/1' };
const BUCKET = { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' };

const CASES: readonly { readonly name: string; readonly resources: unknown; readonly any: boolean; readonly every: boolean }[] = [
  { name: 'an absent field', resources: undefined, any: false, every: false },
  { name: 'a null field', resources: null, any: false, every: false },
  { name: 'an empty list', resources: [], any: false, every: true },
  { name: 'a list where one element holds', resources: [BUCKET, KEY], any: true, every: false },
  { name: 'a list where every element holds', resources: [KEY, KEY], any: true, every: true },
  { name: 'a list where no element holds', resources: [BUCKET], any: false, every: false },
  { name: 'a value that is not a list, taken as its only element', resources: KEY, any: true, every: true },
  { name: 'a list of strings (their fields read as absent)', resources: ['AWS::KMS::Key'], any: false, every: false },
  { name: 'a list with null elements', resources: [null, KEY], any: true, every: false },
];

for (const { name, resources, any, every } of CASES) {
  test(`anyElement is ${String(any)} and everyElement ${String(every)} on ${name}, in both evaluators`, async (t) => {
    const record = resources === undefined ? { eventName: 'Encrypt' } : { eventName: 'Encrypt', resources };
    t.deepEqual(await verdicts(kmsKeyIn('anyElement'), record), { compiled: any, reference: any });
    t.deepEqual(await verdicts(kmsKeyIn('everyElement'), record), { compiled: every, reference: every });
  });
}

/** Any container definition whose environment has a value holding the ECS credentials address. */
const CREDENTIALS_URL_IN_ENVIRONMENT: Condition = {
  fact: 'requestParameters.containerDefinitions',
  quantifier: 'anyElement',
  element: {
    fact: 'environment',
    quantifier: 'anyElement',
    element: { fact: 'value', operator: 'stringContains', value: '169.254.170.2' },
  },
};

function taskDefinition(...environments: unknown[]): Record<string, unknown> {
  return {
    eventName: 'RegisterTaskDefinition',
    requestParameters: { containerDefinitions: environments.map((environment, index) => ({ name: `c${index}`, environment })) },
  };
}

test('element conditions nest: a container whose own environment list has an element holding the address', async (t) => {
  const url = { name: 'CREDS', value: 'http://169.254.170.2/v2/credentials' };
  t.deepEqual(await verdicts(CREDENTIALS_URL_IN_ENVIRONMENT, taskDefinition([{ name: 'MODE', value: 'prod' }], [url])), { compiled: true, reference: true });
  t.deepEqual(await verdicts(CREDENTIALS_URL_IN_ENVIRONMENT, taskDefinition([{ name: 'MODE', value: 'prod' }], undefined)), {
    compiled: false,
    reference: false,
  });
  // The address in a name, not a value: the nested path is the element's `value`, nothing else.
  t.deepEqual(await verdicts(CREDENTIALS_URL_IN_ENVIRONMENT, taskDefinition([{ name: '169.254.170.2', value: 'x' }])), { compiled: false, reference: false });
});

test("inside an element, {fact: PATH} values read the element's fields too", async (t) => {
  const sameAccount: Condition = {
    fact: 'resources',
    quantifier: 'everyElement',
    element: { fact: 'accountId', operator: 'equal', value: { fact: 'ownerAccountId' } },
  };
  const record = {
    resources: [
      { accountId: '1', ownerAccountId: '1' },
      { accountId: '2', ownerAccountId: '2' },
    ],
    ownerAccountId: '1',
  };
  t.deepEqual(await verdicts(sameAccount, record), { compiled: true, reference: true });
});

test('the compiled evaluator reuses its element state across records: verdicts do not leak from one record to the next', (t) => {
  const rule = testRule({ scope: { eventSource: 'any' }, conditions: { all: [CREDENTIALS_URL_IN_ENVIRONMENT, kmsKeyIn('anyElement')] } });
  const evaluator = new CompiledEvaluator([rule]);
  const url = { name: 'CREDS', value: '169.254.170.2' };
  const matching = { ...taskDefinition([url]), resources: [KEY] };
  t.is(evaluator.matchingRulesSync(matching as CloudTrailRecord).length, 1);
  t.is(evaluator.matchingRulesSync({ ...taskDefinition([{ value: 'x' }]), resources: [KEY] }).length, 0);
  t.is(evaluator.matchingRulesSync({ ...taskDefinition([url]), resources: [BUCKET] }).length, 0);
  t.is(evaluator.matchingRulesSync(matching as CloudTrailRecord).length, 1);
});

test('explain shows each element with the nested comparisons it read', (t) => {
  const rule = testRule({ scope: { eventSource: 'any' }, conditions: { any: [kmsKeyIn('anyElement'), kmsKeyIn('everyElement', 'requestParameters.keys')] } });
  const explanation = explainRule(rule, { eventName: 'Encrypt', resources: [BUCKET, KEY] });
  t.deepEqual(renderExplanation(explanation, '/').slice(3, -1), [
    'conditions',
    '  ✔ any (at least one below) → true',
    '    ✔ resources: any element (2 elements) → true',
    '      ✘ element 0',
    '        ✘ type: "AWS::S3::Bucket" equal "AWS::KMS::Key" → false',
    '      ✔ element 1',
    '        ✔ type: "AWS::KMS::Key" equal "AWS::KMS::Key" → true',
    '    ✘ requestParameters.keys: every element (absent) → false',
  ]);
  t.is(explanation.verdict, 'match');
});
