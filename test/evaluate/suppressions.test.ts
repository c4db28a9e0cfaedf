import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { loadSuppressions } from '../../src/cli/load-suppressions.js';
import { loadConfig } from '../../src/config/load-config.js';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { expiryOf } from '../../src/evaluate/suppressions.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { tempFolder } from '../support/temp-folder.js';

const NOW = new Date('2026-03-01T12:00:00Z');

/** Writes a config holding `suppressions` (YAML text) to a temp folder and compiles it against the built-in pack. */
async function compiled(t: ExecutionContext, suppressionsYaml: string, now: Date = NOW) {
  const dir = tempFolder(t, 'suppressions');
  const file = path.join(dir, '.lfvauditrc.yaml');
  await writeFile(file, `rules: { builtIn: true }\nsuppressions:\n${suppressionsYaml}`);
  const loaded = await loadConfig({ cwd: dir });
  if (loaded.config === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const { definitions, lists } = await loadRuleDefinitions({ builtIn: true, paths: [] });
  const result = await loadSuppressions(loaded.config, definitions, now, loaded.positionOf, lists);
  return { ...result, lines: result.diagnostics.map((d) => formatDiagnostic({ ...d, file: path.basename(d.file) })) };
}

const CI_USER_CALL = {
  eventSource: 'lookoutvision.amazonaws.com',
  eventName: 'CreateProject',
  userIdentity: { type: 'IAMUser', userName: 'ci-deployer', accessKeyId: 'AKIAEXAMPLE' },
};

const CI_SUPPRESSION = `  - rule: lfv-long-term-access-key
    reason: CI user migrating to roles, ticket SEC-123
    expires: 2026-12-31
    conditions:
      all:
        - { fact: userIdentity.userName, operator: equal, value: ci-deployer }
`;

test('a suppression silences the events of its rule that meet its conditions, and says which suppression did', async (t) => {
  const { suppressions, diagnostics } = await compiled(t, CI_SUPPRESSION);
  t.deepEqual(diagnostics, []);
  const suppression = suppressions.isSuppressed({ id: 'lfv-long-term-access-key' }, CI_USER_CALL);
  t.is(suppression?.reason, 'CI user migrating to roles, ticket SEC-123');
  t.is(suppression?.index, 0);
});

test('a suppression leaves events that miss its conditions, and other rules, alone', async (t) => {
  const { suppressions } = await compiled(t, CI_SUPPRESSION);
  t.is(suppressions.isSuppressed({ id: 'lfv-long-term-access-key' }, { ...CI_USER_CALL, userIdentity: { type: 'IAMUser', userName: 'alice' } }), undefined);
  t.is(suppressions.isSuppressed({ id: 'lfv-root-credentials' }, CI_USER_CALL), undefined);
});

test('a suppression without conditions silences every event of its rule', async (t) => {
  const { suppressions, diagnostics } = await compiled(
    t,
    '  - { rule: lfv-outdated-tls, reason: the line 3 cameras are replaced in May, expires: 2026-05-31 }\n',
  );
  t.deepEqual(diagnostics, []);
  t.is(suppressions.isSuppressed({ id: 'lfv-outdated-tls' }, { eventName: 'DetectAnomalies' })?.rule, 'lfv-outdated-tls');
});

test('an expired suppression stops applying and is reported as a warning at its expiry date', async (t) => {
  const { suppressions, lines } = await compiled(t, CI_SUPPRESSION.replace('2026-12-31', '2026-02-28'));
  t.is(suppressions.isSuppressed({ id: 'lfv-long-term-access-key' }, CI_USER_CALL), undefined);
  t.deepEqual(
    suppressions.expired.map((s) => s.rule),
    ['lfv-long-term-access-key'],
  );
  t.deepEqual(lines, [
    '.lfvauditrc.yaml:5:14: warning expired-suppression: suppressions[0]: the suppression of lfv-long-term-access-key (CI user migrating to roles, ticket SEC-123) expired on 2026-02-28 and no longer applies; its events are reported again. Remove it, or extend expires after a review',
  ]);
});

test('a suppression applies through its expiry day (UTC) and stops at the next midnight', (t) => {
  t.is(expiryOf('2026-02-28'), Date.parse('2026-03-01T00:00:00Z'));
  t.is(expiryOf('2026-02-28T09:30:00Z'), Date.parse('2026-02-28T09:30:00Z'));
  t.is(expiryOf('2026-02-30'), undefined);
  t.is(expiryOf('2026-02-28 soon'), undefined);
});

test('an unknown rule id, an impossible date and mistakes in the conditions are all reported where they are written', async (t) => {
  const { suppressions, lines } = await compiled(
    t,
    `  - rule: lfv-long-term-acess-key
    reason: typo in the id
    expires: 2026-02-30
  - rule: lfv-mfa-required
    reason: bad conditions
    expires: 2026-12-31
    conditions:
      any:
        - { fact: userIdentity.userNme, operator: equal, value: ci }
        - { fact: eventName, operator: equals, value: CreateDataset }
        - { fact: eventName, operator: in, value: [CreateDatset] }
        - { fact: userIdentity.type, operater: equal, value: Root }
`,
  );
  t.deepEqual(lines, [
    ".lfvauditrc.yaml:3:11: error unknown-rule: suppressions[0].rule: no loaded rule has the id 'lfv-long-term-acess-key' (did you mean 'lfv-long-term-access-key'?)",
    ".lfvauditrc.yaml:5:14: error invalid-date: suppressions[0].expires: '2026-02-30' is not a date; write YYYY-MM-DD (the suppression applies through that day, UTC)",
    ".lfvauditrc.yaml:11:19: error unknown-fact: suppressions[1] (rule lfv-mfa-required): unknown field 'userNme' in userIdentity (did you mean 'userName'?); known fields: type, principalId, arn, accountId, accessKeyId, userName, invokedBy, credentialId, identityProvider, onBehalfOf, inScopeOf, sessionContext",
    ".lfvauditrc.yaml:12:40: error unknown-operator: suppressions[1] (rule lfv-mfa-required): unknown operator 'equals' (did you mean 'equal'?); operators: equal, notEqual, in, notIn, contains, doesNotContain, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, startsWith, endsWith, stringContains, anyStringContains, matches, inCidr, notInCidr, isIpAddress, exists, matchesWildcard, equalsText",
    ".lfvauditrc.yaml:13:52: error unknown-event-name: suppressions[1] (rule lfv-mfa-required): 'CreateDatset' is not an event name of the rule's event source (did you mean 'CreateDataset'?)",
    ".lfvauditrc.yaml:14:38: error unknown-key: suppressions[1] (rule lfv-mfa-required): unknown key 'operater' in conditions.any[3] (did you mean 'operator'?); valid keys: fact, operator, value",
  ]);
  t.deepEqual(suppressions.active, []);
});

test('a suppression mistake under the lfvaudit key of package.json is placed in package.json', async (t) => {
  const dir = tempFolder(t, 'suppressions');
  const packageJson =
    '{\n  "name": "x",\n  "lfvaudit": {\n    "suppressions": [\n      { "rule": "lfv-long-term-acess-key", "reason": "r", "expires": "2099-01-01" }\n    ]\n  }\n}\n';
  await writeFile(path.join(dir, 'package.json'), packageJson);
  const loaded = await loadConfig({ cwd: dir });
  if (loaded.config === undefined) return t.fail(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const { definitions, lists } = await loadRuleDefinitions({ builtIn: true, paths: [] });
  const result = await loadSuppressions(loaded.config, definitions, NOW, loaded.positionOf, lists);
  t.deepEqual(
    result.diagnostics.map((d) => formatDiagnostic({ ...d, file: path.basename(d.file) })),
    [
      "package.json:5:17: error unknown-rule: suppressions[0].rule: no loaded rule has the id 'lfv-long-term-acess-key' (did you mean 'lfv-long-term-access-key'?)",
    ],
  );
});
