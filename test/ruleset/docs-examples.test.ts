import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runRuleTests } from '../../src/audit/rule-test-runner.js';
import { loadRuleCatalog } from '../../src/cli/rule-catalog.js';
import { docsBlock, loadDocsRuleExample } from '../support/docs-rule-example.js';
import { tempFolder } from '../support/temp-folder.js';

for (const [id, example, tests] of [
  ['docs-operator-examples', 'every-operator', 2],
  ['docs-any-source-example', 'any-source', 3],
  ['docs-element-example', 'lists-inside-events', 3],
] as const) {
  test(`the ${example} example in docs/rules.md loads cleanly and passes its own tests`, async (t) => {
    const loaded = await loadDocsRuleExample(t, id);
    t.deepEqual(loaded.diagnostics, []);
    t.is(loaded.testCount, tests);
    t.deepEqual(loaded.failures, []);
  });
}

test('the named-lists examples in docs/rules.md load: a lists.yaml, a rule reading it, and a config param set to a list', async (t) => {
  const folder = tempFolder(t, 'docs');
  await mkdir(join(folder, 'rules'));
  await writeFile(join(folder, 'rules', 'lists.yaml'), await docsBlock(/```yaml\n# rules\/lists.yaml\n([\s\S]*?)```/));
  const ruleBody = await docsBlock(/```yaml\n# a rule in rules\/\n([\s\S]*?)```/);
  await writeFile(
    join(folder, 'rules', 'outside.yaml'),
    `id: outside\ntitle: t\ndescription: d\nseverity: LOW\ntypes: [TTPs/Initial Access]\nremediation: { text: r }\n${ruleBody}tests:\n` +
      '  - { name: m, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteModel, sourceIPAddress: 198.51.100.1 } }\n' +
      '  - { name: n, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteModel, sourceIPAddress: 10.0.0.1 } }\n',
  );
  await writeFile(
    join(folder, '.lfvauditrc.yaml'),
    `rules: { builtIn: true, paths: [rules] }\n${await docsBlock(/```yaml\n# .lfvauditrc.yaml\n([\s\S]*?)```/)}`,
  );
  const catalog = await loadRuleCatalog({ cwd: folder, now: new Date('2026-12-01T00:00:00Z') });
  t.deepEqual(catalog.diagnostics.map(formatDiagnostic), []);
  const results = await runRuleTests(catalog.rules.filter((rule) => rule.definition.id === 'outside').map((rule) => rule.definition));
  t.deepEqual(
    results.map((result) => result.passed),
    [true, true],
  );
});

test('the suppressions example in docs/rules.md is a valid config', async (t) => {
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, '.lfvauditrc.yaml'), await docsBlock(/```yaml\n(suppressions:\n[\s\S]*?)```/));
  const { config, diagnostics } = await loadConfig({ cwd: folder, configPath: '.lfvauditrc.yaml' });
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  t.is(config?.suppressions[0]?.rule, 'lfv-long-term-access-key');
});

test('the threshold example in docs/rules.md loads cleanly and passes its own tests', async (t) => {
  const loaded = await loadDocsRuleExample(t, 'docs-threshold-example');
  t.deepEqual(loaded.diagnostics, []);
  t.deepEqual(loaded.definitions[0]?.threshold, { count: 50, within: '10m', withinMs: 600_000 });
  t.is(loaded.testCount, 2);
  t.deepEqual(loaded.failures, []);
});
