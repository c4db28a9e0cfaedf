import test from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { findingsByRule, hostileProject, runHostile, seedRecord } from './hostile-project.js';

// Hostile rule and config files through the CLI: each refused with file:line:col and exit 2, before any
// event is read; a pattern that would backtrack catastrophically elsewhere runs in linear time (RE2).
// The loaders' own tests (test/ruleset/yaml-document.test.ts, test/config/load-config.test.ts) cover the parts.

/** Nine levels of nine aliases: 387 million strings once anything walks the value. */
function aliasBomb(indent: string): string {
  const levels = [`${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let level = 1; level < 9; level += 1) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`${indent}${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
  }
  return `${levels.join('\n')}\n`;
}

const CUSTOM_TAGS = [
  '!!js/function "function () { return true }"',
  '!!js/regexp /.*/',
  "!!js/undefined ''",
  '!<tag:yaml.org,2002:js/function> "function () { return true }"',
  '!!python/object:os.system ls',
];

/** Runs the CLI in the project; `err` holds what it printed (`rules validate` reports on stdout, `run` on stderr). */
async function lfvaudit(dir: string, argv: readonly string[]): Promise<{ status: number; err: string }> {
  const io = capturedIo(dir);
  const status = await main([...argv], io);
  return { status, err: io.out() + io.err() };
}

test('an alias bomb in the config is refused at its line and column before it expands, and the run reads nothing', async (t) => {
  const dir = await hostileProject(t, {});
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), `rules:\n  builtIn: true\nparams:\n${aliasBomb('  ')}`);
  const run = await lfvaudit(dir, ['run', '--source', `file:${path.join(dir, 'logs')}`, '--sink', `file:${path.join(dir, 'f.json')}`]);
  t.is(run.status, 2);
  t.regex(run.err, /\.lfvauditrc\.yaml:\d+:\d+: error yaml-aliases: aliases expand the document to more than 100000 nodes \(an alias bomb\?\)/);
  await t.throwsAsync(readFile(path.join(dir, 'f.json')), { code: 'ENOENT' });
});

test('an alias bomb in a rule file is refused at its line and column', async (t) => {
  const dir = await hostileProject(t, {});
  await writeFile(path.join(dir, 'bomb.yaml'), `id: bomb\n${aliasBomb('')}`);
  const run = await lfvaudit(dir, ['rules', 'validate', 'bomb.yaml']);
  t.is(run.status, 2);
  t.regex(run.err, /bomb\.yaml:\d+:\d+: error yaml-aliases: aliases expand the document to more than 100000 nodes/);
});

test('custom tags that could construct code are refused in rule files and in the config, each at its line and column', async (t) => {
  const dir = await hostileProject(t, {});
  await mkdir(path.join(dir, 'tagged'));
  for (const [index, tag] of CUSTOM_TAGS.entries()) {
    await writeFile(path.join(dir, 'tagged', `tagged-${index}.yaml`), `id: tagged-${index}\nconditions:\n  all: ${tag}\n`);
  }
  const rules = await lfvaudit(dir, ['rules', 'validate', 'tagged']);
  t.is(rules.status, 2);
  for (const [index, tag] of CUSTOM_TAGS.entries()) {
    const name = tag.split(' ')[0] ?? '';
    t.true(rules.err.includes(`tagged-${index}.yaml:3:8: error yaml-tag: tag ${name} is not allowed`), `${name}\n${rules.err}`);
  }

  await writeFile(path.join(dir, '.lfvauditrc.yaml'), `params:\n${CUSTOM_TAGS.map((tag, index) => `  p${index}: ${tag}`).join('\n')}\n`);
  const config = await lfvaudit(dir, ['rules', 'validate']);
  t.is(config.status, 2);
  for (const [index, tag] of CUSTOM_TAGS.entries()) {
    t.true(config.err.includes(`.lfvauditrc.yaml:${index + 2}:7: error yaml-tag: tag ${tag.split(' ')[0] ?? ''} is not allowed`), config.err);
  }
});

test('a 10 MB rule file is refused by size before it is parsed, naming the file and the limit', async (t) => {
  const dir = await hostileProject(t, {});
  const text = `id: huge\ndescription: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
  await writeFile(path.join(dir, 'huge.yaml'), text);
  const run = await lfvaudit(dir, ['rules', 'validate', 'huge.yaml']);
  t.is(run.status, 2);
  t.regex(run.err, /huge\.yaml: error file-too-large: the file is (\d+) bytes; rule and event files are limited to 1048576 bytes \(1 MiB\)/);
  t.is(/the file is (\d+) bytes/.exec(run.err)?.[1], String(text.length));
});

test('config parameters of the wrong type are errors at their line and column, and the run does not start', async (t) => {
  const dir = await hostileProject(t, {});
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    'rules:\n  builtIn: true\nparams:\n  allowedRegions: 42\n  mfaRequiredActions: [CreateDataset, 7]\n  allowedSourceCidrs: { a: 1 }\n',
  );
  const run = await lfvaudit(dir, ['run', '--source', `file:${path.join(dir, 'logs')}`, '--sink', `file:${path.join(dir, 'f.json')}`]);
  t.is(run.status, 2);
  t.regex(run.err, /\.lfvauditrc\.yaml:4:19: error param-type: params\.allowedRegions must be a list of strings/);
  t.regex(run.err, /\.lfvauditrc\.yaml:5:39: error param-type: params\.mfaRequiredActions\[1\] must be a string, not the number 7/);
  t.regex(run.err, /\.lfvauditrc\.yaml:6:23: error param-type: params\.allowedSourceCidrs must be a list of CIDR ranges/);
  await t.throwsAsync(readFile(path.join(dir, 'f.json')), { code: 'ENOENT' });
});

/** A custom rule with the pattern `^(a+)+$`, which takes exponential time in a backtracking engine on `aaa…a!`. */
const BACKTRACKING_RULE = `id: nested-quantifier
title: User agent made of a letters only
description: A pattern with a nested quantifier, exponential in a backtracking engine on a long run of a followed by another character.
severity: LOW
types: [Unusual Behaviors/Application/Odd User Agent]
remediation: { text: Look at the client. }
scope: { eventSource: [lookoutvision.amazonaws.com] }
groupBy: [principal]
conditions:
  all:
    - { fact: userAgent, operator: matches, value: "^(a+)+$" }
tests:
  - { name: only a, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateDataset, userAgent: aaaa } }
  - { name: a then !, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateDataset, userAgent: aaaa! } }
`;

test('a catastrophically backtracking pattern gets the right verdict on a 100,000-character input from both engines (RE2, linear time)', async (t) => {
  const long = 'a'.repeat(100_000);
  const events = await Promise.all([
    seedRecord({ eventID: 'only-a', userAgent: long }),
    seedRecord({ eventID: 'a-then-bang', userAgent: `${long}!` }),
    seedRecord({ eventID: 'bang-in-middle', userAgent: `${long}!${long}` }),
  ]);
  const dir = await hostileProject(t, { 'backtracking.json': JSON.stringify({ Records: events }) });
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'nested-quantifier.yaml'), BACKTRACKING_RULE);
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules:\n  builtIn: false\n  paths: [rules]\n');
  for (const engine of ['compiled', 'reference']) {
    const run = await runHostile(dir, ['--engine', engine]);
    t.is(run.status, 0, run.err);
    t.deepEqual(findingsByRule(run.findings), { 'nested-quantifier': '1' }, engine);
    t.deepEqual(run.findings[0]?.ProductFields?.['lfvaudit/SampleEventIds'], 'only-a');
  }
});
