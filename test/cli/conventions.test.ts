import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

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

test('rules, findings and state name a missing or mistyped subcommand alike: the choices, a did-you-mean, then their help', async (t) => {
  for (const [argv, message] of [
    [['rules'], 'missing subcommand: expected list, validate or test'],
    [['findings', 'lst'], `unknown subcommand "lst" (did you mean 'list'?): expected list or archive`],
    [['state', 'rest'], `unknown subcommand "rest" (did you mean 'reset'?): expected show, reset or unlock`],
    [['state', 'run'], `unknown subcommand "run" (did you mean 'lfvaudit run'?): expected show, reset or unlock`],
  ] as const) {
    const io = capturedIo(repoRoot());
    t.is(await main(argv, io), 2, argv.join(' '));
    const [command = ''] = argv;
    t.true(io.err().startsWith(`lfvaudit ${command}: ${message}\nUsage: lfvaudit ${command} `), io.err());
    t.is(io.out(), '');
  }
});

test('no command at all prints the usage on stderr and exits 2', async (t) => {
  const io = capturedIo(repoRoot());
  t.is(await main([], io), 2);
  t.is(io.out(), '');
  t.regex(io.err(), /^Usage: lfvaudit <command>/);
});

test('every command has a help with examples and a Docs line naming files that exist in the package', async (t) => {
  for (const command of ['run', 'init', 'findings', 'rules', 'explain', 'state']) {
    const io = capturedIo(repoRoot());
    t.is(await main(['help', command], io), 0, command);
    t.regex(io.out(), new RegExp(`\\nExamples:\\n  [^\\n]*lfvaudit ${command}`), command);
    const docs = /\nDocs: ([^]*)$/.exec(io.out())?.[1]?.trim().split(/\n\s+/) ?? [];
    t.true(docs.length > 0, command);
    for (const document of docs) t.true(existsSync(document) && document.startsWith(repoRoot()), `${command}: ${document}`);
  }
});

test('--since 0d and any window whose start is not before its end are usage errors naming the flag and the value', async (t) => {
  const dir = tempFolder(t, 'window');
  const source = `file:${path.join(repoRoot(), 'examples/records/seed-create-dataset.json')}`;
  for (const [argv, expected] of [
    [['--since', '0d'], '--since "0d" (2025-10-25T12:00:00.000Z) is not before now (2025-10-25T12:00:00.000Z): the window would be empty'],
    [['--since', '2025-10-02', '--until', '2025-10-01'], '--since "2025-10-02" (2025-10-02T00:00:00.000Z) is not before --until "2025-10-01"'],
    [['--since', '1w', '--until', '2w'], '--since "1w" (2025-10-18T12:00:00.000Z) is not before --until "2w" (2025-10-11T12:00:00.000Z)'],
  ] as const) {
    const io = capturedIo(dir);
    t.is(await main(['run', '--source', source, '--sink', 'stdout', ...argv], io), 2, argv.join(' '));
    t.true(io.err().startsWith(`lfvaudit run: ${expected}`), io.err());
  }
  const weeks = capturedIo(dir);
  t.is(await main(['run', '--source', source, '--sink', 'stdout', '--since', '1w', '--format', 'json'], weeks), 0, weeks.err());
  t.is((JSON.parse(weeks.out()) as { Summary: { window: { start: string } } }).Summary.window.start, '2025-10-18T12:00:00.000Z');
});

test('--sink replaces the config sinks, and every sink a run writes is named in its summary, table and JSON', async (t) => {
  const dir = tempFolder(t, 'sinks');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'sinks:\n  - { type: stdout }\n  - { type: file, path: findings.json }\n');
  const source = `file:${path.join(repoRoot(), 'examples/records/seed-create-dataset.json')}`;

  const replaced = capturedIo(dir);
  t.is(await main(['run', '--source', source, '--sink', 'stdout', '--format', 'json'], replaced), 0, replaced.err());
  t.false(existsSync(path.join(dir, 'findings.json')), 'the config sink is not written');
  t.deepEqual((JSON.parse(replaced.out()) as { Summary: { sinks: string[] } }).Summary.sinks, ['stdout']);

  // Without --sink, --format json still writes the config's findings.json, and says so.
  const json = capturedIo(dir);
  t.is(await main(['run', '--source', source, '--format', 'json'], json), 0, json.err());
  t.true(existsSync(path.join(dir, 'findings.json')));
  t.deepEqual((JSON.parse(json.out()) as { Summary: { sinks: string[] } }).Summary.sinks, ['stdout', `file:${path.join(dir, 'findings.json')}`]);
  t.true(json.err().includes(`"sinks":["stdout","file:${path.join(dir, 'findings.json')}"]`), json.err());

  const table = capturedIo(dir);
  t.is(await main(['run', '--source', source], table), 0, table.err());
  t.regex(table.out(), new RegExp(`^  Findings to +stdout, file:${path.join(dir, 'findings.json').replace(/[.]/g, '\\.')}$`, 'm'));
});
