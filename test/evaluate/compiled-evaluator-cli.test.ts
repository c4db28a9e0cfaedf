import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

/** A temp project holding a copy of the examples and the project's own config. */
async function exampleProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'engine');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await cp(path.join(repoRoot(), 'examples'), path.join(dir, 'examples'), { recursive: true });
  await cp(path.join(repoRoot(), '.lfvauditrc.yaml'), path.join(dir, '.lfvauditrc.yaml'));
  return dir;
}

async function runWith(dir: string, engineArgs: readonly string[], out: string): Promise<string> {
  const io = capturedIo(dir);
  const code = await main(['run', '--sink', `file:${path.join(dir, out)}`, ...engineArgs], io);
  if (code !== 0) throw new Error(`lfvaudit run ${engineArgs.join(' ')} exited ${code}: ${io.err()}`);
  return readFile(path.join(dir, out), 'utf8');
}

test('lfvaudit run writes the same findings with --engine reference, --engine compiled and the default', async (t) => {
  const dir = await exampleProject(t);
  const reference = await runWith(dir, ['--engine', 'reference'], 'reference.json');
  t.true((JSON.parse(reference) as { Findings: unknown[] }).Findings.length >= 10);
  t.is(await runWith(dir, ['--engine', 'compiled'], 'compiled.json'), reference);
  t.is(await runWith(dir, [], 'default.json'), reference);
});

test('an unknown --engine is a usage error naming the engines', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  t.is(await main(['run', '--engine', 'jit'], io), 2);
  t.regex(io.err(), /--engine "jit": expected compiled or reference/);
});
