import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
// By the package's own name, through package.json "exports": what a user's `import ... from 'lfvaudit'` gets.
import {
  evaluatorFor,
  FileFindingSink,
  FileSource,
  formatDiagnostic,
  loadRuleDefinitions,
  main,
  resolveRules,
  runAudit,
  runRuleTests,
  validateAsffFinding,
} from 'lfvaudit';
import { capturedIo } from './support/captured-io.js';
import { repoRoot } from './support/repo-root.js';
import { tempFolder } from './support/temp-folder.js';

const root = repoRoot();
const execFileAsync = promisify(execFile);
const now = new Date('2025-11-01T00:00:00Z');

test('the library composes the same audit the CLI runs: same findings from the built-in pack over the examples', async (t) => {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [path.join(root, 'examples/rules')] });
  t.deepEqual(loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  const { rules } = resolveRules(loaded.definitions, {});
  const dir = tempFolder(t, 'library');
  const result = await runAudit({
    sources: [new FileSource(path.join(root, 'examples/logs'))],
    rules,
    evaluator: evaluatorFor('compiled', rules),
    sinks: [new FileFindingSink(path.join(dir, 'library.json'))],
    now: () => now,
  });
  t.true(result.complete);
  t.true(result.findings.count > 0);
  t.is([...result.findings].length, result.findings.count);
  for (const finding of result.findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
  // The library's findings are the file's: iterating the result builds them again, equal.
  t.deepEqual(idsOf([...result.findings]), idsOf(await findingsIn(path.join(dir, 'library.json'))));

  // The CLI over the same inputs, rules and (empty) parameters.
  const io = capturedIo(dir);
  const cliFile = path.join(dir, 'cli.json');
  await writeConfig(dir, `rules: { builtIn: true, paths: [${JSON.stringify(path.join(root, 'examples/rules'))}] }\n`);
  t.is(await main(['run', '--source', `file:${path.join(root, 'examples/logs')}`, '--sink', `file:${cliFile}`], io), 0, io.err());
  t.deepEqual(idsOf(await findingsIn(path.join(dir, 'library.json'))), idsOf(await findingsIn(cliFile)));
});

test('rule tests run from the library as `lfvaudit rules test` runs them', async (t) => {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [] });
  const results = await runRuleTests(loaded.definitions, { now });
  t.true(results.length >= loaded.definitions.length * 2);
  t.deepEqual(
    results.filter((result) => !result.passed).map((result) => `${result.rule.id}: ${result.test.name}`),
    [],
  );
});

test('an audit of local files into a file loads no AWS SDK client (half a second and 40 MB it does not need)', async (t) => {
  const dir = tempFolder(t, 'no-sdk');
  // A fresh process: this one may have loaded the SDK for other tests.
  const script = `
    import { createRequire } from 'node:module';
    import { main } from 'lfvaudit';
    const status = await main(['run', '--config', ${JSON.stringify(path.join(dir, '.lfvauditrc.yaml'))}, '--source', 'file:${path.join(root, 'examples/logs')}', '--sink', 'file:${path.join(dir, 'findings.json')}'],
      { stdout: { write() { return true; } }, stderr: { write() { return true; } }, env: {}, cwd: ${JSON.stringify(dir)}, now: () => new Date(), pid: process.pid, hostname: 'test' });
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes('@aws-sdk'));
    process.stdout.write(JSON.stringify({ status, loaded }));`;
  await writeConfig(dir, 'rules: { builtIn: true }\n');
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  const outcome = JSON.parse(stdout) as { status: number; loaded: string[] };
  t.is(outcome.status, 0);
  t.deepEqual(outcome.loaded, []);
});

function idsOf(findings: readonly AwsSecurityFinding[]): string[] {
  return findings.map((finding) => `${finding.Id} ${finding.ProductFields?.['lfvaudit/EventCount']}`);
}

async function findingsIn(file: string): Promise<AwsSecurityFinding[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
}

async function writeConfig(dir: string, text: string): Promise<void> {
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), text);
}
