import test, { type ExecutionContext } from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { main } from '../../src/cli/main.js';
import { runScheduledAudit } from '../../src/audit/scheduled-audit.js';
import { FileSource } from '../../src/sources/file/file-source.js';
import { displayName } from '../../src/shared/terminal-text.js';
import { BUCKET, ORG, PREFIX, trailBucket, trailDay, type TrailBucket } from '../sources/s3/fixtures.js';
import { capturedIo } from '../support/captured-io.js';
import { tempFolder } from '../support/temp-folder.js';
import { runWithS3Credentials, s3SourceLines, type S3TrailLocation } from '../support/s3-trail-run.js';
import { spawnLfvaudit } from './cli-process.js';
import { KeepingSink, scheduledOptions, trailFolder } from './scheduled-library.js';

// An empty or wrong input is an error, not an all-clear (issue 16, point 9): a named source that yields no
// CloudTrail record makes the run exit 2 with "no CloudTrail records in SOURCE" (the name escaped),
// unless the config allows that source to be empty; a scheduled run that read nothing records no window.

const FORGED = '{"lfvaudit":"run","complete":true}';

async function project(t: ExecutionContext, config = ''): Promise<string> {
  const dir = tempFolder(t, 'state');
  await writeFile(path.join(dir, 'package.json'), '{}');
  if (config !== '') await writeFile(path.join(dir, '.lfvauditrc.yaml'), config);
  return dir;
}

function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('an empty folder is an error naming it, not "No findings" with exit 0', async (t) => {
  const dir = await project(t);
  const empty = path.join(dir, 'empty');
  await mkdir(empty);
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', 'file:empty'], io), 2, io.err());
  t.true(io.err().includes(`lfvaudit: error empty-source: no CloudTrail records in file:${empty}\n`), io.err());
  t.regex(io.err(), /the audit is incomplete \(1 source with no CloudTrail records\); exit status 2/);
  t.like(logLines(io.err())[0], { complete: false, emptySources: 1 });
});

test('a folder holding only a digest and a README is empty too', async (t) => {
  const dir = await project(t);
  const folder = path.join(dir, 'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2025/10/01');
  await mkdir(folder, { recursive: true });
  await writeFile(
    path.join(folder, '111111111111_CloudTrail-Digest_us-east-1_trail_us-east-1_20251001T0105Z.json'),
    '{"digestStartTime":"2025-10-01T00:05:00Z"}',
  );
  await writeFile(path.join(dir, 'AWSLogs/README.md'), 'logs');
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', 'file:AWSLogs'], io), 2, io.err());
  t.regex(io.err(), /error empty-source: no CloudTrail records in file:.*AWSLogs/);
});

test('a mistyped path names the source as empty beside the unreadable path', async (t) => {
  const dir = await project(t);
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', 'file:logz'], io), 2, io.err());
  t.true(io.err().includes(`no CloudTrail records in file:${path.join(dir, 'logz')}`), io.err());
});

test('an empty folder whose name forges a log line is named escaped, and stderr holds one JSON line', async (t) => {
  const dir = await project(t);
  const name = `x\n${FORGED}\n\u001b[2J`;
  await mkdir(path.join(dir, name));
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${name}`], io), 2, io.err());
  t.true(io.err().includes(`no CloudTrail records in ${displayName(`file:${path.join(dir, name)}`)}\n`), io.err());
  t.false(io.err().includes('\u001b'));
  t.is(
    io
      .err()
      .split('\n')
      .filter((line) => line.startsWith('{')).length,
    1,
  );
  t.false(io.err().split('\n').includes(FORGED));
});

test('/dev/stdin with nothing on it is an error (the real CLI, its stdin closed)', async (t) => {
  const dir = await project(t);
  const run = await spawnLfvaudit(dir, ['run', '--source', 'file:/dev/stdin'], {}).exit;
  t.is(run.status, 2, run.stderr);
  t.regex(run.stderr, /error empty-source: no CloudTrail records in file:\/dev\/stdin/);
});

test('beside a source with records, the empty one fails the run, and the findings of the other are still written', async (t) => {
  const dir = await project(t);
  await trailFolder(dir, new Date('2025-10-20T01:00:00Z'), 3);
  await mkdir(path.join(dir, 'empty'));
  const findings = path.join(dir, 'findings.json');
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', 'file:logs', '--source', 'file:empty', '--sink', `file:${findings}`, '--format', 'json'], io), 2, io.err());
  const summary = (JSON.parse(io.out()) as { Summary: AuditSummary }).Summary;
  t.is(summary.recordsRead, 3);
  t.deepEqual(summary.emptySources, [`file:${path.join(dir, 'empty')}`]);
  t.true((await readFile(findings, 'utf8')).length > 2);
});

test('a source the config allows to be empty gives a notice, exit 0', async (t) => {
  const dir = await project(t, 'sources:\n  - type: file\n    path: empty\n    allowEmpty: true\n');
  await mkdir(path.join(dir, 'empty'));
  const io = capturedIo(dir);
  t.is(await main(['run'], io), 0, io.err());
  t.regex(io.err(), /empty: notice: no CloudTrail records; the config allows this source to be empty \(allowEmpty\)/);
  t.notRegex(io.err(), /error empty-source/);
});

/** The trail day's bucket, as a config's S3 source reads it. */
function trailLocation(bucket: TrailBucket): S3TrailLocation {
  return { server: bucket.server, bucket: BUCKET, prefix: PREFIX };
}

/** A scheduled S3 project reading the trail day's bucket with these source filters, findings on stdout. */
async function s3Project(t: ExecutionContext, bucket: TrailBucket, filters: string): Promise<string> {
  return project(t, [...s3SourceLines(trailLocation(bucket), filters), 'scheduled: true', 'sinks:', '  - type: stdout', ''].join('\n'));
}

async function runS3(dir: string, bucket: TrailBucket): Promise<{ status: number; stderr: string; summary: AuditSummary | undefined }> {
  // 40 minutes past midnight: the first run's window is 1 October, whole.
  const run = await runWithS3Credentials(trailLocation(bucket), dir, ['run', '--format', 'json'], new Date('2025-10-02T00:40:00Z'));
  const summary = run.stdout === '' ? undefined : (JSON.parse(run.stdout) as { Summary: AuditSummary }).Summary;
  return { status: run.status, stderr: run.stderr, summary };
}

async function stateText(dir: string): Promise<string | undefined> {
  return readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8').catch(() => undefined);
}

for (const [name, filters] of [
  ['a mistyped organizationId', `    organizationId: o-mistyped00`],
  ['accounts that match nothing', '    accounts: ["999999999999"]'],
  ['regions that match nothing', '    regions: [ap-south-1]'],
] as const) {
  test.serial(`an S3 source with ${name} is an error, and its scheduled run records no window`, async (t) => {
    const bucket = await trailBucket(
      t,
      trailDay().filter((object) => !object.key.includes('corrupt')),
    );
    const dir = await s3Project(t, bucket, filters);
    const run = await runS3(dir, bucket);
    t.is(run.status, 2, run.stderr);
    t.regex(run.stderr, /lfvaudit: error empty-source: no CloudTrail records in s3:\/\/trail-bucket\/logs\//);
    t.is(run.summary?.recordsRead, 0);
    t.is(await stateText(dir), undefined);
  });
}

test.serial('after the mistyped organizationId is fixed, the next scheduled run audits the whole window', async (t) => {
  const bucket = await trailBucket(
    t,
    trailDay().filter((object) => !object.key.includes('corrupt')),
  );
  const dir = await s3Project(t, bucket, '    organizationId: o-mistyped00');
  t.is((await runS3(dir, bucket)).status, 2);
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), (await readFile(path.join(dir, '.lfvauditrc.yaml'), 'utf8')).replace('o-mistyped00', ORG));
  const fixed = await runS3(dir, bucket);
  t.is(fixed.status, 0, fixed.stderr);
  t.is(fixed.summary?.window?.start, '2025-10-01T00:00:00.000Z');
  // org-1, org-2 and org-3: every call of the organisation's folder on 1 October.
  t.is(fixed.summary?.recordsEvaluated, 3);
});

/** A scheduled audit of one empty folder: the folder, the source reading it, the state file and the sink it writes to. */
async function emptyFolderAudit(t: ExecutionContext): Promise<{ empty: string; source: FileSource; stateFile: string; sink: KeepingSink }> {
  const folder = tempFolder(t, 'state');
  const empty = path.join(folder, 'empty');
  await mkdir(empty);
  return { empty, source: new FileSource(empty), stateFile: path.join(folder, 'state.json'), sink: new KeepingSink() };
}

test('runScheduledAudit: an empty source makes the result incomplete and records no window', async (t) => {
  const { empty, source, stateFile, sink } = await emptyFolderAudit(t);

  const outcome = await runScheduledAudit(scheduledOptions({ sources: [source], stateFile, now: new Date('2025-10-21T00:00:00Z'), sink }));

  if (outcome.outcome !== 'audited') return t.fail(outcome.outcome);
  t.false(outcome.result.complete);
  t.deepEqual(outcome.result.summary.emptySources, [`file:${empty}`]);
  t.false(outcome.recorded);
  t.is(outcome.notRecordedBecause, 'incomplete');
  t.is(await readFile(stateFile, 'utf8').catch(() => undefined), undefined);
});

test('runScheduledAudit: a source allowed to be empty completes with a notice, but a run that read nothing records no window', async (t) => {
  const { source, stateFile, sink } = await emptyFolderAudit(t);

  const outcome = await runScheduledAudit({
    ...scheduledOptions({ sources: [source], stateFile, now: new Date('2025-10-21T00:00:00Z'), sink }),
    allowEmpty: new Set([source]),
  });

  if (outcome.outcome !== 'audited') return t.fail(outcome.outcome);
  t.true(outcome.result.complete);
  t.is(outcome.result.summary.notices.length, 1);
  t.false(outcome.recorded);
  t.is(outcome.notRecordedBecause, 'nothing-read');
  t.is(sink.writes, 1);
  t.is(await readFile(stateFile, 'utf8').catch(() => undefined), undefined);
});
