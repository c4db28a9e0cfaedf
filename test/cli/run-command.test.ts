import { cp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { stripVTControlCharacters } from 'node:util';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import test, { type ExecutionContext } from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { main } from '../../src/cli/main.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

const root = repoRoot();

/** A temp project holding a copy of the examples and the project's own config. */
async function exampleProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'run');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await cp(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
  await cp(path.join(root, '.lfvauditrc.yaml'), path.join(dir, '.lfvauditrc.yaml'));
  return dir;
}

async function readFindings(file: string): Promise<AwsSecurityFinding[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
}

function productField(finding: AwsSecurityFinding, name: string): string | undefined {
  return finding.ProductFields?.[name];
}

test('the bundled examples are audited: a table on stdout, valid ASFF in findings.json, exit 0', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  t.is(await main(['run'], io), 0, io.err());
  const findings = await readFindings(path.join(dir, 'findings.json'));
  t.true(findings.length >= 10);
  for (const finding of findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
  const ruleIds = new Set(findings.map((finding) => productField(finding, 'lfvaudit/RuleId')));
  for (const id of [
    'lfv-root-credentials',
    'lfv-mfa-required',
    'lfv-source-ip-allowlist',
    'lfv-long-term-access-key',
    'lfv-destructive-action',
    'lfv-model-packaging-unapproved-bucket',
    'lfv-cross-account-caller',
    'lfv-outdated-tls',
    'lfv-unapproved-region',
  ]) {
    t.true(ruleIds.has(id), `no finding for ${id}`);
  }
  t.regex(io.out(), /CRITICAL/);
  t.regex(io.out(), /lfv-root-credentials/);
  // Not a terminal: one JSON line for a scheduler's logs.
  const logLine = JSON.parse(io.err().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  t.is(logLine['complete'], true);
  t.is(logLine['duplicateRecords'], 1);
});

test('the seed CreateDataset record is flagged by lfv-mfa-required and by nothing it should not be', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  const out = path.join(dir, 'seed-findings.json');
  t.is(await main(['run', '--source', `file:${path.join(root, 'examples/records/seed-create-dataset.json')}`, '--sink', `file:${out}`], io), 0, io.err());
  const findings = await readFindings(out);
  const ruleIds = findings.map((finding) => productField(finding, 'lfvaudit/RuleId')).sort();
  // The seed: AssumedRole, mfaAuthenticated "false", CreateDataset on P1 from 128.0.0.1 (outside the example CIDRs).
  t.deepEqual(ruleIds, ['lfv-mfa-required', 'lfv-source-ip-allowlist']);
  const mfa = findings.find((finding) => productField(finding, 'lfvaudit/RuleId') === 'lfv-mfa-required');
  t.is(mfa?.AwsAccountId, '123456789012');
  t.true(mfa?.Resources?.some((resource) => resource.Id === 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1'));
  t.is(productField(mfa!, 'lfvaudit/EventCount'), '1');
  t.regex(mfa?.Title ?? '', /MFA/);
});

test('an event delivered twice counts once in its finding', async (t) => {
  const dir = await exampleProject(t);
  const seed = await readFile(path.join(root, 'examples/records/seed-create-dataset.json'), 'utf8');
  const logs = path.join(dir, 'twice');
  await mkdir(logs);
  await writeFile(path.join(logs, 'a.json'), JSON.stringify({ Records: [JSON.parse(seed)] }));
  await writeFile(path.join(logs, 'b.json.gz'), gzipSync(JSON.stringify({ Records: [JSON.parse(seed)] })));
  const io = capturedIo(dir);
  const out = path.join(dir, 'twice.json');
  t.is(await main(['run', '--source', `file:${logs}`, '--sink', `file:${out}`], io), 0, io.err());
  const mfa = (await readFindings(out)).find((finding) => productField(finding, 'lfvaudit/RuleId') === 'lfv-mfa-required');
  t.is(productField(mfa!, 'lfvaudit/EventCount'), '1');
});

test('an unreadable input is listed, the readable ones are still audited and written, and the exit status is 2', async (t) => {
  const dir = await exampleProject(t);
  await writeFile(path.join(dir, 'examples/logs/broken.json'), '{"Records": [ {"eventName": ');
  const io = capturedIo(dir);
  t.is(await main(['run'], io), 2);
  t.regex(io.err(), /broken\.json.*unreadable-input/);
  t.regex(io.err(), /incomplete/);
  const findings = await readFindings(path.join(dir, 'findings.json'));
  t.true(findings.length >= 10);
});

test('--fail-on exits 1 when a finding is at or above the threshold, 0 otherwise', async (t) => {
  const dir = await exampleProject(t);
  const seed = path.join(root, 'examples/records/seed-create-dataset.json');
  const sink = `file:${path.join(dir, 'f.json')}`;
  t.is(await main(['run', '--source', `file:${seed}`, '--sink', sink, '--fail-on', 'HIGH'], capturedIo(dir)), 1);
  t.is(await main(['run', '--source', `file:${seed}`, '--sink', sink, '--fail-on', 'critical'], capturedIo(dir)), 0);
});

test('--since/--until keep only events inside the window and count the rest', async (t) => {
  const dir = await exampleProject(t);
  const io = capturedIo(dir);
  t.is(await main(['run', '--since', '2025-10-21', '--until', '2025-10-22', '--format', 'json', '--sink', 'stdout'], io), 0, io.err());
  const report = JSON.parse(io.out()) as { Summary: { outsideWindow: number; recordsEvaluated: number } };
  t.true(report.Summary.outsideWindow > 0);
  t.true(report.Summary.recordsEvaluated < 26);
});

test('a rule with a mistake stops the run with file:line:col and exit 2', async (t) => {
  const dir = await exampleProject(t);
  await writeFile(
    path.join(dir, 'examples/rules/broken-rule.yaml'),
    (await readFile(path.join(root, 'examples/rules/custom-s3-getobject-by-root.yaml'), 'utf8'))
      .replace('id: custom-s3-getobject-by-root', 'id: broken-rule')
      .replace(/operator: equal/, 'operator: equals'),
  );
  const io = capturedIo(dir);
  t.is(await main(['run'], io), 2);
  t.regex(io.err(), /broken-rule\.yaml:\d+:\d+: error unknown-operator: .*'equals'.*did you mean 'equal'/);
});

test('a config mistake stops the run with the file, the key path and exit 2', async (t) => {
  const dir = await exampleProject(t);
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'sinks:\n  - type: stdout\n    colour: true\n');
  const io = capturedIo(dir);
  t.is(await main(['run'], io), 2);
  t.regex(io.err(), /\.lfvauditrc\.yaml.*sinks\[0\]\.colour: unknown key/);
});

test('usage mistakes exit 2 with a message', async (t) => {
  const dir = await exampleProject(t);
  for (const argv of [
    ['run', '--fail-on', 'SEVERE'],
    ['run', '--source', 'ftp://x'],
    ['run', '--bogus'],
    ['run', '--since', '2025-10-02', '--until', '2025-10-01'],
    ['run', '--shard', '3/3'],
    ['run', '--shard', '0/2'],
    ['nope'],
  ]) {
    const io = capturedIo(dir);
    t.is(await main(argv, io), 2, argv.join(' '));
    t.not(io.err(), '');
  }
});

test('a suppression silences its matches, which the summary counts; an expired one warns and no longer applies', async (t) => {
  const dir = await exampleProject(t);
  const config = await readFile(path.join(dir, '.lfvauditrc.yaml'), 'utf8');
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    `${config}suppressions:
  - rule: lfv-outdated-tls
    reason: legacy camera gateway, replacement ordered (SEC-42)
    expires: 2026-01-31
  - rule: lfv-root-credentials
    reason: break-glass drill
    expires: 2025-01-01
`,
  );
  const io = capturedIo(dir);
  t.is(await main(['run', '--format', 'json', '--sink', 'stdout'], io), 0, io.err());
  const report = JSON.parse(io.out()) as { Findings: AwsSecurityFinding[]; Summary: { suppressed: { rule: string; count: number; reason: string }[] } };
  const ruleIds = new Set(report.Findings.map((finding) => productField(finding, 'lfvaudit/RuleId')));
  t.false(ruleIds.has('lfv-outdated-tls'));
  t.deepEqual(
    report.Summary.suppressed.map((entry) => [entry.rule, entry.count]),
    [['lfv-outdated-tls', 1]],
  );
  t.true(ruleIds.has('lfv-root-credentials'));
  t.regex(io.err(), /\.lfvauditrc\.yaml:\d+:\d+: warning .*expired/);
});

test('on a terminal stderr shows a progress line and no JSON log line; in a pipe it is the other way round', async (t) => {
  const dir = await exampleProject(t);
  const terminal = capturedIo(dir, { tty: true });
  t.is(await main(['run', '--sink', `file:${path.join(dir, 'f.json')}`], terminal), 0, terminal.err());
  t.true(terminal.err().includes('\r\x1b[2Kread '));
  t.false(terminal.err().includes('{"lfvaudit":"run"'));
  const pipe = capturedIo(dir, { tty: false });
  t.is(await main(['run', '--sink', `file:${path.join(dir, 'f.json')}`], pipe), 0, pipe.err());
  t.false(pipe.err().includes('\r'));
  t.true(pipe.err().includes('{"lfvaudit":"run"'));
});

test('the findings table fits a terminal, and in a pipe keeps every cell whole for grep', async (t) => {
  const dir = await exampleProject(t);
  const title = 'Lookout for Vision API called with root user credentials: root (weld-seam-inspection)';
  const terminal = capturedIo(dir, { tty: true });
  t.is(await main(['run', '--sink', 'stdout'], terminal), 0, terminal.err());
  const terminalTable = terminal.out().split('\n\nSummary')[0] ?? '';
  for (const line of terminalTable.split('\n')) t.true(stripVTControlCharacters(line).length <= 120, line);
  // Too narrow for the table with whole titles: findings as blocks, the title wrapped, never cut.
  t.true(terminalTable.replace(/\s+/g, ' ').includes(title), terminalTable);
  const pipe = capturedIo(dir, { tty: false });
  t.is(await main(['run', '--sink', 'stdout'], pipe), 0, pipe.err());
  t.regex(pipe.out(), new RegExp(`^CRITICAL +lfv-root-credentials +root +weld-seam-inspection +1 +2025-10-20 11:56 +${title.replace(/[()]/g, '\\$&')}$`, 'm'));
});

test('a finding whose records name no account gets a notice saying how to attribute it, and securityHub.accountId does', async (t) => {
  const dir = tempFolder(t, 'run');
  await writeFile(path.join(dir, 'package.json'), '{}');
  const record = {
    eventVersion: '1.08',
    eventID: 'no-account-1',
    eventTime: '2025-10-20T10:00:00Z',
    eventSource: 'lookoutvision.amazonaws.com',
    eventName: 'CreateProject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.1',
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::root' },
    requestParameters: { projectName: 'p' },
  };
  await writeFile(path.join(dir, 'trail.json'), JSON.stringify({ Records: [record] }));
  const args = ['run', '--source', `file:${path.join(dir, 'trail.json')}`, '--sink', `file:${path.join(dir, 'findings.json')}`];

  const unattributed = capturedIo(dir);
  t.is(await main(args, unattributed), 0, unattributed.err());
  t.regex(unattributed.err(), /^findings: notice: 1 finding has no AWS account: .* set securityHub\.accountId in the config to attribute them/m);
  t.is((await readFindings(path.join(dir, 'findings.json')))[0]?.AwsAccountId, '-');

  await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'securityHub: { accountId: "123456789012", region: us-east-1, settleSeconds: 0.05 }\n');
  const attributed = capturedIo(dir);
  t.is(await main(args, attributed), 0, attributed.err());
  t.false(attributed.err().includes('no AWS account'));
  const [finding] = await readFindings(path.join(dir, 'findings.json'));
  t.is(finding?.AwsAccountId, '123456789012');
  t.deepEqual(finding === undefined ? ['none'] : validateAsffFinding(finding), []);
});
