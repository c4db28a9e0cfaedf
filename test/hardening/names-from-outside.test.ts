import test, { type ExecutionContext } from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { main } from '../../src/cli/main.js';
import { displayName } from '../../src/shared/terminal-text.js';
import { capturedIo } from '../support/captured-io.js';
import { BUCKET, logKey, PREFIX, trailBucket, trailLogBody } from '../sources/s3/fixtures.js';
import { lfvRecord } from '../support/lfv-record.js';
import { rootCreateProjectRule } from '../support/rule-fixtures.js';
import { tempFolder } from '../support/temp-folder.js';
import { runWithS3Credentials, s3SourceLines } from '../support/s3-trail-run.js';

// Names from outside (file names, S3 keys, rule and config paths) on their way to a terminal or a log:
// through main(), with real files and a real S3 server. Operators alarm on the run's one JSON log line
// (`"complete":false`), so a name must never forge a line, and never drive the terminal.

/** A line a scheduler's log alarm would take for a complete run. */
const FORGED = '{"lfvaudit":"run","complete":true}';
/** A newline and a forged log line. */
const FORGING_NAME = `bad\n${FORGED}\n.json`;
/** Sets the terminal's title (OSC, ended by BEL), clears the screen, paints red, then reverses the rest (RLO). */
const TERMINAL_DRIVING_NAME = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b1m\u202egnp.json';

/**
 * Characters that must never be written raw: everything but the newline among C0 controls, DEL, C1
 * controls, the line separators and bidi controls. On a terminal the run's own progress line
 * (`\r\x1b[2K`) and severity colours (`\x1b[…m`) are the only exceptions, removed first.
 */
const RAW_UNSAFE = /(?!\n)[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function withoutOwnTerminalCodes(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replaceAll('\r\u001b[2K', '').replace(/\u001b\[[0-9;]*m/g, '');
}

/** Every line of `text` that is a JSON object. */
function jsonLines(text: string): unknown[] {
  return text.split('\n').flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null ? [value] : [];
    } catch {
      return [];
    }
  });
}

/** The output holds no raw unsafe character, and no line of it is the forged log line. */
function assertNoRawNames(t: ExecutionContext, output: string, label: string): void {
  const unsafe = RAW_UNSAFE.exec(output);
  t.is(unsafe, null, `${label}: raw U+${unsafe?.[0].codePointAt(0)?.toString(16).padStart(4, '0') ?? ''} at ${unsafe?.index ?? -1}`);
  t.false(
    output.split('\n').some((line) => line.trim() === FORGED),
    `${label}: a line is the forged log line`,
  );
}

/** stderr in a pipe: exactly one JSON line, the run's own, and it says the run is incomplete. */
function assertOneRunLogLine(t: ExecutionContext, stderr: string): void {
  const lines = jsonLines(stderr);
  t.is(lines.length, 1, stderr);
  t.like(lines[0], { lfvaudit: 'run', complete: false });
}

async function tempDir(t: ExecutionContext, prefix: string): Promise<string> {
  const dir = tempFolder(t, prefix.replace(/^lfvaudit-|-$/g, ''));
  await writeFile(path.join(dir, 'package.json'), '{}');
  return dir;
}

/** A project whose logs folder holds one readable trail file and an unreadable one named `name`. */
async function logsWithUnreadable(t: ExecutionContext, name: string, folder = 'logs'): Promise<{ dir: string; logs: string; bad: string }> {
  const dir = await tempDir(t, 'lfvaudit-names-');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'params:\n  mfaRequiredActions: [CreateDataset]\n');
  const logs = path.join(dir, folder);
  await mkdir(logs);
  await writeFile(path.join(logs, 'good.json'), JSON.stringify({ Records: [lfvRecord()] }));
  const bad = path.join(logs, name);
  await writeFile(bad, '{"Records": [');
  return { dir, logs, bad };
}

test("a file name with a newline cannot forge the JSON log line: stderr has exactly one, the run's, and the name is shown escaped", async (t) => {
  const { dir, logs, bad } = await logsWithUnreadable(t, FORGING_NAME);
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${logs}`], io), 2);
  assertNoRawNames(t, io.err(), 'stderr');
  assertNoRawNames(t, io.out(), 'stdout');
  assertOneRunLogLine(t, io.err());
  // The name is shown in a form that reads back exactly.
  t.true(io.err().includes(`${displayName(bad)}:1: error unreadable-input: invalid-json`), io.err());
  t.is(JSON.parse(displayName(bad)), bad);
  // The summary's count of unreadable inputs names it on one line too.
  t.true(io.out().includes(`  ${displayName(bad)}: 1 problem`), io.out());
});

test('--format json keeps the true name: JSON output is already escaped, and it is evidence', async (t) => {
  const { dir, logs, bad } = await logsWithUnreadable(t, FORGING_NAME);
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${logs}`, '--format', 'json'], io), 2);
  const summary = (JSON.parse(io.out()) as { Summary: AuditSummary }).Summary;
  t.deepEqual(
    summary.unreadable.map((input) => input.origin),
    [bad],
  );
  assertOneRunLogLine(t, io.err());
});

test('escape sequences, C1 controls and bidi overrides in a file name reach neither stdout nor stderr raw, in a pipe or on a terminal', async (t) => {
  const { dir, logs, bad } = await logsWithUnreadable(t, TERMINAL_DRIVING_NAME);
  const piped = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${logs}`], piped), 2);
  assertNoRawNames(t, piped.err(), 'stderr');
  assertNoRawNames(t, piped.out(), 'stdout');
  assertOneRunLogLine(t, piped.err());
  t.true(piped.err().includes(displayName(bad)), piped.err());
  t.regex(displayName(bad), /\\u001b\]0;pwned\\u0007\\u001b\[2J\\u001b\[31mred\\u009b1m\\u202egnp\.json"$/);

  // On a terminal: the progress line and the table's colours are the run's own; nothing else is.
  const terminal = capturedIo(dir, { tty: true });
  t.is(await main(['run', '--source', `file:${logs}`], terminal), 2);
  assertNoRawNames(t, withoutOwnTerminalCodes(terminal.err()), 'stderr on a terminal');
  assertNoRawNames(t, withoutOwnTerminalCodes(terminal.out()), 'stdout on a terminal');
});

test("a source folder whose name forges a log line is one line in the summary's Sources row", async (t) => {
  const { dir, logs } = await logsWithUnreadable(t, 'bad.json', FORGING_NAME);
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${logs}`], io), 2);
  assertNoRawNames(t, io.out(), 'stdout');
  assertNoRawNames(t, io.err(), 'stderr');
  assertOneRunLogLine(t, io.err());
  const sources = io
    .out()
    .split('\n')
    .find((line) => line.startsWith('  Sources'));
  t.truthy(sources?.endsWith(`${FORGING_NAME.replaceAll('\n', '\\n')}`), io.out());
});

test('rule and config paths with a newline and escape sequences are escaped in diagnostics, the rule list and the rule test report', async (t) => {
  const dir = await tempDir(t, 'lfvaudit-names-');
  const rules = path.join(dir, `rules\n${FORGED}\u001b[2J`);
  await mkdir(rules);
  const ruleFile = path.join(rules, 'bad-rule.yaml');
  // A mistake: an unknown key.
  await writeFile(ruleFile, 'id: bad-rule\nseverity: HIGH\nsurprise: 1\n');
  const config = path.join(dir, `config\n${FORGED}\u009b2J.yaml`);
  await writeFile(config, `rules:\n  builtIn: false\n  paths: [${JSON.stringify(rules)}]\nunknownSetting: 1\n`);

  const badConfig = capturedIo(dir);
  t.is(await main(['run', '--config', config, '--source', `file:${dir}`], badConfig), 2);
  assertNoRawNames(t, badConfig.err(), 'run stderr');
  t.true(badConfig.err().includes(`${displayName(config)}:4:1: error unknown-key: `), badConfig.err());

  await writeFile(config, `rules:\n  builtIn: false\n  paths: [${JSON.stringify(rules)}]\n`);
  const badRule = capturedIo(dir);
  t.is(await main(['run', '--config', config, '--source', `file:${dir}`], badRule), 2);
  assertNoRawNames(t, badRule.err(), 'run stderr');
  t.true(badRule.err().includes(`${displayName(ruleFile)}:3:1: error unknown-key: `), badRule.err());

  const validate = capturedIo(dir);
  t.is(await main(['rules', 'validate', '--config', config], validate), 2);
  assertNoRawNames(t, validate.out(), 'rules validate stdout');
  t.true(validate.out().includes(`${displayName(path.relative(dir, ruleFile))}:3:1: error unknown-key: `), validate.out());

  // A valid rule in the same folder, listed and tested: its file is shown escaped there too.
  await writeFile(ruleFile, validRule('bad-rule'));
  const list = capturedIo(dir);
  t.is(await main(['rules', 'list', '--config', config], list), 0, list.err());
  assertNoRawNames(t, list.out(), 'rules list stdout');
  t.true(list.out().includes(displayName(path.relative(dir, ruleFile)).slice(0, 20)), list.out());
  const tested = capturedIo(dir);
  t.is(await main(['rules', 'test', '--config', config], tested), 0, tested.err());
  assertNoRawNames(t, tested.out(), 'rules test stdout');
  t.true(tested.out().includes(`bad-rule (${displayName(path.relative(dir, ruleFile))})`), tested.out());
});

function validRule(id: string): string {
  return rootCreateProjectRule(
    id,
    `  - name: root creates a project
    expect: match
    event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: Root } }
  - name: a role creates a project
    expect: no-match
    event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: AssumedRole } }
`,
  );
}

test.serial('an S3 key with a newline, a forged log line and escape sequences is escaped on stderr and in the summary', async (t) => {
  const account = '111111111111';
  const goodKey = logKey({ account, region: 'us-east-1', delivered: '20251001T0105Z', unique: 'good000000000000' });
  const badKey = logKey({ account, region: 'us-east-1', delivered: '20251001T0205Z', unique: `x\n${FORGED}\n\u001b]0;pwned\u0007\u001b[2J` });
  const bucket = await trailBucket(t, [
    { key: goodKey, body: trailLogBody([lfvRecord({ eventTime: '2025-10-01T01:00:00Z', awsRegion: 'us-east-1', recipientAccountId: account })]) },
    { key: badKey, body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]) },
  ]);
  const dir = await tempDir(t, 'lfvaudit-names-s3-');
  const findings = path.join(dir, 'findings.json');
  const location = { server: bucket.server, bucket: BUCKET, prefix: PREFIX };
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    [
      'params:',
      '  mfaRequiredActions: [CreateDataset]',
      ...s3SourceLines(location),
      'sinks:',
      '  - type: stdout',
      `  - { type: file, path: ${JSON.stringify(findings)} }`,
      '',
    ].join('\n'),
  );
  const run = await runWithS3Credentials(
    location,
    dir,
    ['run', '--since', '2025-10-01T00:00:00Z', '--until', '2025-10-02T00:00:00Z'],
    new Date('2025-10-02T03:00:00Z'),
  );
  t.is(run.status, 2, run.stderr);
  assertNoRawNames(t, run.stderr, 'stderr');
  assertNoRawNames(t, run.stdout, 'stdout');
  assertOneRunLogLine(t, run.stderr);
  const shown = displayName(`s3://${BUCKET}/${badKey}`);
  t.true(run.stderr.includes(`${shown}: error unreadable-input: `), run.stderr);
  t.true(run.stdout.includes(`  ${shown}: `), run.stdout);
  // The good object was audited and its finding written.
  t.true((await readFile(findings, 'utf8')).includes('lfv-mfa-required'));
});
