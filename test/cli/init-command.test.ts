import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { main } from '../../src/cli/main.js';
import { STARTER_RULE_FILE } from '../../src/cli/init-templates.js';
import { capturedIo } from '../support/captured-io.js';

/** A fresh folder where `lfvaudit init` has run. */
async function initialised(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lfvaudit-init-'));
  await writeFile(path.join(dir, 'package.json'), '{}');
  const io = capturedIo(dir);
  if ((await main(['init'], io)) !== 0) throw new Error(io.err());
  return dir;
}

test('what init writes passes rules validate without an error', async (t) => {
  const dir = await initialised();
  const io = capturedIo(dir);
  t.is(await main(['rules', 'validate'], io), 0, io.out());
  t.regex(io.out(), /\n12 rules loaded, 0 errors, \d+ warnings\n$/);
  t.notRegex(io.out(), / error /);
});

test('the example rule init writes passes its own embedded tests', async (t) => {
  const dir = await initialised();
  const io = capturedIo(dir);
  t.is(await main(['rules', 'test', 'rules'], io), 0, io.out() + io.err());
  t.regex(io.out(), new RegExp(`^custom-create-project-outside-change-window \\(rules/${STARTER_RULE_FILE.replaceAll('.', '\\.')}\\)\n`));
  t.regex(io.out(), /\n2 passed, 0 failed\n$/);
});

test("the starter config's commented suppression example validates once uncommented", async (t) => {
  const dir = await initialised();
  const file = path.join(dir, '.lfvauditrc.yaml');
  const text = await readFile(file, 'utf8');
  const example = text.slice(text.indexOf('# suppressions:')).replace(/^# ?/gm, '').replace(/ *# example.*$/m, '');
  t.regex(example, /^suppressions:\n {2}- rule: lfv-long-term-access-key\n/);
  await writeFile(file, `${text.slice(0, text.indexOf('# suppressions:'))}${example}`);
  const io = capturedIo(dir, { now: new Date('2026-06-01T00:00:00Z') });
  t.is(await main(['rules', 'validate'], io), 0, io.out());
  t.regex(io.out(), /\n12 rules loaded, 0 errors, \d+ warnings\n$/);
  t.notRegex(io.out(), /suppressions/);
});
