import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import { ReferenceEvaluator } from '../../src/evaluate/reference-evaluator.js';
import { explainRule } from '../../src/ruleset/explain-condition.js';
import { loadRuleDefinitions, resolveRules } from '../../src/ruleset/index.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';
import { BURST_DETECT_ANOMALIES_RULE, DISTINCT_ADDRESSES_RULE } from '../support/rule-fixtures.js';

const root = repoRoot();

/** A temp project holding a copy of the examples and the project's own config. */
async function exampleProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'explain');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await cp(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
  await cp(path.join(root, '.lfvauditrc.yaml'), path.join(dir, '.lfvauditrc.yaml'));
  return dir;
}

const TRAIL_FILE = 'examples/logs/AWSLogs/123456789012/CloudTrail/us-east-1/2025/10/20/123456789012_CloudTrail_us-east-1_20251020T1200Z_Xk3p9Q.json.gz';

test("explain's verdict is the reference evaluator's for every embedded test event of the built-in pack and the examples", async (t) => {
  const { definitions } = await loadRuleDefinitions({ builtIn: true, paths: [path.join(root, 'examples/rules')] });
  let compared = 0;
  for (const definition of definitions) {
    for (const ruleTest of definition.tests) {
      const [rule] = resolveRules([definition], ruleTest.params ?? {}).rules;
      if (rule === undefined || !rule.active) continue;
      const reference = (await new ReferenceEvaluator([rule]).matchingRules(ruleTest.event)).length > 0 ? 'match' : 'no-match';
      t.is(explainRule(rule, ruleTest.event).verdict, reference, `${definition.id} › ${ruleTest.name}`);
      compared += 1;
    }
  }
  t.true(compared >= 60, `only ${compared} events compared`);
});

test('explain prints the scope check, every condition with the value it read, the operator, the value and the result, then the verdict', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'lfv-mfa-required', '--event', 'examples/records/create-dataset-no-mfa.json'], io), 0, io.err());
  const file = path.join(root, 'rules/lfv-mfa-required.yaml');
  t.is(
    io.out(),
    [
      `rule lfv-mfa-required (${file})`,
      'event examples/records/create-dataset-no-mfa.json record 0 of 1: CreateDataset at 2021-03-02T09:20:05Z',
      'scope',
      '  ✔ eventSource "lookoutvision.amazonaws.com" in ["lookoutvision.amazonaws.com"] → true',
      '  ✔ eventName "CreateDataset" in ["CreateDataset","DeleteProject"] → true',
      'conditions',
      `  ✔ all (every one below) → true  (${file}:30)`,
      `    ✔ eventName: "CreateDataset" in ["CreateDataset","DeleteProject"] → true  (${file}:31)`,
      `    ✔ userIdentity.type: "IAMUser" in ["Root","IAMUser","AssumedRole","FederatedUser"] → true  (${file}:34)`,
      `    ✔ userIdentity.sessionContext.attributes.mfaAuthenticated: "false" notEqual "true" → true  (${file}:37)`,
      'verdict: match',
      '',
    ].join('\n'),
  );
});

test('explain reads any supported file format and takes the record --index names; a {fact} value shows what it read', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'lfv-cross-account-caller', '--event', TRAIL_FILE, '--index', '2'], io), 0, io.err());
  const out = io.out();
  t.regex(out, /record 2 of 11: CreateProject at 2025-10-20T11:56:40Z\n/);
  t.regex(out, /\n {4}✘ userIdentity\.accountId: "123456789012" notEqual \{fact: recipientAccountId\}: "123456789012" → false /);
  t.regex(out, /\nverdict: no-match \(the conditions do not hold\)\n$/);
});

test('an event outside the rule scope is a no-match whatever its conditions say, and explain says so', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'lfv-mfa-required', '--event', 'examples/records/s3-get-object-root.json'], io), 0, io.err());
  t.regex(io.out(), /\n {2}✘ eventSource "s3\.amazonaws\.com" in \["lookoutvision\.amazonaws\.com"\] → false\n/);
  t.regex(io.out(), /\nverdict: no-match \(out of scope: the conditions are not evaluated by a run\)\n$/);
});

test('explain with an index past the last record, or a rule id that is not loaded, exits 2 and says why', async (t) => {
  const dir = await exampleProject(t);
  const pastEnd = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'lfv-mfa-required', '--event', 'examples/records/create-dataset-no-mfa.json', '--index', '1'], pastEnd), 2);
  t.is(pastEnd.err(), 'lfvaudit explain: examples/records/create-dataset-no-mfa.json holds 1 record; there is no record 1\n');
  const typo = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'lfv-mfa-requird', '--event', 'examples/records/create-dataset-no-mfa.json'], typo), 2);
  t.is(typo.err(), `lfvaudit explain: no loaded rule has the id "lfv-mfa-requird" (did you mean 'lfv-mfa-required'?)\n`);
});

test('explain refuses a rule that does not run for want of a parameter, naming the parameter', async (t) => {
  const dir = await exampleProject(t);
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules: { paths: [examples/rules] }\n');
  const io = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'lfv-source-ip-allowlist', '--event', 'examples/records/create-dataset-no-mfa.json'], io), 2);
  t.regex(io.err(), /rule lfv-source-ip-allowlist does not run: parameter allowedSourceCidrs is not set/);
});

test("explain names a threshold rule's threshold under the rule: a match counts towards it, it is no finding alone", async (t) => {
  const dir = tempFolder(t, 'explain');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules: { builtIn: false, paths: [rules] }\n');
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'burst-detect-anomalies.yaml'), BURST_DETECT_ANOMALIES_RULE);
  await writeFile(path.join(dir, 'rules', 'distinct-addresses.yaml'), DISTINCT_ADDRESSES_RULE);
  const event = { eventSource: 'lookoutvision.amazonaws.com', eventName: 'DetectAnomalies', userIdentity: { type: 'AssumedRole' } };
  await writeFile(path.join(dir, 'call.json'), JSON.stringify(event));

  const burst = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'burst-detect-anomalies', '--event', 'call.json'], burst), 0, burst.err());
  t.is(
    burst.out().split('\n')[1],
    'threshold 5 within 10m: a match counts towards it; a run reports a finding only for 5 matching events of one group within 10 minutes',
  );
  t.regex(burst.out(), /\nverdict: match\n$/);
  const distinct = capturedIo(dir);
  t.is(await main(['explain', '--rule', 'distinct-addresses', '--event', 'call.json'], distinct), 0, distinct.err());
  t.is(
    distinct.out().split('\n')[1],
    "threshold 10 distinct sourceIPAddress within 1h: a match counts towards it; a run reports a finding only for one group's matching events with 10 distinct sourceIPAddress values within 1 hour",
  );
});
