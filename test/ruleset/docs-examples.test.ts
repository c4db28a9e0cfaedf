import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { loadConfig } from '../../src/config/load-config.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { runRuleTests } from '../../src/audit/rule-test-runner.js';
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

test('the suppressions example in docs/rules.md is a valid config', async (t) => {
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, '.lfvauditrc.yaml'), await docsBlock(/```yaml\n(suppressions:\n[\s\S]*?)```/));
  const { config, diagnostics } = await loadConfig({ cwd: folder, configPath: '.lfvauditrc.yaml' });
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  t.is(config?.suppressions[0]?.rule, 'lfv-long-term-access-key');
});
