import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { tempFolder } from '../support/temp-folder.js';
import { loadRuleCatalog } from '../../src/cli/rule-catalog.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { runRuleTests } from '../../src/audit/rule-test-runner.js';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { formatDiagnostic, type Diagnostic } from '../../src/shared/diagnostics.js';

const NOW = new Date('2026-12-01T00:00:00Z');

/** A rule that reads named lists in its scope, a condition and a parameter's default. */
const RULE = `id: outside-networks
title: Destructive call from outside the corporate networks
description: A destructive Lookout for Vision call came from outside the corporate networks.
severity: MEDIUM
types: [Software and Configuration Checks/Industry and Regulatory Standards/Fixture]
remediation: { text: Ask the caller. }
scope:
  eventSource: { list: visionSources }
  eventName: { list: destructiveCalls }
params:
  partnerNetworks: { type: "cidr[]", description: Partner ranges., default: { list: partnerRanges } }
conditions:
  all:
    - { fact: sourceIPAddress, operator: notInCidr, value: { list: corporateRanges } }
    - { fact: sourceIPAddress, operator: notInCidr, value: { param: partnerNetworks } }
tests:
  - { name: from a hotel, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteProject, sourceIPAddress: 198.51.100.7 } }
  - { name: from the office, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteProject, sourceIPAddress: 10.1.2.3 } }
`;

const LISTS = `lists:
  visionSources: [lookoutvision.amazonaws.com]
  destructiveCalls: [DeleteProject, DeleteModel, DeleteDataset]
  corporateRanges: [10.0.0.0/8, "2001:db8::/32"]
  partnerRanges: [203.0.113.0/24]
`;

/** A folder with the rule and, when given, its lists.yaml; returns the folder. */
async function pack(t: ExecutionContext, rule: string, lists?: string): Promise<string> {
  const folder = tempFolder(t, 'lists');
  await writeFile(join(folder, 'outside-networks.yaml'), rule);
  if (lists !== undefined) await writeFile(join(folder, 'lists.yaml'), lists);
  return folder;
}

function lines(diagnostics: readonly Diagnostic[], folder: string): string[] {
  return diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${folder}/`, ''));
}

test("a rule reads a pack's lists.yaml in its scope, conditions and parameter defaults, and lists.yaml is not loaded as a rule", async (t) => {
  const folder = await pack(t, RULE, LISTS);
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(lines(diagnostics, folder), []);
  t.deepEqual(
    definitions.map((definition) => definition.id),
    ['outside-networks'],
  );
  const [rule] = definitions;
  t.deepEqual(rule?.scope, { eventSource: ['lookoutvision.amazonaws.com'], eventName: ['DeleteProject', 'DeleteModel', 'DeleteDataset'] });
  t.deepEqual(rule?.params.partnerNetworks?.default, ['203.0.113.0/24']);
  t.deepEqual(rule !== undefined && 'all' in rule.conditions ? rule.conditions.all[0] : undefined, {
    fact: 'sourceIPAddress',
    operator: 'notInCidr',
    value: ['10.0.0.0/8', '2001:db8::/32'],
    position: { file: join(folder, 'outside-networks.yaml'), line: 14, column: 7 },
  });
});

test('an unknown list name is an error at the reference, with a did-you-mean and the defined names', async (t) => {
  const folder = await pack(t, RULE.replace('{ list: corporateRanges }', '{ list: corporateRange }'), LISTS);
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(lines(diagnostics, folder), [
    "outside-networks.yaml:14:68: error unknown-list: no list is named 'corporateRange' (did you mean 'corporateRanges'?); lists: corporateRanges, destructiveCalls, partnerRanges, visionSources",
  ]);
});

test("a list's values are checked where they are used: a bad CIDR or event name is placed at the reference and names the list", async (t) => {
  const folder = await pack(t, RULE, LISTS.replace('10.0.0.0/8', '10.0.0.0/33').replace('DeleteModel', 'DeleteModle'));
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(lines(diagnostics, folder), [
    "outside-networks.yaml:9:14: error unknown-event-name: 'DeleteModle' is not an event name of the rule's event source (did you mean 'DeleteModel'?) (list destructiveCalls, defined at lists.yaml:3:3)",
    "outside-networks.yaml:14:60: error invalid-cidr: '10.0.0.0/33': an IPv4 prefix length is at most 32 (list corporateRanges, defined at lists.yaml:4:3)",
  ]);
});

test('a list of event names used where event sources are needed is refused', async (t) => {
  const folder = await pack(t, RULE.replace('{ list: visionSources }', '{ list: destructiveCalls }'), LISTS);
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.true(
    lines(diagnostics, folder).some((line) =>
      line.startsWith("outside-networks.yaml:8:16: error invalid-event-source: 'DeleteProject' is not an event source"),
    ),
    lines(diagnostics, folder).join('\n'),
  );
});

test('names such as __proto__ are refused in lists.yaml, and {list: constructor} names no list: nothing reaches a prototype', async (t) => {
  const folder = await pack(
    t,
    RULE.replace('{ list: corporateRanges }', '{ list: constructor }'),
    `${LISTS}  __proto__: [polluted]\n  constructor: [x]\n`.replace('  constructor: [x]\n', ''),
  );
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(lines(diagnostics, folder), [
    "lists.yaml:6:3: error invalid-key: '__proto__': a list name is a letter followed by letters, digits or _",
    "outside-networks.yaml:14:68: error unknown-list: no list is named 'constructor'; lists: corporateRanges, destructiveCalls, partnerRanges, visionSources",
  ]);
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('a lists.yaml with one bad list still defines its good lists; the bad one is an error at its position, and so is every reference to it', async (t) => {
  const folder = await pack(t, RULE.replace('{ list: partnerRanges }', '{ list: partnerHosts }'), `${LISTS}  partnerHosts: [{ host: partner.example }]\n`);
  // A second rule reads only good lists.
  await writeFile(join(folder, 'outside-networks-copy.yaml'), RULE.replace('id: outside-networks', 'id: outside-networks-copy'));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(lines(diagnostics, folder), [
    'lists.yaml:6:18: error wrong-type: lists.partnerHosts[0] must be a string, a number or true or false, not a mapping',
    "outside-networks.yaml:11:85: error invalid-list: list 'partnerHosts' has errors in its definition at lists.yaml:6:3: fix them first",
  ]);
  t.deepEqual(
    definitions.map((definition) => definition.id),
    ['outside-networks-copy'],
  );
  t.deepEqual(definitions[0]?.params.partnerNetworks?.default, ['203.0.113.0/24']);
});

test('a config param naming a list with errors is an error at its position, and a run does not start', async (t) => {
  const folder = await project(
    t,
    `rules: { builtIn: false, paths: [rules] }\nparams:\n  partnerNetworks: { list: partnerHosts }\n`,
    RULE,
    `${LISTS}  partnerHosts: partner.example\n`,
  );
  const catalog = await loadRuleCatalog({ cwd: folder, now: NOW });
  t.deepEqual(lines(catalog.diagnostics, folder), [
    'rules/lists.yaml:6:17: error wrong-type: lists.partnerHosts must be a list, not the string "partner.example"',
    ".lfvauditrc.yaml:3:28: error invalid-list: params.partnerNetworks: list 'partnerHosts' has errors in its definition at rules/lists.yaml:6:3: fix them first",
    // As for an unknown list: the reference stays, so the rules reading the parameter find no valid value.
    '.lfvauditrc.yaml:3:20: error param-type: params.partnerNetworks must be a list of CIDR ranges (type cidr[]), not a mapping (rule outside-networks declares it as cidr[])',
  ]);
  t.false(catalog.rules[0]?.resolved.active);
  const io = capturedIo(folder);
  t.is(await main(['run', '--source', `file:${join(repoRoot(), 'examples/records/seed-create-dataset.json')}`, '--sink', 'stdout'], io), 2);
  t.regex(io.err(), /error invalid-list: params\.partnerNetworks/);
  t.is(io.out(), '');
});

test('a test of a rule sets a parameter to a named list, as the config may', async (t) => {
  const tests = `tests:
  - name: from a partner
    expect: no-match
    params: { partnerNetworks: { list: partnerRanges } }
    event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteProject, sourceIPAddress: 203.0.113.9 }
  - name: from a hotel, with an unknown list
    expect: match
    params: { partnerNetworks: { list: hotelRanges } }
    event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteProject, sourceIPAddress: 198.51.100.7 }
`;
  const rule = RULE.replace('default: { list: partnerRanges } ', '').replace(/^tests:\n[^]*$/m, tests);
  const unknown = await loadRuleDefinitions({ builtIn: false, paths: [await pack(t, rule, LISTS)] });
  t.deepEqual(
    unknown.diagnostics.map((d) => `${d.line ?? 0}:${d.column ?? 0}: ${d.code}`),
    ['23:40: unknown-list'],
  );

  const { definitions, diagnostics } = await loadRuleDefinitions({
    builtIn: false,
    paths: [await pack(t, rule.replace('hotelRanges', 'corporateRanges'), LISTS)],
  });
  t.deepEqual(diagnostics, []);
  t.deepEqual(
    definitions[0]?.tests.map((ruleTest) => ruleTest.params),
    [{ partnerNetworks: ['203.0.113.0/24'] }, { partnerNetworks: ['10.0.0.0/8', '2001:db8::/32'] }],
  );
  const results = await runRuleTests(definitions);
  t.deepEqual(
    results.map((result) => [result.test.name, result.failures]),
    [
      ['from a partner', []],
      ['from a hotel, with an unknown list', []],
    ],
  );
});

/** A project folder: the config text, and a rules/ folder with the rule and its lists.yaml (when given). */
async function project(t: ExecutionContext, config: string, rule: string, lists?: string): Promise<string> {
  const folder = tempFolder(t, 'lists-project');
  await mkdir(join(folder, 'rules'));
  await writeFile(join(folder, 'rules', 'outside-networks.yaml'), rule);
  if (lists !== undefined) await writeFile(join(folder, 'rules', 'lists.yaml'), lists);
  await writeFile(join(folder, '.lfvauditrc.yaml'), config);
  return folder;
}

test("the config's lists are read by rules, and a config param set to {list: NAME} takes the list's values", async (t) => {
  const folder = await project(
    t,
    `rules: { builtIn: false, paths: [rules] }
lists:
  visionSources: [lookoutvision.amazonaws.com]
  destructiveCalls: [DeleteProject]
  corporateRanges: [10.0.0.0/8]
  hotelRanges: [198.51.100.0/24]
params:
  partnerNetworks: { list: hotelRanges }
`,
    RULE.replace('default: { list: partnerRanges } ', ''),
  );
  const catalog = await loadRuleCatalog({ cwd: folder, now: NOW });
  t.deepEqual(lines(catalog.diagnostics, folder), []);
  const resolved = catalog.rules[0]?.resolved;
  t.true(resolved?.active);
  t.deepEqual(resolved !== undefined && 'all' in resolved.conditions ? resolved.conditions.all[1] : undefined, {
    fact: 'sourceIPAddress',
    operator: 'notInCidr',
    value: ['198.51.100.0/24'],
    position: { file: join(folder, 'rules', 'outside-networks.yaml'), line: 15, column: 7 },
  });
});

test('a config param naming an unknown list is an error at its position, and the rules reading it do not run', async (t) => {
  const folder = await project(t, `rules: { builtIn: false, paths: [rules] }\nparams:\n  partnerNetworks: { list: hotelRange }\n`, RULE, LISTS);
  const catalog = await loadRuleCatalog({ cwd: folder, now: NOW });
  t.true(
    lines(catalog.diagnostics, folder).includes(
      ".lfvauditrc.yaml:3:28: error unknown-list: params.partnerNetworks: no list is named 'hotelRange'; lists: corporateRanges, destructiveCalls, partnerRanges, visionSources",
    ),
    lines(catalog.diagnostics, folder).join('\n'),
  );
  t.false(catalog.rules[0]?.resolved.active);
});

test('a list defined both in the config and in a lists.yaml is an error naming both places', async (t) => {
  const folder = await project(t, `rules: { builtIn: false, paths: [rules] }\nlists:\n  partnerRanges: [192.0.2.0/24]\n`, RULE, LISTS);
  const catalog = await loadRuleCatalog({ cwd: folder, now: NOW });
  t.deepEqual(
    lines(catalog.diagnostics, folder).filter((line) => line.includes('duplicate-list')),
    [
      "rules/lists.yaml:5:3: error duplicate-list: list 'partnerRanges' is already defined at ../.lfvauditrc.yaml:3:3; a list name is defined once, in the config or in one lists.yaml",
    ],
  );
});

test('a suppression condition reads a named list', async (t) => {
  const folder = await project(
    t,
    `rules: { builtIn: false, paths: [rules] }
suppressions:
  - rule: outside-networks
    reason: the hotel network is known, ticket SEC-9
    expires: 2027-01-31
    conditions:
      all:
        - { fact: sourceIPAddress, operator: inCidr, value: { list: partnerRanges } }
        - { fact: sourceIPAddress, operator: inCidr, value: { list: hotelRanges } }
`,
    RULE,
    LISTS,
  );
  const catalog = await loadRuleCatalog({ cwd: folder, now: NOW });
  t.deepEqual(lines(catalog.diagnostics, folder), [
    ".lfvauditrc.yaml:9:69: error unknown-list: suppressions[0] (rule outside-networks): no list is named 'hotelRanges'; lists: corporateRanges, destructiveCalls, partnerRanges, visionSources",
  ]);
});
