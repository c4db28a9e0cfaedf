import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';

/** A rule whose conditions are `conditions` (YAML, indented by two), with a match and a no-match test. */
function ruleWith(conditions: string): string {
  return `id: elements
title: Element conditions
description: A rule to check the validation of anyElement and everyElement.
severity: LOW
types: [Software and Configuration Checks/Industry and Regulatory Standards/Fixture]
remediation: { text: Nothing to do. }
scope: { eventSource: [kms.amazonaws.com] }
conditions:
${conditions}
tests:
  - { name: a key, expect: match, event: { eventSource: kms.amazonaws.com, resources: [{ type: "AWS::KMS::Key" }] } }
  - { name: no resources, expect: no-match, event: { eventSource: kms.amazonaws.com } }
`;
}

async function problems(conditions: string): Promise<string[]> {
  const folder = await mkdtemp(join(tmpdir(), 'lfvaudit-elements-'));
  await writeFile(join(folder, 'elements.yaml'), ruleWith(conditions));
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] }).finally(() => rm(folder, { recursive: true, force: true }));
  return diagnostics.map((diagnostic) => formatDiagnostic({ ...diagnostic, file: 'elements.yaml' }));
}

test('a valid anyElement condition loads without problems', async (t) => {
  t.deepEqual(await problems('  all:\n    - fact: resources\n      anyElement: { fact: type, operator: equal, value: "AWS::KMS::Key" }'), []);
});

test('a mistyped fact inside an element is placed and named as a field of the element, with a did-you-mean', async (t) => {
  t.deepEqual(
    await problems('  all:\n    - fact: resources\n      everyElement:\n        all:\n          - { fact: typ, operator: equal, value: "AWS::KMS::Key" }'),
    ["elements.yaml:13:21: error unknown-fact: unknown field 'typ' in an element of resources (did you mean 'type'?); known fields: ARN, accountId, type"],
  );
});

test('anyElement on a field that is not a list in CloudTrail records is an error at its fact', async (t) => {
  t.deepEqual(await problems('  all:\n    - fact: userIdentity\n      anyElement: { fact: type, operator: equal, value: Root }'), [
    'elements.yaml:10:13: error operator-fact-type: `anyElement` needs a list fact, but userIdentity is an object in CloudTrail records',
  ]);
});

test('an operator mistake inside a nested element condition is reported at its position', async (t) => {
  t.deepEqual(
    await problems(
      '  all:\n    - fact: requestParameters.containerDefinitions\n      anyElement:\n        fact: environment\n        anyElement: { fact: value, operator: stringContain, value: 169.254.170.2 }',
    ),
    [
      "elements.yaml:13:46: error unknown-operator: unknown operator 'stringContain' (did you mean 'stringContains'?); operators: equal, notEqual, in, notIn, contains, doesNotContain, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, startsWith, endsWith, stringContains, anyStringContains, matches, inCidr, notInCidr, isIpAddress, exists, matchesWildcard, equalsText",
    ],
  );
});

test('an element condition with both quantifiers is refused by the shape check', async (t) => {
  t.deepEqual(
    await problems(
      '  all:\n    - { fact: resources, anyElement: { fact: type, operator: equal, value: x }, everyElement: { fact: type, operator: equal, value: x } }',
    ),
    ["elements.yaml:10:81: error unknown-key: unknown key 'everyElement' in conditions.all[0]; valid keys: fact, anyElement"],
  );
});
