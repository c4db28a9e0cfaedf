import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { tempFolder } from '../support/temp-folder.js';
import { main } from '../../src/cli/main.js';
import type { RuleListing } from '../../src/cli/rule-listing.js';
import { capturedIo } from '../support/captured-io.js';
import { callerRecord } from '../ruleset/sigma/sigma-rule-events.js';
import { sigmaRuleText } from '../ruleset/sigma/sigma-fixture.js';

const RULE_ID = '0b9d2a51-7a39-4c1e-9f0e-5a3c2d1e4f60';
const LINK = 'https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/aws_test_stop_logging.yml';

/** A project whose rules folder holds one Sigma rule of this suite's own, next to the built-in pack. */
async function sigmaProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'sigma-cli');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules:\n  builtIn: false\n  paths: [rules]\n');
  await mkdir(path.join(dir, 'rules'));
  const detection = [
    'selection:',
    '    eventSource: cloudtrail.amazonaws.com',
    '    eventName|contains: Logging',
    'filter:',
    '    - KEYWORD-OK',
    'condition: selection and not filter',
  ];
  await writeFile(path.join(dir, 'rules', 'aws_test_stop_logging.yml'), sigmaRuleText(detection.join('\n')));
  await writeFile(path.join(dir, 'stop.json'), JSON.stringify(callerRecord('cloudtrail.amazonaws.com', 'StopLogging')));
  return dir;
}

test('rules list shows a Sigma rule by its id, with its scope, and names its author and SigmaHQ link under the table', async (t) => {
  const dir = await sigmaProject(t);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'list'], io), 0, io.err());
  const lines = io.out().split('\n');
  t.regex(lines.find((line) => line.startsWith(RULE_ID)) ?? '', /HIGH +cloudtrail\.amazonaws\.com \(every event\) +rules\/aws_test_stop_logging\.yml +yes$/);
  t.true(lines.includes('Sigma rules (Detection Rule License 1.1):'), io.out());
  t.true(lines.includes(`  ${RULE_ID} by lfvaudit tests, ${LINK}`), io.out());
});

test('rules list --format json gives a Sigma rule its author and link', async (t) => {
  const dir = await sigmaProject(t);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'list', '--format', 'json'], io), 0, io.err());
  const [listing] = JSON.parse(io.out()) as RuleListing[];
  t.like(listing, { id: RULE_ID, severity: 'HIGH', eventSource: ['cloudtrail.amazonaws.com'], sigma: { author: 'lfvaudit tests', link: LINK } });
});

test('rules validate accepts a Sigma rule', async (t) => {
  const dir = await sigmaProject(t);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'validate'], io), 0, io.err() + io.out());
  t.regex(io.out(), /1 rule loaded, 0 errors, 0 warnings/);
});

test('explain shows every comparison of a translated Sigma rule, keywords as a search of every value, and the verdict', async (t) => {
  const dir = await sigmaProject(t);
  const io = capturedIo(dir);
  t.is(await main(['explain', '--rule', RULE_ID, '--event', 'stop.json'], io), 0, io.err());
  const out = io.out();
  t.regex(out, /✔ eventSource: "cloudtrail\.amazonaws\.com" matchesWildcard "cloudtrail\.amazonaws\.com" → true {2}\(rules\/aws_test_stop_logging\.yml:17\)/);
  t.regex(out, /✔ eventName: "StopLogging" matchesWildcard "\*Logging\*" → true/);
  t.regex(out, /✘ \(every value of the record\) matchesWildcard "\*KEYWORD-OK\*" → false/);
  t.regex(out, /verdict: match\n$/);
});

test('explain shows a Sigma field path through lists element by element, an element compared itself with its value', async (t) => {
  const dir = tempFolder(t, 'sigma-cli');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules:\n  builtIn: false\n  paths: [rule.yml]\n');
  await writeFile(
    path.join(dir, 'rule.yml'),
    sigmaRuleText(['selection:', "    requestParameters.containerDefinitions.command|re: '^curl '", 'condition: selection'].join('\n')),
  );
  const containerDefinitions = [
    { name: 'web', command: ['nginx'] },
    { name: 'agent', command: ['sh', 'curl 169.254.170.2'] },
  ];
  await writeFile(
    path.join(dir, 'task.json'),
    JSON.stringify(callerRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { requestParameters: { containerDefinitions } })),
  );
  const io = capturedIo(dir);
  t.is(await main(['explain', '--rule', RULE_ID, '--event', 'task.json'], io), 0, io.err());
  const out = io.out();
  t.regex(out, /✔ requestParameters\.containerDefinitions: any element \(2 elements\) → true/);
  t.regex(out, /✘ command: any element \(1 element\) → false/);
  t.regex(out, /✔ \(the element\): "curl 169\.254\.170\.2" matches "\^curl " → true/);
  t.regex(out, /verdict: match\n$/);
});
