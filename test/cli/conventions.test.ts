import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';

const version = (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

for (const flag of ['--version', '-V']) {
  test(`${flag} prints the package's version and exits 0`, async (t) => {
    const io = capturedIo(repoRoot());
    t.is(await main([flag], io), 0);
    t.is(io.out(), `lfvaudit ${version}\n`);
  });
}

test('lfvaudit help run prints what run --help prints', async (t) => {
  const viaHelp = capturedIo(repoRoot());
  const viaFlag = capturedIo(repoRoot());
  t.is(await main(['help', 'run'], viaHelp), 0);
  t.is(await main(['run', '--help'], viaFlag), 0);
  t.regex(viaHelp.out(), /^Usage: lfvaudit run/);
  t.is(viaHelp.out(), viaFlag.out());
});

test('a mistyped option is a usage error naming the closest one, without parseArgs advice', async (t) => {
  const io = capturedIo(repoRoot());
  t.is(await main(['run', '--sourc', 'file:x'], io), 2);
  t.is(io.err(), "lfvaudit run: unknown option --sourc (did you mean '--source'?)\nRun 'lfvaudit run --help' for its options.\n");
});

test('a mistyped command suggests the closest', async (t) => {
  const io = capturedIo(repoRoot());
  t.is(await main(['explian'], io), 2);
  t.regex(io.err(), /^lfvaudit: unknown command "explian" \(did you mean 'explain'\?\)\n/);
});

test('rules init points at lfvaudit init; a mistyped rules subcommand suggests the closest', async (t) => {
  const init = capturedIo(repoRoot());
  t.is(await main(['rules', 'init'], init), 2);
  t.regex(init.err(), /unknown subcommand "init" \(did you mean 'lfvaudit init'\?\)/);
  const typo = capturedIo(repoRoot());
  t.is(await main(['rules', 'valdate'], typo), 2);
  t.regex(typo.err(), /unknown subcommand "valdate" \(did you mean 'validate'\?\)/);
});

test('no command at all prints the usage on stderr and exits 2', async (t) => {
  const io = capturedIo(repoRoot());
  t.is(await main([], io), 2);
  t.is(io.out(), '');
  t.regex(io.err(), /^Usage: lfvaudit <command>/);
});
