import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../src/shared/diagnostics.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { repoRoot } from '../support/repo-root.js';
import { severalMistakesDiagnostics } from '../support/rule-fixtures.js';
import { tempFolder } from '../support/temp-folder.js';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'rules');

/** Formatted diagnostics with paths relative to the repository, as a reader would compare them. */
function formatted(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${repoRoot()}/`, ''));
}

test('rule files are found recursively in a folder, *.yaml and *.yml, sorted by path', async (t) => {
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [join(FIXTURES, 'good')] });
  t.deepEqual(formatted(diagnostics), []);
  t.deepEqual(
    definitions.map((definition) => definition.id),
    ['lfv-fixture-root-call', 'lfv-fixture-source-ip'],
  );
  t.true(definitions.every((definition) => !definition.builtIn));
});

test('a test eventFile is read relative to its rule file', async (t) => {
  const { definitions } = await loadRuleDefinitions({ builtIn: false, paths: [join(FIXTURES, 'good', 'lfv-fixture-root-call.yaml')] });
  const expected = JSON.parse(await readFile(join(FIXTURES, 'good', 'events', 'root-call.json'), 'utf8')) as unknown;
  t.deepEqual(definitions[0]?.tests[0]?.event, expected);
});

test('a loaded definition keeps the rule as written, with positions on conditions and tests', async (t) => {
  const { definitions } = await loadRuleDefinitions({ builtIn: false, paths: [join(FIXTURES, 'good', 'nested', 'lfv-fixture-source-ip.yml')] });
  const definition = definitions[0];
  const file = join(FIXTURES, 'good', 'nested', 'lfv-fixture-source-ip.yml');
  t.like(definition, {
    id: 'lfv-fixture-source-ip',
    severity: 'MEDIUM',
    scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: { param: 'watchedActions' } },
    groupBy: ['principal', 'sourceIPAddress'],
    file,
    builtIn: false,
  });
  t.deepEqual(definition?.conditions, {
    any: [{ fact: 'sourceIPAddress', operator: 'notInCidr', value: { param: 'allowedSourceCidrs' }, position: { file, line: 21, column: 7 } }],
    position: { file, line: 20, column: 3 },
  });
  t.deepEqual({ ...definition?.params.watchedActions }, { type: 'string[]', description: 'Operations to watch.', default: ['CreateDataset', 'DeleteProject'] });
  t.deepEqual(definition?.tests[1]?.position, { file, line: 29, column: 5 });
});

test('a rule with several mistakes reports each one at its own line and column', async (t) => {
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [join(FIXTURES, 'bad', 'several-mistakes.yaml')] });
  t.deepEqual(definitions, []);
  const file = 'test/fixtures/rules/bad/several-mistakes.yaml';
  t.deepEqual(formatted(diagnostics), severalMistakesDiagnostics(file));
});

test('event files that are missing, not JSON, or a whole log file are reported where the fix goes', async (t) => {
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [join(FIXTURES, 'bad', 'event-file-problems.yaml')] });
  t.deepEqual(formatted(diagnostics), [
    'test/fixtures/rules/bad/event-file-problems.yaml:14:16: error event-file: eventFile events/missing.json (relative to this rule file): cannot read the file: no such file',
    "test/fixtures/rules/bad/events/broken.json:4:1: error event-file: invalid JSON: expected a double-quoted property name, found '}' (eventFile of test 'a file that is not JSON' in event-file-problems.yaml)",
    'test/fixtures/rules/bad/events/log-file.json:1:1: error event-file: this is a CloudTrail log file ({"Records": [...]}); an eventFile holds one record (eventFile of test \'a log file rather than a record\' in event-file-problems.yaml)',
  ]);
});

test('the same id in two files is an error naming both files, and only the first is kept', async (t) => {
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [join(FIXTURES, 'duplicate-ids')] });
  t.deepEqual(
    definitions.map((definition) => definition.file.replace(`${FIXTURES}/`, '')),
    ['duplicate-ids/one/lfv-fixture-duplicate.yaml'],
  );
  t.deepEqual(formatted(diagnostics), [
    `test/fixtures/rules/duplicate-ids/two/lfv-fixture-duplicate.yaml:1:5: error duplicate-id: rule id 'lfv-fixture-duplicate' is already defined in test/fixtures/rules/duplicate-ids/one/lfv-fixture-duplicate.yaml; ids must be unique across all loaded rules`,
  ]);
});

test('a file named twice is loaded once', async (t) => {
  const file = join(FIXTURES, 'good', 'lfv-fixture-root-call.yaml');
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [file, join(FIXTURES, 'good')] });
  t.deepEqual(formatted(diagnostics), []);
  t.is(definitions.length, 2);
});

test('a path that does not exist is an error naming it', async (t) => {
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: ['no/such/rules'] });
  t.deepEqual(definitions, []);
  t.deepEqual(formatted(diagnostics), ['no/such/rules: error rules-path: cannot read rules from this path: no such file']);
});

test('a rule file larger than 1 MiB is refused before it is parsed', async (t) => {
  const folder = tempFolder(t, 'rules');
  const file = join(folder, 'huge.yaml');
  await writeFile(file, `id: huge\ndescription: "${'x'.repeat(1024 * 1024)}"\n`);
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [file] });
  t.deepEqual(formatted(diagnostics), [`${file}: error file-too-large: the file is 1048601 bytes; rule and event files are limited to 1048576 bytes (1 MiB)`]);
});

test('a rule file with a custom tag is refused with the tag named', async (t) => {
  const folder = tempFolder(t, 'rules');
  const file = join(folder, 'tagged.yaml');
  await writeFile(file, 'id: tagged\nconditions: !!js/function "function () { return true }"\n');
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [file] });
  t.deepEqual(formatted(diagnostics), [
    `${file}:2:13: error yaml-tag: tag !!js/function is not allowed: rule and config files are plain data (allowed tags: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)`,
  ]);
});

test('the built-in rule pack loads without errors', async (t) => {
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: true, paths: [] });
  t.false(hasErrors(diagnostics), formatted(diagnostics).join('\n'));
  t.true(definitions.length > 0);
  t.true(definitions.every((definition) => definition.builtIn && definition.file.startsWith(join(repoRoot(), 'rules'))));
});

test('the example custom rules load without errors', async (t) => {
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [join(repoRoot(), 'examples', 'rules')] });
  t.deepEqual(formatted(diagnostics), []);
});

test('the example rule in docs/rules.md is a valid rule', async (t) => {
  const docs = await readFile(join(repoRoot(), 'docs', 'rules.md'), 'utf8');
  const example = /```yaml\n(# yaml-language-server[^\n]*\nid: lfv-mfa-required\n[\s\S]*?)```/.exec(docs)?.[1];
  t.truthy(example, 'docs/rules.md has the lfv-mfa-required example');
  // laid out as in the repository: the rule in rules/, its eventFile in examples/records/
  const folder = tempFolder(t, 'rules');
  await mkdir(join(folder, 'rules'));
  await mkdir(join(folder, 'examples', 'records'), { recursive: true });
  const record = await readFile(join(repoRoot(), 'examples', 'records', 'create-dataset-no-mfa.json'), 'utf8');
  await writeFile(join(folder, 'examples', 'records', 'create-dataset-no-mfa.json'), record);
  await writeFile(join(folder, 'rules', 'lfv-mfa-required.yaml'), example ?? '');
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [join(folder, 'rules')] });
  t.deepEqual(formatted(diagnostics), []);
  t.is(definitions[0]?.id, 'lfv-mfa-required');
});
