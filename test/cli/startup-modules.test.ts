import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { modulesLoadedBy } from '../support/loaded-packages.js';
import { repoRoot } from '../support/repo-root.js';

/**
 * What each command loads (issue 17, point 8): a command imports what it needs when it needs it. These are
 * structural facts, not timings: which packages and which of lfvaudit's modules the real CLI loaded, in a
 * child process. Timings are the benchmark's (`npm run bench -- --startup`).
 */

/** The packages that cost most to load or set up (docs/performance.md, "Start-up"). */
const HEAVY_PACKAGES = ['ajv', 'json-rules-engine', 'cosmiconfig', 'js-yaml', 're2js', 'jsonpath-plus'];

const isAwsSdk = (name: string): boolean => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/');

/** ajv's compiler, as against the few runtime helpers (ajv/dist/runtime/) the validators generated at build time use. */
const isAjvCompiler = (file: string): boolean => /node_modules\/ajv\//.test(file) && !/node_modules\/ajv\/dist\/runtime\//.test(file);

const ownModule = (file: string): boolean => file.startsWith(`dist${path.sep}src${path.sep}`);
/** src/<stage>/… of a compiled module. */
const stageOf = (file: string): string => file.split(path.sep)[2] ?? '';

/** A folder with a package.json (so no config is found above it) and nothing else. */
async function emptyProject(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lfvaudit-startup-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'package.json'), '{}');
  return dir;
}

for (const option of ['--help', '--version']) {
  test(`lfvaudit ${option} loads no command, no pipeline stage and no dependency that costs start-up time`, async (t) => {
    const loaded = await modulesLoadedBy([option], await emptyProject(t));
    t.is(loaded.exitCode, 0);
    t.true(loaded.files.includes(path.join('dist', 'src', 'cli', 'main.js')), 'the module log saw the CLI itself');
    t.deepEqual(
      [...loaded.packages].filter((name) => HEAVY_PACKAGES.includes(name) || isAwsSdk(name)),
      [],
    );
    t.deepEqual(
      loaded.files.filter((file) => ownModule(file) && (!['bin', 'cli', 'shared'].includes(stageOf(file)) || file.endsWith('-command.js'))),
      [],
    );
  });
}

test('rules validate of the built-in pack loads neither the AWS SDK, json-rules-engine nor ajv’s schema compiler', async (t) => {
  const loaded = await modulesLoadedBy(['rules', 'validate'], await emptyProject(t));
  t.is(loaded.exitCode, 0);
  t.true(loaded.packages.has('js-yaml'), 'the module log saw the rule files being parsed');
  t.deepEqual(
    [...loaded.packages].filter((name) => name === 'json-rules-engine' || isAwsSdk(name)),
    [],
  );
  t.deepEqual(loaded.files.filter(isAjvCompiler), []);
});

test('rules test loads json-rules-engine, the reference its tests run on', async (t) => {
  // The other side of the tests above: the module log does see a CommonJS package loaded on demand.
  const loaded = await modulesLoadedBy(['rules', 'test'], await emptyProject(t));
  t.is(loaded.exitCode, 0);
  t.true(loaded.packages.has('json-rules-engine'));
});

test('a run over local files into a findings file loads neither the AWS SDK, json-rules-engine nor ajv’s schema compiler', async (t) => {
  const dir = await emptyProject(t);
  await mkdir(path.join(dir, 'events'));
  await copyFile(path.join(repoRoot(), 'examples', 'records', 'create-project-root.json'), path.join(dir, 'events', 'create-project-root.json'));
  const loaded = await modulesLoadedBy(['run', '--source', 'file:events', '--sink', 'file:findings.json'], dir);
  t.is(loaded.exitCode, 0);
  const findings = JSON.parse(await readFile(path.join(dir, 'findings.json'), 'utf8')) as { Findings: unknown[] };
  t.true(findings.Findings.length > 0, 'the run read its input and evaluated it');
  t.deepEqual(
    [...loaded.packages].filter((name) => name === 'json-rules-engine' || isAwsSdk(name)),
    [],
  );
  t.deepEqual(loaded.files.filter(isAjvCompiler), []);
});
