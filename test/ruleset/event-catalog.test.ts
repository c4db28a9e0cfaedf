import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { eventCatalog, loadRuleDefinitions, resolveRules } from '../../src/ruleset/index.js';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { tempFolder } from '../support/temp-folder.js';

/** A rule file whose scope and conditions are the given YAML lines; the rest is valid. */
function ruleText(id: string, scope: string, conditions: string): string {
  return `id: ${id}
title: A rule on any service
description: Checks the event catalog.
severity: HIGH
types: [TTPs/Defense Evasion/Trail Tampering]
remediation: { text: Look into it. }
scope:
${scope}
conditions:
  all:
${conditions}
tests:
  - { name: a match, expect: match, event: { eventSource: cloudtrail.amazonaws.com, eventName: StopLogging } }
  - { name: no match, expect: no-match, event: { eventSource: cloudtrail.amazonaws.com, eventName: StartLogging } }
`;
}

/** `file:line:col: severity code: message` for every problem of one rule file. */
async function problemsOf(t: ExecutionContext, id: string, text: string): Promise<string[]> {
  const folder = tempFolder(t, 'catalog');
  await writeFile(path.join(folder, `${id}.yaml`), text);
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  return diagnostics.map((d) => formatDiagnostic({ ...d, file: path.basename(d.file) }));
}

const ANY_USER = '    - { fact: userIdentity.type, operator: exists, value: true }';

test('a misspelt event name of any service is an error at its position, with the operation it resembles', async (t) => {
  t.deepEqual(await problemsOf(t, 'trail', ruleText('trail', '  eventSource: [cloudtrail.amazonaws.com]\n  eventName: [StopLoging, DeleteTrail]', ANY_USER)), [
    "trail.yaml:9:15: error unknown-event-name: 'StopLoging' is not an event name of the rule's event source (did you mean 'StopLogging'?)",
  ]);
});

test('a misspelt console sign-in event is an error, checked against every service for eventSource: any', async (t) => {
  t.deepEqual(
    await problemsOf(t, 'login', ruleText('login', '  eventSource: any', '    - { fact: eventName, operator: in, value: [ConsoleLogin, ConsoleLogn] }')),
    ["login.yaml:11:62: error unknown-event-name: 'ConsoleLogn' is not an event name of any AWS event source (did you mean 'ConsoleLogin'?)"],
  );
});

test('a misspelt event source is an error with the source it resembles, in the scope and in conditions', async (t) => {
  t.deepEqual(
    await problemsOf(
      t,
      'bucket',
      ruleText('bucket', '  eventSource: [s4.amazonaws.com]', '    - { fact: eventSource, operator: notEqual, value: cloudtrial.amazonaws.com }'),
    ),
    [
      "bucket.yaml:8:17: error unknown-event-source: 's4.amazonaws.com' is not an AWS event source (did you mean 's3.amazonaws.com'?)",
      "bucket.yaml:11:55: error unknown-event-source: 'cloudtrial.amazonaws.com' is not an AWS event source (did you mean 'cloudtrail.amazonaws.com'?)",
    ],
  );
});

test('a name or source far from every catalogued one may be newer than the catalog: a warning, and the rule loads', async (t) => {
  const folder = tempFolder(t, 'catalog');
  await writeFile(
    path.join(folder, 'newer.yaml'),
    ruleText(
      'newer',
      '  eventSource: [cloudtrail.amazonaws.com, quantumledgerx.amazonaws.com]',
      '    - { fact: eventName, operator: notIn, value: [PauseEverythingNow] }',
    ),
  );
  await writeFile(path.join(folder, 'known.yaml'), ruleText('known', '  eventSource: [cloudtrail.amazonaws.com]\n  eventName: [PauseEverythingNow]', ANY_USER));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(
    definitions.map((definition) => definition.id),
    ['known', 'newer'],
  );
  const generatedFrom = eventCatalog().generatedFrom;
  t.deepEqual(
    diagnostics.map((d) => formatDiagnostic({ ...d, file: path.basename(d.file) })),
    [
      `known.yaml:9:15: warning unknown-event-name: 'PauseEverythingNow' is not an event name of the rule's event source in the event catalog (${generatedFrom} and CloudTrail-only events): no event has it unless the operation is newer than the catalog; then regenerate the catalog (docs/rules.md, "The event catalog")`,
      `newer.yaml:8:43: warning unknown-event-source: 'quantumledgerx.amazonaws.com' is not in the event catalog (${generatedFrom} and CloudTrail-only events): no event has it unless the service is newer than the catalog; then regenerate the catalog (docs/rules.md, "The event catalog")`,
    ],
    // With a source the catalog does not know, the names cannot be checked: PauseEverythingNow in newer.yaml is not reported.
  );
});

test('names of several sources are checked against all of them, and CloudTrail-only events are known', async (t) => {
  t.deepEqual(
    await problemsOf(
      t,
      'several',
      ruleText(
        'several',
        '  eventSource: [signin.amazonaws.com, lookoutvision.amazonaws.com, kms.amazonaws.com]\n  eventName: [ConsoleLogin, CheckMfa, StartTrialDetection, RotateKey, ScheduleKeyDeletion, DetectAnomaly]',
        ANY_USER,
      ),
    ),
    ["several.yaml:9:92: error unknown-event-name: 'DetectAnomaly' is not an event name of the rule's event source (did you mean 'DetectAnomalies'?)"],
  );
});

test('a config parameter value is checked against the catalog: a typo is an error and leaves the rule inactive, an unknown name is a warning', async (t) => {
  const folder = tempFolder(t, 'catalog');
  const text = ruleText('watched', '  eventSource: [cloudtrail.amazonaws.com]\n  eventName: { param: watched }', ANY_USER).replace(
    'scope:',
    'params:\n  watched: { type: "string[]", description: Watched operations., default: [StopLogging] }\nscope:',
  );
  await writeFile(path.join(folder, 'watched.yaml'), text);
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(diagnostics, []);
  const typo = resolveRules(definitions, { watched: ['DeleteTrial'] });
  t.deepEqual(
    typo.diagnostics.map((d) => `${d.severity} ${d.message}`),
    ["error params.watched: 'DeleteTrial' is not an event of cloudtrail.amazonaws.com (did you mean 'DeleteTrail'?) (rule watched)"],
  );
  t.false(typo.rules[0]?.active);
  const newer = resolveRules(definitions, { watched: ['PauseEverythingNow'] });
  t.deepEqual(
    newer.diagnostics.map((d) => d.severity),
    ['warning'],
  );
  t.true(newer.rules[0]?.active);
});

test('the catalog is generated from botocore and adds the CloudTrail-only events and the event name variants', (t) => {
  const catalog = eventCatalog();
  t.regex(catalog.generatedFrom, /^botocore \d+\.\d+\.\d+$/);
  t.true(catalog.sources.length > 350, String(catalog.sources.length));
  for (const [source, name] of [
    ['cloudtrail.amazonaws.com', 'StopLogging'],
    ['ec2.amazonaws.com', 'RunInstances'],
    ['s3.amazonaws.com', 'GetObject'],
    ['ses.amazonaws.com', 'VerifyEmailIdentity'],
    ['lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2'],
    ['lookoutvision.amazonaws.com', 'DescribeTrialDetection'],
  ] as const) {
    t.true(catalog.namesOf(source)?.has(name), `${source} ${name}`);
  }
});

test('a rule naming the source CloudTrail writes for a service validates cleanly, not as a typo of the endpoint it is called at', async (t) => {
  t.deepEqual(
    await problemsOf(
      t,
      'renamed',
      ruleText(
        'renamed',
        '  eventSource: [pricelist.amazonaws.com, iotdeviceadvisor.amazonaws.com, metering-marketplace.amazonaws.com, qconnect.amazonaws.com, memorydb.amazonaws.com, metrics-sagemaker.amazonaws.com]\n  eventName: [GetProducts, ListSuiteDefinitions, BatchMeterUsage, CreateAssistant, CreateCluster, BatchPutMetrics]',
        ANY_USER,
      ),
    ),
    [],
  );
});

test('an endpoint name no CloudTrail event carries, and the IoT data plane CloudTrail never logs, get the catalog warning', async (t) => {
  const generatedFrom = eventCatalog().generatedFrom;
  const notInCatalog = `is not in the event catalog (${generatedFrom} and CloudTrail-only events): no event has it unless the service is newer than the catalog; then regenerate the catalog (docs/rules.md, "The event catalog")`;
  t.deepEqual(
    await problemsOf(
      t,
      'endpoints',
      ruleText('endpoints', '  eventSource: [api.pricing.amazonaws.com, data-ats.iot.amazonaws.com]\n  eventName: [GetProducts, Publish]', ANY_USER),
    ),
    [
      `endpoints.yaml:8:17: warning unknown-event-source: 'api.pricing.amazonaws.com' ${notInCatalog}`,
      `endpoints.yaml:8:44: warning unknown-event-source: 'data-ats.iot.amazonaws.com' ${notInCatalog}`,
    ],
  );
});

test('a prefix, suffix or substring of event names that no name of the sources has is a warning', async (t) => {
  const generatedFrom = eventCatalog().generatedFrom;
  t.deepEqual(
    await problemsOf(
      t,
      'parts',
      ruleText(
        'parts',
        '  eventSource: [lambda.amazonaws.com]',
        '    - { fact: eventName, operator: startsWith, value: [UpdateFunctionConfiguration, UpdateFuntion] }\n    - { fact: eventName, operator: ignoreCase:endsWith, value: 20150331V2 }',
      ),
    ),
    [
      `parts.yaml:11:85: warning unknown-event-name: no event name of the rule's event source starts with 'UpdateFuntion' in the event catalog (${generatedFrom} and CloudTrail-only events), so this comparison never holds unless the operation is newer than the catalog`,
    ],
  );
});
