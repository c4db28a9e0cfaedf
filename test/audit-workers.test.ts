import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { runAudit } from '../src/audit.js';
import { main } from '../src/cli/main.js';
import { CompiledEvaluator } from '../src/evaluate/compiled-evaluator.js';
import { sortFindings } from '../src/findings/asff-finding.js';
import type { FindingList } from '../src/findings/finding-list.js';
import { FileFindingSink } from '../src/sinks/file-sink.js';
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

/**
 * `lfvaudit run --workers N` into one file: with two or more workers, the workers build and render the
 * findings of their share of the groups and the main thread merges their texts. The run log line
 * without its duration, and the findings without their timestamps.
 */
async function runToFile(dir: string, workers: number, args: readonly string[]): Promise<RunOutcome> {
  const out = path.join(dir, `rendered-${workers}.json`);
  const io = capturedIo(dir);
  const status = await main(['run', ...args, '--sink', `file:${out}`, '--workers', String(workers)], io);
  const logLine = io.err().split('\n').find((line) => line.startsWith('{"lfvaudit"'));
  const { durationMs: _duration, ...summary } = JSON.parse(logLine ?? '{}') as Record<string, unknown>;
  const findings = (JSON.parse(await readFile(out, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
  // The merged streams of the workers keep sortFindings' order.
  if (JSON.stringify(findings.map((finding) => finding.Id)) !== JSON.stringify(sortFindings(findings).map((finding) => finding.Id))) throw new Error(`--workers ${workers}: findings out of order`);
  return { status, summary, findings: findings.map(({ CreatedAt: _c, UpdatedAt: _u, ...rest }) => rest) };
}

test('with one file sink, workers that render the findings themselves write the same file and counts for 1, 2 and 3 workers, duplicates across files counted once', async (t) => {
  const dir = await configuredFolder();
  const trail = await writeTrail(dir);
  const args = ['--source', `file:${trail}`, '--since', '2025-10-01T00:00:00Z', '--until', '2025-10-04T12:00:00Z'];
  const one = await runToFile(dir, 1, args);
  t.is(one.status, 2, 'the file that is not JSON makes the run incomplete');
  t.true((one.summary['duplicateRecords'] as number) >= 15);
  t.true(one.findings.length > 10);
  // Compared with the two-sink run, which takes the findings the other way.
  t.deepEqual(one.findings, (await run(dir, 1, args)).findings);
  for (const workers of [2, 3]) t.deepEqual(await runToFile(dir, workers, args), one, `--workers ${workers}`);
});

test('the findings of a parallel run rendered by its workers are counted in the result, and iterating them says why they cannot be', async (t) => {
  const dir = await configuredFolder();
  const trail = await writeTrail(dir);
  const rules = [testRule(), testRule({ id: 'by-project', groupBy: ['project'], severity: 'HIGH' })];
  const audit = async (workers: number): Promise<{ findings: FindingList; text: string }> => {
    const out = path.join(dir, `library-${workers}.json`);
    const result = await runAudit({
      sources: [new FileSource(trail)],
      rules,
      evaluator: new CompiledEvaluator(rules),
      sinks: [new FileFindingSink(out)],
      now: () => new Date('2025-10-25T12:00:00Z'),
      workers: { count: workers, engine: 'compiled' },
    });
    return { findings: result.findings, text: await readFile(out, 'utf8') };
  };
  const one = await audit(1);
  const two = await audit(2);
  t.is(two.text, one.text);
  t.is(two.findings.count, one.findings.count);
  t.deepEqual(two.findings.bySeverity, one.findings.bySeverity);
  t.true([...one.findings].length > 5);
  t.throws(() => [...two.findings], { message: /rendered by its workers/ });
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
