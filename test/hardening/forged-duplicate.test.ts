import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test, { type ExecutionContext } from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { ExitStatus } from '../../src/cli/exit-status.js';
import { emulatorEnvironment, startAwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvRecord } from '../support/lfv-record.js';
import { tempFolder } from '../support/temp-folder.js';

// Whoever can write to a trail's bucket can add a record that reuses a real event's eventID with benign
// content. Deduplicating on the eventID alone, first record wins, made the real event vanish when the
// forged copy was read first ("No findings", exit 0). A redelivery (same eventID, same content) must
// still count once; the same eventID with other content is an integrity conflict: both records are
// evaluated, the run names the file and the eventID, and exits 3.

const EVENT_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

/** The root user deleting project P1: what an intruder wants gone from the audit. */
const REAL = lfvRecord({
  eventID: EVENT_ID,
  eventName: 'DeleteProject',
  userIdentity: { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
  sourceIPAddress: '10.1.2.3',
  requestParameters: { projectName: 'P1' },
  responseElements: { projectArn: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' },
});

/** The same eventID on a read by an MFA-authenticated role from an allowed address: no rule fires. */
const FORGED = lfvRecord({
  eventID: EVENT_ID,
  eventName: 'DescribeProject',
  readOnly: true,
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEADMIN:MyUser',
    arn: 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser',
    accountId: '123456789012',
    sessionContext: { attributes: { creationDate: '2025-10-01T08:00:00Z', mfaAuthenticated: 'true' } },
  },
  sourceIPAddress: '10.1.2.3',
  requestParameters: { projectName: 'P1' },
  responseElements: null,
});

const CONFIG = `rules:
  builtIn: true
params:
  mfaRequiredActions: [CreateDataset, DeleteProject]
  allowedSourceCidrs: [10.0.0.0/8]
  allowedRegions: [us-east-1]
securityHub:
  settleSeconds: 0.05
`;

interface Run {
  readonly status: number;
  readonly out: string;
  readonly err: string;
  readonly findings: AwsSecurityFinding[];
  readonly log: Record<string, unknown>;
}

/** A project whose logs/ folder holds these files, each `{"Records": [...]}` (files are read in name order). */
async function project(t: ExecutionContext, files: Readonly<Record<string, readonly unknown[] | string>>): Promise<string> {
  const dir = tempFolder(t, 'forged');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), CONFIG);
  await mkdir(path.join(dir, 'logs'));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, 'logs', name), typeof content === 'string' ? content : JSON.stringify({ Records: content }));
  }
  return dir;
}

async function run(dir: string, extraArgs: readonly string[] = []): Promise<Run> {
  const io = capturedIo(dir);
  const out = path.join(dir, 'findings.json');
  const status = await main(['run', '--source', `file:${path.join(dir, 'logs')}`, '--sink', `file:${out}`, '--sink', 'stdout', ...extraArgs], io);
  const findings = (JSON.parse(await readFile(out, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
  const logLines = io
    .err()
    .split('\n')
    .filter((line) => line.startsWith('{'));
  const log = JSON.parse(logLines.at(-1) ?? '{}') as Record<string, unknown>;
  return { status, out: io.out(), err: io.err(), findings, log };
}

function ruleIds(findings: readonly AwsSecurityFinding[]): string[] {
  return findings.map((finding) => finding.ProductFields?.['lfvaudit/RuleId'] ?? '?').sort();
}

function rootFinding(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding | undefined {
  return findings.find((finding) => finding.ProductFields?.['lfvaudit/RuleId'] === 'lfv-root-credentials');
}

test('the forged record alone raises nothing: it is the benign cover the attack relies on', async (t) => {
  const dir = await project(t, { 'forged.json': [FORGED] });
  const alone = await run(dir);
  t.is(alone.status, ExitStatus.ok, alone.err);
  t.deepEqual(alone.findings, []);
  t.regex(alone.out, /No findings\./);
});

for (const [order, files] of [
  ['forged read first', { 'a-forged.json': [FORGED], 'b-real.json': [REAL] }],
  ['real read first', { 'a-real.json': [REAL], 'b-forged.json': [FORGED] }],
] as const) {
  test(`${order}: the real root DeleteProject is reported, the conflict is named in stderr, the summary and the log line, exit 3`, async (t) => {
    const dir = await project(t, files);
    const result = await run(dir);
    const later = Object.keys(files)[1] ?? '';
    t.is(result.status, ExitStatus.integrityConflict, result.err);
    t.deepEqual(ruleIds(result.findings), ['lfv-destructive-action', 'lfv-mfa-required', 'lfv-root-credentials']);
    t.is(rootFinding(result.findings)?.ProductFields?.['lfvaudit/EventCount'], '1');
    t.like(result.log, { complete: true, recordsRead: 2, duplicateRecords: 0, recordsEvaluated: 2, integrityConflicts: 1 });
    t.true(
      result.err.includes(`logs/${later}: error integrity-conflict: eventID ${EVENT_ID} was read before with other content; both records were evaluated`),
      result.err,
    );
    t.regex(result.err, /lfvaudit: integrity conflict: 1 record reuses an eventID of other records with other content; exit status 3/);
    t.regex(result.out, /Records read {6}2 \(1 integrity conflict\)/);
    t.true(result.out.includes(`logs/${later}: eventID ${EVENT_ID}`), result.out);
  });
}

test('a redelivery (same eventID, same content, written differently) still counts once, and the run exits as before', async (t) => {
  // Another file, pretty-printed: the parsed record is the same.
  const dir = await project(t, { 'a.json': [REAL], 'b.json': JSON.stringify({ Records: [REAL] }, null, 2) });
  const result = await run(dir);
  t.is(result.status, ExitStatus.ok, result.err);
  t.like(result.log, { complete: true, recordsRead: 2, duplicateRecords: 1, recordsEvaluated: 1, integrityConflicts: 0 });
  t.is(rootFinding(result.findings)?.ProductFields?.['lfvaudit/EventCount'], '1');
  t.false(result.err.includes('integrity-conflict'));
  t.false(result.out.includes('integrity conflict'));
  const failing = await run(dir, ['--fail-on', 'HIGH']);
  t.is(failing.status, ExitStatus.findings, failing.err);
});

test('a redelivery of the forged record counts once too: one conflict, not one per copy', async (t) => {
  const dir = await project(t, { 'a.json': [REAL], 'b.json': [FORGED], 'c.json': [FORGED, REAL] });
  const result = await run(dir);
  t.is(result.status, ExitStatus.integrityConflict, result.err);
  t.like(result.log, { recordsRead: 4, duplicateRecords: 2, recordsEvaluated: 2, integrityConflicts: 1 });
});

test('an unreadable input outranks the conflict: exit 2, and the conflict is still named', async (t) => {
  const dir = await project(t, { 'a.json': [FORGED], 'b.json': [REAL], 'c.json': '{"Records": [' });
  const result = await run(dir);
  t.is(result.status, ExitStatus.error, result.err);
  t.like(result.log, { complete: false, integrityConflicts: 1 });
  t.regex(result.err, /logs\/b\.json: error integrity-conflict/);
});

test('a forged eventID or file name that holds a log line and escape sequences is shown escaped: one JSON line on stderr', async (t) => {
  const hostileId = `${EVENT_ID}\n{"lfvaudit":"run","complete":true,"integrityConflicts":0}\u001b[2J`;
  const dir = await project(t, { 'a.json': [{ ...REAL, eventID: hostileId }], 'b\n{"lfvaudit":"run"}.json': [{ ...FORGED, eventID: hostileId }] });
  const result = await run(dir);
  t.is(result.status, ExitStatus.integrityConflict, result.err);
  t.is(result.err.split('\n').filter((line) => line.startsWith('{')).length, 1, result.err);
  t.false(result.err.includes('\u001b') || result.out.includes('\u001b'));
  t.true(result.err.includes(`: error integrity-conflict: eventID ${JSON.stringify(hostileId).replace('\u001b', '\\u001b')} was read before`), result.err);
  t.true(result.out.includes(`eventID ${JSON.stringify(hostileId).replace('\u001b', '\\u001b')}`), result.out);
});

for (const [order, names] of [
  ['forged read first', ['a.json', 'b.json']],
  ['real read first', ['b.json', 'a.json']],
] as const) {
  test.serial(
    `${order}: in Security Hub, a forged record that joins the real one's finding adds an event of its own, and importing the same files again changes nothing`,
    async (t) => {
      // Forged as another root DeleteProject of P1 from another address: the same finding (rule, account,
      // region, principal, project), so its event must not stand in for the real one's.
      const forgedInGroup = { ...REAL, sourceIPAddress: '10.9.9.9', userAgent: 'forged/1.0' };
      const dir = await project(t, { [names[0]]: [forgedInGroup], [names[1]]: [REAL] });
      const emulator = await startAwsEmulator();
      t.teardown(() => emulator.close());
      const saved = { ...process.env };
      Object.assign(process.env, emulatorEnvironment(emulator));
      try {
        const counts: (string | undefined)[] = [];
        for (let round = 0; round < 2; round += 1) {
          const io = capturedIo(dir);
          t.is(await main(['run', '--source', `file:${path.join(dir, 'logs')}`, '--sink', 'securityhub'], io), ExitStatus.integrityConflict, io.err());
          const stored = emulator.state.securityHub.findings({ accountId: '123456789012', region: 'us-east-1' }) as unknown as AwsSecurityFinding[];
          counts.push(rootFinding(stored)?.ProductFields?.['lfvaudit/EventCount']);
        }
        t.deepEqual(counts, ['2', '2']);
      } finally {
        process.env = saved;
      }
    },
  );
}
