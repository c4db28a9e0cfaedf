import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { runAudit } from '../src/audit.js';
import { main } from '../src/cli/main.js';
import { CompiledEvaluator } from '../src/evaluate/compiled-evaluator.js';
import { FileSource } from '../src/sources/file-source.js';
import { capturedIo } from './support/captured-io.js';
import { lfvRecord, testRule } from './support/lfv-record.js';
import { repoRoot } from './support/repo-root.js';

/** Every built-in rule active, and a suppression, so workers meet every path of the sequential run. */
const CONFIG = `params:
  allowedSourceCidrs: [10.0.0.0/8]
  approvedPackagingBuckets: [ok-bucket]
  allowedRegions: [us-east-1]
suppressions:
  - rule: lfv-mfa-required
    reason: the lab account's test user
    expires: '2099-01-01'
    conditions:
      all:
        - { fact: requestParameters.projectName, operator: equal, value: P3 }
`;

interface RunOutcome {
  readonly status: number;
  readonly summary: Record<string, unknown>;
  readonly findings: unknown[];
}

/** `lfvaudit run --workers N`; the summary without its duration and the findings without their timestamps, which are the only parts allowed to differ. */
async function run(dir: string, workers: number, args: readonly string[]): Promise<RunOutcome> {
  const out = path.join(dir, `findings-${workers}.json`);
  const io = capturedIo(dir);
  const status = await main(['run', ...args, '--sink', `file:${out}`, '--sink', 'stdout', '--format', 'json', '--workers', String(workers)], io);
  const { durationMs: _duration, sinkOutcomes: _outcomes, ...summary } = (JSON.parse(io.out()) as { Summary: Record<string, unknown> }).Summary;
  const findings = (JSON.parse(await readFile(out, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings.map(({ CreatedAt: _c, UpdatedAt: _u, ...rest }) => rest);
  return { status, summary, findings };
}

async function configuredFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lfvaudit-workers-'));
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), CONFIG);
  return dir;
}

/**
 * 14 trail files of varied records: the same events delivered again in later files (and once with
 * different content, where the first delivery in read order must win), records without an eventID,
 * undated ones, records outside the window, a digest, a hidden file and a file that is not JSON.
 */
async function writeTrail(dir: string): Promise<string> {
  const root = path.join(dir, 'trail');
  const callers = ['alice', 'bob', 'carol', 'dave'];
  const names = ['CreateDataset', 'DeleteProject', 'DetectAnomalies', 'StartModelPackagingJob', 'CreateProject'];
  let serial = 0;
  const recordAt = (file: number, at: number): Record<string, unknown> => {
    serial += 1;
    const caller = callers[(file * 7 + at) % callers.length] ?? 'alice';
    return lfvRecord({
      eventID: at % 11 === 0 ? undefined : `event-${file}-${at}`,
      eventName: names[(file + at) % names.length],
      eventTime: at % 17 === 0 ? undefined : new Date(Date.UTC(2025, 9, 1 + (at % 5), (file * 3 + at) % 24, at % 60)).toISOString(),
      sourceIPAddress: at % 3 === 0 ? '10.1.2.3' : `198.51.100.${(at * 13) % 250}`,
      requestParameters: { projectName: `P${(at % 4) + 1}`, datasetType: 'train' },
      errorCode: at % 9 === 0 ? 'AccessDenied' : undefined,
      userIdentity: { type: at % 13 === 0 ? 'Root' : 'IAMUser', principalId: `AIDA${caller.toUpperCase()}`, arn: `arn:aws:iam::123456789012:user/${caller}`, accountId: '123456789012', userName: caller, accessKeyId: `AKIA${serial}` },
      awsRegion: at % 5 === 0 ? 'eu-west-1' : 'us-east-1',
    });
  };
  const files: Record<string, unknown>[][] = Array.from({ length: 14 }, (_, file) => Array.from({ length: 20 + ((file * 5) % 17) }, (_, at) => recordAt(file, at)));
  // Redeliveries: later files repeat events of earlier ones, one of them with other content.
  files[5]?.push(...(files[1] ?? []).slice(0, 6));
  files[12]?.push(...(files[3] ?? []).slice(4, 9), ...(files[5] ?? []).slice(-3));
  files[9]?.push({ ...(files[2]?.[1] ?? {}), sourceIPAddress: '203.0.113.99' });
  files[2]?.push(...(files[2] ?? []).slice(0, 2));
  const folder = path.join(root, 'AWSLogs', '123456789012', 'CloudTrail', 'us-east-1', '2025', '10', '01');
  await mkdir(folder, { recursive: true });
  await Promise.all(files.map((records, file) => writeFile(path.join(folder, `file-${String(file).padStart(2, '0')}.json`), JSON.stringify({ Records: records }))));
  await writeFile(path.join(folder, '.hidden.json'), '{}');
  await writeFile(path.join(folder, 'file-07b.json'), '{"Records": [');
  const digests = path.join(root, 'AWSLogs', '123456789012', 'CloudTrail-Digest');
  await mkdir(digests, { recursive: true });
  await writeFile(path.join(digests, 'digest.json'), '{}');
  return root;
}

test('a generated trail with duplicates across files gives the same findings and summary with 1, 2 and 3 workers', async (t) => {
  const dir = await configuredFolder();
  const trail = await writeTrail(dir);
  const args = ['--source', `file:${trail}`, '--since', '2025-10-01T00:00:00Z', '--until', '2025-10-04T12:00:00Z'];
  const one = await run(dir, 1, args);
  // The set exercises what must stay equal: duplicates, window, undated, unreadable, skipped, suppressed.
  t.is(one.status, 2, 'the file that is not JSON makes the run incomplete');
  t.true((one.summary['duplicateRecords'] as number) >= 15);
  t.true((one.summary['outsideWindow'] as number) > 0);
  t.true((one.summary['undatedRecords'] as number) > 0);
  t.true((one.summary['unreadable'] as unknown[]).length > 0);
  t.true((one.summary['inputsSkipped'] as unknown[]).length >= 2);
  t.true((one.summary['suppressed'] as unknown[]).length > 0);
  t.true(one.findings.length > 10);
  for (const workers of [2, 3]) t.deepEqual(await run(dir, workers, args), one, `--workers ${workers}`);
});

test('the examples give the same findings and summary with 1, 2 and 3 workers', async (t) => {
  const dir = await configuredFolder();
  const args = ['--source', `file:${path.join(repoRoot(), 'examples', 'logs')}`, '--source', `file:${path.join(repoRoot(), 'examples', 'records')}`];
  const one = await run(dir, 1, args);
  t.true(one.findings.length > 0);
  for (const workers of [2, 3]) t.deepEqual(await run(dir, workers, args), one, `--workers ${workers}`);
});

test('--workers must be a whole number of at least 1', async (t) => {
  const dir = await configuredFolder();
  const io = capturedIo(dir);
  t.is(await main(['run', '--source', 'file:x', '--workers', '0'], io), 2);
  t.regex(io.err(), /--workers "0": expected a whole number/);
});

test('with workers, progress is reported per file and a cancelled run rejects and stops its workers', async (t) => {
  const dir = await configuredFolder();
  const trail = await writeTrail(dir);
  const rules = [testRule()];
  const controller = new AbortController();
  const progress: number[] = [];
  const audit = runAudit({
    sources: [new FileSource(trail)],
    rules,
    evaluator: new CompiledEvaluator(rules),
    sinks: [],
    now: () => new Date('2025-10-25T12:00:00Z'),
    workers: { count: 2, engine: 'compiled' },
    signal: controller.signal,
    onProgress: (update) => {
      progress.push(update.recordsRead);
      if (progress.length === 3) controller.abort(new Error('stopped by the test'));
    },
  });
  await t.throwsAsync(audit, { message: 'stopped by the test' });
  t.is(progress.length, 3);
  t.true(progress.every((records, index) => records > 0 && records >= (progress[index - 1] ?? 0)));
});
