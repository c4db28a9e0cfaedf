import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { explainRule } from '../../src/ruleset/explain-condition.js';
import { eventSourceInScope, eventSourceText } from '../../src/ruleset/rule-scope.js';
import { tempFolder } from '../support/temp-folder.js';

/** A rule file whose scope is `scopeYaml` (indented under `scope:`), with tests that fit any scope. */
function ruleText(scopeYaml: string): string {
  return `id: any-source
title: Root activity on any service
description: The root user called an API.
severity: HIGH
types: [TTPs/Privilege Escalation]
remediation: { text: Use IAM roles. }
scope:
${scopeYaml}
conditions:
  all:
    - { fact: userIdentity.type, operator: equal, value: Root }
tests:
  - { name: root on s3, expect: match, event: { eventSource: s3.amazonaws.com, eventName: GetObject, userIdentity: { type: Root } } }
  - { name: a role on s3, expect: no-match, event: { eventSource: s3.amazonaws.com, eventName: GetObject, userIdentity: { type: AssumedRole } } }
`;
}

async function load(t: ExecutionContext, scopeYaml: string): Promise<Awaited<ReturnType<typeof loadRuleDefinitions>>> {
  const folder = tempFolder(t, 'scope');
  await writeFile(join(folder, 'any-source.yaml'), ruleText(scopeYaml));
  return loadRuleDefinitions({ builtIn: false, paths: [folder] });
}

async function problems(t: ExecutionContext, scopeYaml: string): Promise<string[]> {
  return (await load(t, scopeYaml)).diagnostics.map((diagnostic) => formatDiagnostic(diagnostic).replace(/^.*any-source\.yaml:/, ''));
}

test('eventSource: any loads, with the sources it leaves out', async (t) => {
  const { definitions, diagnostics } = await load(t, '  eventSource: any\n  notEventSource: [sts.amazonaws.com, signin.amazonaws.com]');
  t.deepEqual(diagnostics, []);
  t.deepEqual(definitions[0]?.scope, { eventSource: 'any', notEventSource: ['sts.amazonaws.com', 'signin.amazonaws.com'] });
});

test('eventSource: any takes every source and records without one; notEventSource leaves sources out', (t) => {
  t.true(eventSourceInScope({ eventSource: 'any' }, 's3.amazonaws.com'));
  t.true(eventSourceInScope({ eventSource: 'any' }, undefined));
  t.false(eventSourceInScope({ eventSource: 'any', notEventSource: ['s3.amazonaws.com'] }, 's3.amazonaws.com'));
  t.true(eventSourceInScope({ eventSource: 'any', notEventSource: ['s3.amazonaws.com'] }, 'ec2.amazonaws.com'));
  t.true(eventSourceInScope({ eventSource: 'any', notEventSource: ['s3.amazonaws.com'] }, undefined));
  t.false(eventSourceInScope({ eventSource: ['s3.amazonaws.com'] }, undefined));
  t.false(eventSourceInScope({ eventSource: ['s3.amazonaws.com'] }, 'any'));
});

test('the scope in words, as rules list shows it', (t) => {
  t.is(eventSourceText({ eventSource: ['s3.amazonaws.com', 'ec2.amazonaws.com'] }), 's3.amazonaws.com, ec2.amazonaws.com');
  t.is(eventSourceText({ eventSource: 'any' }), 'any');
  t.is(eventSourceText({ eventSource: 'any', notEventSource: ['sts.amazonaws.com'] }), 'any except sts.amazonaws.com');
});

test('a misspelt any gets a did-you-mean at its line and column', async (t) => {
  t.deepEqual(await problems(t, '  eventSource: Any'), [
    "8:16: error invalid-value: scope.eventSource: must be a list of event sources, {list: NAME}, or any for every source (did you mean 'any'?)",
  ]);
});

test('any or * inside the list of sources says to write eventSource: any', async (t) => {
  t.deepEqual(await problems(t, '  eventSource: ["*"]'), [
    "8:17: error invalid-event-source: '*' is not an event source: CloudTrail writes them as <service>.amazonaws.com, e.g. lookoutvision.amazonaws.com; for every source write eventSource: any (not in a list)",
  ]);
});

test('notEventSource is refused next to a list of sources', async (t) => {
  t.deepEqual(await problems(t, '  eventSource: [s3.amazonaws.com]\n  notEventSource: [sts.amazonaws.com]'), [
    '9:3: error invalid-scope: scope.notEventSource leaves sources out of `eventSource: any`; with a list of event sources, leave them out of the list instead',
  ]);
});

test('the sources notEventSource names must be event sources, and a misspelt key gets a did-you-mean', async (t) => {
  t.deepEqual(await problems(t, '  eventSource: any\n  notEventSource: [sts]'), [
    "9:20: error invalid-event-source: 'sts' is not an event source: CloudTrail writes them as <service>.amazonaws.com, e.g. lookoutvision.amazonaws.com",
  ]);
  t.deepEqual(await problems(t, '  eventSource: any\n  notEventSorce: [sts.amazonaws.com]'), [
    "9:3: error unknown-key: unknown key 'notEventSorce' in scope (did you mean 'notEventSource'?); valid keys: eventSource, notEventSource, eventName",
  ]);
});

test('explain shows an any-source scope and decides it as a run does', (t) => {
  const rule = { scope: { eventSource: 'any', notEventSource: ['sts.amazonaws.com'] }, conditions: { all: [] } } as const;
  t.deepEqual(explainRule(rule, { eventSource: 's3.amazonaws.com' }).scope.eventSource, {
    expected: 'any',
    except: ['sts.amazonaws.com'],
    actual: 's3.amazonaws.com',
    result: true,
  });
  t.is(explainRule(rule, { eventSource: 'sts.amazonaws.com' }).verdict, 'no-match');
  t.is(explainRule(rule, {}).verdict, 'match');
});
