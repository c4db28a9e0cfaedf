import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'ava';
import { load } from 'js-yaml';
import { generateRulePack, writeBenchConfig } from '../../bench/generate-rules.js';
import { tempFolder } from '../support/temp-folder.js';

type RuleYaml = { id?: unknown; tests?: { expect?: unknown; eventFile?: unknown }[] };

function readRules(folder: string): Map<string, RuleYaml> {
  return new Map(readdirSync(folder).map((name) => [name, load(readFileSync(join(folder, name), 'utf8')) as RuleYaml]));
}

test('the pack holds the requested number of rules, each parsing as YAML with the file name as its id', (t) => {
  const out = tempFolder(t, 'rules');
  const pack = generateRulePack({ outDir: out, builtInDir: join(out, 'no-built-ins'), seed: 6, total: 100 });
  const rules = readRules(out);
  t.is(rules.size, 100);
  t.is(pack.ids.length, 100);
  for (const [name, rule] of rules) t.is(`${String(rule.id)}.yaml`, name);
  t.deepEqual([...rules.keys()].map((name) => name.replace(/\.yaml$/, '')).sort(), [...pack.ids]);
});

test('the same seed writes the same rule files, byte for byte', (t) => {
  const first = tempFolder(t, 'rules');
  const second = tempFolder(t, 'rules');
  generateRulePack({ outDir: first, builtInDir: join(first, 'none'), seed: 6, total: 30 });
  generateRulePack({ outDir: second, builtInDir: join(second, 'none'), seed: 6, total: 30 });
  const names = readdirSync(first).sort();
  t.deepEqual(readdirSync(second).sort(), names);
  for (const name of names) t.is(readFileSync(join(second, name), 'utf8'), readFileSync(join(first, name), 'utf8'), name);
});

test('every generated rule carries at least one match and one no-match test', (t) => {
  const out = tempFolder(t, 'rules');
  generateRulePack({ outDir: out, builtInDir: join(out, 'none'), seed: 6, total: 100 });
  for (const [name, rule] of readRules(out)) {
    const expectations = (rule.tests ?? []).map((ruleTest) => ruleTest.expect);
    t.true(expectations.includes('match') && expectations.includes('no-match'), name);
  }
});

test('built-in rules are copied first and generated rules fill the pack up to its size', (t) => {
  const root = tempFolder(t, 'rules');
  const builtIns = join(root, 'builtin');
  mkdirSync(builtIns);
  writeFileSync(join(builtIns, 'lfv-root.yaml'), 'id: lfv-root\nconditions: { all: [] }\ntests: []\n');
  const pack = generateRulePack({ outDir: join(root, 'pack'), builtInDir: builtIns, seed: 6, total: 10 });
  t.deepEqual(pack.builtInIds, ['lfv-root']);
  t.is(pack.generatedIds.length, 9);
  t.is(readdirSync(join(root, 'pack')).length, 10);
});

test('a built-in file still being written (invalid YAML, or without tests) is skipped with the reason', (t) => {
  const root = tempFolder(t, 'rules');
  const builtIns = join(root, 'builtin');
  mkdirSync(builtIns);
  writeFileSync(join(builtIns, 'lfv-half.yaml'), 'id: lfv-half\nconditions:\n  all: [\n');
  writeFileSync(join(builtIns, 'lfv-draft.yaml'), 'id: lfv-draft\ntitle: not finished\n');
  const pack = generateRulePack({ outDir: join(root, 'pack'), builtInDir: builtIns, seed: 6, total: 5 });
  t.deepEqual(pack.builtInIds, []);
  t.deepEqual(pack.skippedBuiltIns.map((skipped) => skipped.file).sort(), [join(builtIns, 'lfv-draft.yaml'), join(builtIns, 'lfv-half.yaml')]);
  t.is(pack.generatedIds.length, 5);
});

test('a copied built-in rule still finds its test event files', (t) => {
  const root = tempFolder(t, 'rules');
  const builtIns = join(root, 'repo', 'rules');
  mkdirSync(join(root, 'repo', 'examples'), { recursive: true });
  mkdirSync(builtIns);
  writeFileSync(join(root, 'repo', 'examples', 'call.json'), '{}');
  writeFileSync(join(builtIns, 'lfv-x.yaml'), 'id: lfv-x\nconditions: { all: [] }\ntests:\n  - name: a call\n    eventFile: ../examples/call.json\n');
  const out = join(root, 'bench', 'data', 'rules');
  generateRulePack({ outDir: out, builtInDir: builtIns, seed: 6, total: 1 });
  const copied = load(readFileSync(join(out, 'lfv-x.yaml'), 'utf8')) as RuleYaml;
  t.is(resolve(out, String(copied.tests?.[0]?.eventFile)), join(root, 'repo', 'examples', 'call.json'));
});

test('the bench config runs the pack folder without the built-in pack', (t) => {
  const root = tempFolder(t, 'rules');
  const configPath = join(root, 'bench-config.yaml');
  writeBenchConfig(configPath, join(root, 'rules'));
  const config = load(readFileSync(configPath, 'utf8')) as { rules: { builtIn: boolean; paths: string[] }; params: Record<string, unknown> };
  t.false(config.rules.builtIn);
  t.deepEqual(
    config.rules.paths.map((path) => resolve(dirname(configPath), path)),
    [join(root, 'rules')],
  );
  t.deepEqual(Object.keys(config.params).sort(), ['allowedRegions', 'allowedSourceCidrs', 'approvedPackagingBuckets']);
});
