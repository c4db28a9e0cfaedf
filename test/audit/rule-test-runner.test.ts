import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { runRuleTests, type RuleTestResult } from '../../src/audit/rule-test-runner.js';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { repoRoot } from '../support/repo-root.js';
import { rootCreateProjectRule } from '../support/rule-fixtures.js';
import { tempFolder } from '../support/temp-folder.js';

const root = repoRoot();

const ROOT_EVENT = `{ eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, awsRegion: us-east-1, recipientAccountId: "123456789012", userIdentity: { type: Root, arn: "arn:aws:iam::123456789012:root" }, requestParameters: { projectName: P1 } }`;
const ROLE_EVENT = `{ eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: AssumedRole } }`;

async function writeRule(t: ExecutionContext, id: string, text: string): Promise<string> {
  const dir = tempFolder(t, 'rule-tests');
  const file = path.join(dir, `${id}.yaml`);
  await writeFile(file, text);
  return file;
}

async function projectRuleResults(): Promise<{ readonly results: RuleTestResult[]; readonly ruleCount: number }> {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [path.join(root, 'examples/rules')] });
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return { results: await runRuleTests(loaded.definitions), ruleCount: loaded.definitions.length };
}

function describeFailures(results: readonly RuleTestResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => `${result.rule.id} › ${result.test.name}: ${result.failures.join('; ')}`);
}

test('every embedded test of the built-in pack and of examples/rules gets the verdict it expects', async (t) => {
  const { results, ruleCount } = await projectRuleResults();
  t.true(results.length >= 2 * ruleCount, 'every rule has at least a match and a no-match test');
  t.deepEqual(describeFailures(results.filter((result) => result.failures.some((failure) => failure.startsWith('expected ')))), []);
});

test('every embedded test of the built-in pack and of examples/rules passes, finding expectations included', async (t) => {
  const { results } = await projectRuleResults();
  t.deepEqual(describeFailures(results), []);
});

test('a test that expects the wrong verdict fails and says what it got', async (t) => {
  const file = await writeRule(
    t,
    'wrong-verdict',
    rootCreateProjectRule(
      'wrong-verdict',
      `  - { name: root is reported, expect: match, event: ${ROOT_EVENT} }
  - { name: a role is wrongly expected to match, expect: match, event: ${ROLE_EVENT} }
  - { name: a role is not reported, expect: no-match, event: ${ROLE_EVENT} }
`,
    ),
  );
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [file] });
  t.deepEqual(loaded.diagnostics, []);
  const results = await runRuleTests(loaded.definitions);
  t.deepEqual(
    results.map((result) => [result.test.name, result.passed, result.failures]),
    [
      ['root is reported', true, []],
      ['a role is wrongly expected to match', false, ['expected match, got no-match']],
      ['a role is not reported', true, []],
    ],
  );
  t.deepEqual(results[1]?.test.position, { file, line: 15, column: 5 });
});

test('finding expectations are checked against the finding the event produces: title, severity and resources', async (t) => {
  const file = await writeRule(
    t,
    'finding-expectations',
    rootCreateProjectRule(
      'finding-expectations',
      `  - name: right expectations
    expect: match
    event: ${ROOT_EVENT}
    finding: { title: Root created a project, severity: HIGH, resources: ["arn:aws:lookoutvision:us-east-1:123456789012:project/P1"] }
  - name: wrong expectations
    expect: match
    event: ${ROOT_EVENT}
    finding: { title: Somebody else, severity: LOW, resources: ["arn:aws:lookoutvision:us-east-1:123456789012:project/P2"] }
  - { name: a role is not reported, expect: no-match, event: ${ROLE_EVENT} }
`,
    ),
  );
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [file] });
  t.deepEqual(loaded.diagnostics, []);
  const [right, wrong] = await runRuleTests(loaded.definitions);
  t.deepEqual(right?.failures, []);
  t.is(wrong?.passed, false);
  t.is(wrong?.failures.length, 3);
  t.regex(wrong?.failures[0] ?? '', /^finding title: expected it to contain "Somebody else", got "Root created a project: /);
  t.is(wrong?.failures[1], 'finding severity: expected LOW, got HIGH');
  t.regex(wrong?.failures[2] ?? '', /^finding resources: expected arn:aws:lookoutvision:us-east-1:123456789012:project\/P2 among them, got .*project\/P1/);
});

test("a test's params replace the rule's defaults for that test only", async (t) => {
  const rule = `id: prefix-param
title: Project created outside the pipeline
description: Only the pipeline role creates projects.
severity: MEDIUM
types: [Software and Configuration Checks/Industry and Regulatory Standards/Change Management]
remediation: { text: Use the pipeline. }
scope:
  eventSource: [lookoutvision.amazonaws.com]
  eventName: [CreateProject]
params:
  pipelinePrefix: { type: string, description: Pipeline role ARN prefix., default: "arn:aws:sts::1:assumed-role/pipeline/" }
conditions:
  all:
    - { fact: userIdentity.arn, operator: "not:startsWith", value: { param: pipelinePrefix } }
tests:
  - { name: the pipeline is fine, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { arn: "arn:aws:sts::1:assumed-role/pipeline/x" } } }
  - name: with another prefix the same call is reported
    expect: match
    params: { pipelinePrefix: "arn:aws:sts::1:assumed-role/other/" }
    event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { arn: "arn:aws:sts::1:assumed-role/pipeline/x" } }
`;
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [await writeRule(t, 'prefix-param', rule)] });
  t.deepEqual(loaded.diagnostics, []);
  const results = await runRuleTests(loaded.definitions);
  t.deepEqual(
    results.map((result) => result.failures),
    [[], []],
  );
});

test('the scope applies: an event outside the scope does not match even when the conditions hold', async (t) => {
  const outOfScope = ROOT_EVENT.replace('eventName: CreateProject', 'eventName: DeleteProject');
  const file = await writeRule(
    t,
    'scope-applies',
    rootCreateProjectRule(
      'scope-applies',
      `  - { name: root creating a project, expect: match, event: ${ROOT_EVENT} }
  - { name: root deleting a project is outside the scope, expect: match, event: ${outOfScope} }
  - { name: a role is not reported, expect: no-match, event: ${ROLE_EVENT} }
`,
    ),
  );
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [file] });
  const results = await runRuleTests(loaded.definitions);
  t.deepEqual(
    results.map((result) => result.failures),
    [[], ['expected match, got no-match'], []],
  );
});
