import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { configShapeAjv } from '../../src/config/config-shape-ajv.js';
import { schemaSha256 as configSchemaSha256, validate as generatedConfigValidator } from '../../src/config/config-shape-validator.js';
import { ruleShapeAjv } from '../../src/ruleset/rule-shape-ajv.js';
import { schemaSha256 as ruleSchemaSha256, validate as generatedRuleValidator } from '../../src/ruleset/rule-shape-validator.js';
import { schemaFileSha256 } from '../../src/shared/generated-validator.js';
import { repoRoot } from '../support/repo-root.js';

const run = promisify(execFile);
const schemaFile = (name: string): string => path.join(repoRoot(), 'schema', name);
const schemaOf = async (name: string): Promise<object> => JSON.parse(await readFile(schemaFile(name), 'utf8')) as object;

test('the build generated each validator from the schema file as it is now', (t) => {
  t.is(ruleSchemaSha256, schemaFileSha256(schemaFile('rule.schema.json')));
  t.is(configSchemaSha256, schemaFileSha256(schemaFile('config.schema.json')));
});

test('the generated rule validator reports exactly what ajv compiling the schema at run time reports', async (t) => {
  const compiled = ruleShapeAjv().compile(await schemaOf('rule.schema.json'));
  const broken = { id: 'Bad Id', title: 3, severity: 'SEVERE', scope: { eventSource: 'any', evntName: ['CreateProject'] }, conditions: { al: [] }, tests: [] };
  t.false(generatedRuleValidator(broken));
  t.false(compiled(broken));
  t.true((generatedRuleValidator.errors ?? []).length > 3);
  t.deepEqual(generatedRuleValidator.errors, compiled.errors);
});

test('the generated config validator reports exactly what ajv compiling the schema at run time reports', async (t) => {
  const compiled = configShapeAjv().compile(await schemaOf('config.schema.json'));
  const broken = { sources: [{ type: 'fiel', path: 'x' }, { type: 's3' }], sinks: [{ type: 'stdout', format: 'xml' }], since: 4 };
  t.false(generatedConfigValidator(broken));
  t.false(compiled(broken));
  t.true((generatedConfigValidator.errors ?? []).length > 2);
  t.deepEqual(generatedConfigValidator.errors, compiled.errors);
});

test('rule files are refused, not checked against an older schema, when the schema changed after the build', async (t) => {
  // A copy of the built package whose rule schema gained a key since its validators were generated.
  const copy = await mkdtemp(path.join(os.tmpdir(), 'lfvaudit-stale-schema-'));
  t.teardown(() => rm(copy, { recursive: true, force: true }));
  await cp(path.join(repoRoot(), 'package.json'), path.join(copy, 'package.json'));
  await cp(path.join(repoRoot(), 'dist', 'src'), path.join(copy, 'dist', 'src'), { recursive: true });
  await cp(path.join(repoRoot(), 'rules'), path.join(copy, 'rules'), { recursive: true });
  await cp(path.join(repoRoot(), 'examples'), path.join(copy, 'examples'), { recursive: true });
  await symlink(path.join(repoRoot(), 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  const schema = (await schemaOf('rule.schema.json')) as { properties: Record<string, unknown> };
  schema.properties['owner'] = { description: 'added after the build', type: 'string' };
  await cp(path.join(repoRoot(), 'schema'), path.join(copy, 'schema'), { recursive: true });
  await writeFile(path.join(copy, 'schema', 'rule.schema.json'), JSON.stringify(schema, null, 2));

  const failure = await run(process.execPath, [path.join(copy, 'dist', 'src', 'bin', 'lfvaudit.js'), 'rules', 'validate'], { cwd: copy }).then(
    () => undefined,
    (error: unknown) => error as { code: number; stderr: string },
  );
  t.is(failure?.code, 2);
  t.regex(failure?.stderr ?? '', /rule\.schema\.json is out of date .*npm run build/);
});
