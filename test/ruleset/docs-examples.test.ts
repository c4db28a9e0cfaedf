import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { loadConfig } from '../../src/config/load-config.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { runRuleTests } from '../../src/audit/rule-test-runner.js';
import { loadRuleCatalog } from '../../src/cli/rule-catalog.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

async function docsBlock(pattern: RegExp): Promise<string> {
  const docs = await readFile(join(repoRoot(), 'docs', 'rules.md'), 'utf8');
  const block = pattern.exec(docs)?.[1];
  if (block === undefined) throw new Error(`docs/rules.md has no block matching ${String(pattern)}`);
  return block;
}

test('the every-operator example in docs/rules.md loads cleanly and passes its own tests', async (t) => {
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, 'docs-operator-examples.yaml'), await docsBlock(/```yaml\n(id: docs-operator-examples\n[\s\S]*?)```/));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  const results = await runRuleTests(definitions);
  t.is(results.length, 2);
  t.deepEqual(
    results.filter((result) => !result.passed).map((result) => result.failures),
    [],
  );
});

test('the any-source example in docs/rules.md loads cleanly and passes its own tests', async (t) => {
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, 'docs-any-source-example.yaml'), await docsBlock(/```yaml\n(id: docs-any-source-example\n[\s\S]*?)```/));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  const results = await runRuleTests(definitions);
  t.is(results.length, 3);
  t.deepEqual(
    results.filter((result) => !result.passed).map((result) => result.failures),
    [],
  );
});

test('the lists-inside-events example in docs/rules.md loads cleanly and passes its own tests', async (t) => {
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, 'docs-element-example.yaml'), await docsBlock(/```yaml\n(id: docs-element-example\n[\s\S]*?)```/));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  const results = await runRuleTests(definitions);
  t.is(results.length, 3);
  t.deepEqual(
    results.filter((result) => !result.passed).map((result) => result.failures),
    [],
  );
});

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
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, 'docs-threshold-example.yaml'), await docsBlock(/```yaml\n(id: docs-threshold-example\n[\s\S]*?)```/));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  t.deepEqual(definitions[0]?.threshold, { count: 50, within: '10m', withinMs: 600_000 });
  const results = await runRuleTests(definitions);
  t.is(results.length, 2);
  t.deepEqual(
    results.filter((result) => !result.passed).map((result) => result.failures),
    [],
  );
});
