import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import { STARTER_RULE_FILE } from '../../src/cli/init-templates.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

/** A fresh folder where `lfvaudit init` has run. */
async function initialised(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'init');
  const io = capturedIo(dir);
  if ((await main(['init'], io)) !== 0) throw new Error(io.err());
  return dir;
}

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('init in an empty folder writes a config, an example rule, an example trail and the schemas they name', async (t) => {
  const dir = await initialised(t);
  t.deepEqual(await filesUnder(dir), [
    '.lfvaudit/schema/config.schema.json',
    '.lfvaudit/schema/rule.schema.json',
    '.lfvauditrc.yaml',
    `rules/${STARTER_RULE_FILE}`,
    'trail-logs/example-trail.json',
  ]);
});

test("the $schema references init writes resolve from the project's own folder", async (t) => {
  const dir = await initialised(t);
  for (const file of ['.lfvauditrc.yaml', `rules/${STARTER_RULE_FILE}`]) {
    const text = await readFile(path.join(dir, file), 'utf8');
    const reference = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    t.truthy(reference, file);
    const schema = path.resolve(path.dirname(path.join(dir, file)), reference ?? '');
    t.true(schema.startsWith(dir), `${file} names a schema outside the project: ${schema}`);
    t.true(existsSync(schema), `${file} names ${schema}, which does not exist`);
    t.is(await readFile(schema, 'utf8'), await readFile(path.join(repoRoot(), 'schema', path.basename(schema)), 'utf8'));
  }
});

test('what init writes passes rules validate without an error', async (t) => {
  const dir = await initialised(t);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'validate'], io), 0, io.out());
  t.regex(io.out(), /\n12 rules loaded, 0 errors, \d+ warnings\n$/);
  t.notRegex(io.out(), / error /);
});

test('the example rule init writes passes its own embedded tests', async (t) => {
  const dir = await initialised(t);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'test', 'rules'], io), 0, io.out() + io.err());
  t.regex(io.out(), new RegExp(`^custom-create-project-outside-change-window \\(rules/${STARTER_RULE_FILE.replaceAll('.', '\\.')}\\)\n`));
  t.regex(io.out(), /\n2 passed, 0 failed\n$/);
});

test('lfvaudit run in the project init wrote audits its example trail and writes findings.json', async (t) => {
  const dir = await initialised(t);
  const io = capturedIo(dir);
  t.is(await main(['run'], io), 0, io.err());
  const written = JSON.parse(await readFile(path.join(dir, 'findings.json'), 'utf8')) as { Findings: { ProductFields: Record<string, string> }[] };
  const rules = new Set(written.Findings.map((finding) => finding.ProductFields['lfvaudit/RuleId']));
  t.true(rules.has('lfv-root-credentials'), [...rules].join(', '));
  t.true(rules.has('lfv-mfa-required'), [...rules].join(', '));
});

test('init writes nothing at all when one of its files exists, and names it', async (t) => {
  const dir = tempFolder(t, 'init');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules: {builtIn: true}\n');
  const io = capturedIo(dir);
  t.is(await main(['init'], io), 2);
  t.regex(io.err(), /\.lfvauditrc\.yaml already exists/);
  t.regex(io.err(), /wrote nothing/);
  t.deepEqual(await filesUnder(dir), ['.lfvauditrc.yaml']);
  t.is(await readFile(path.join(dir, '.lfvauditrc.yaml'), 'utf8'), 'rules: {builtIn: true}\n');
});

test('init --force overwrites the files it writes', async (t) => {
  const dir = tempFolder(t, 'init');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules: {builtIn: true}\n');
  const io = capturedIo(dir);
  t.is(await main(['init', '--force'], io), 0, io.err());
  t.regex(await readFile(path.join(dir, '.lfvauditrc.yaml'), 'utf8'), /^# yaml-language-server/);
});

test("init refuses lfvaudit's own package folder, whose rules/ is the built-in pack", async (t) => {
  const before = await filesUnder(path.join(repoRoot(), 'rules'));
  const io = capturedIo(repoRoot());
  t.is(await main(['init'], io), 2);
  t.regex(io.err(), /built-in pack/);
  t.deepEqual(await filesUnder(path.join(repoRoot(), 'rules')), before);
});

test("the starter config's commented suppression example validates once uncommented", async (t) => {
  const dir = await initialised(t);
  const file = path.join(dir, '.lfvauditrc.yaml');
  const text = await readFile(file, 'utf8');
  const example = text
    .slice(text.indexOf('# suppressions:'))
    .replace(/^# ?/gm, '')
    .replace(/ *# example.*$/m, '');
  t.regex(example, /^suppressions:\n {2}- rule: lfv-long-term-access-key\n/);
  await writeFile(file, `${text.slice(0, text.indexOf('# suppressions:'))}${example}`);
  const io = capturedIo(dir, { now: new Date('2026-06-01T00:00:00Z') });
  t.is(await main(['rules', 'validate'], io), 0, io.out());
  t.regex(io.out(), /\n12 rules loaded, 0 errors, \d+ warnings\n$/);
  t.notRegex(io.out(), /suppressions/);
});
