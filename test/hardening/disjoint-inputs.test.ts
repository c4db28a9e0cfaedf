import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test, { type ExecutionContext } from 'ava';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { emulatorEnvironment, startAwsEmulator, TEST_CREDENTIAL, TEST_REGION, type AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvEvents } from '../support/finding-runs.js';
import { tempFolder } from '../support/temp-folder.js';

// Runs over different inputs (two folders, two buckets or prefixes) for the same whole hour must add
// up in Security Hub, a run over the same input again must not count anything twice, and where a merge
// cannot be exact (an hour compaction turned into a count meets events of another input) the finding
// and the run must say that its count is a lower bound.

const HOUR = new Date('2025-10-01T10:00:00Z');
const CONFIG = `params:
  mfaRequiredActions: [CreateDataset, DeleteProject, DetectAnomalies]
sinks:
  - type: securityhub
securityHub:
  settleSeconds: 0.05
`;

/** `count` calls without MFA by one principal on one project, from `start`, `spacingMs` apart: one finding of lfv-mfa-required. */
function events(prefix: string, count: number, start: Date, spacingMs: number): CloudTrailRecord[] {
  return lfvEvents(count, start, spacingMs, { principals: 1, idPrefix: prefix }).map((event) => ({ ...event, requestParameters: { projectName: 'P0' } }));
}

async function project(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'disjoint');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), CONFIG);
  return dir;
}

async function folder(dir: string, name: string, records: readonly CloudTrailRecord[]): Promise<string> {
  const where = path.join(dir, name);
  await mkdir(where, { recursive: true });
  await writeFile(path.join(where, 'trail.json'), JSON.stringify({ Records: records }));
  return where;
}

/** `lfvaudit run --source file:FOLDER [...args]` in this process against the emulator. */
async function run(dir: string, emulator: AwsEmulator, source: string, args: readonly string[] = []): Promise<{ status: number; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnvironment(emulator));
  try {
    const io = capturedIo(dir, { now: new Date() });
    const status = await main(['run', '--source', `file:${source}`, ...args], io);
    return { status, stderr: io.err() };
  } finally {
    process.env = saved;
  }
}

function mfaFinding(emulator: AwsEmulator): AwsSecurityFinding | undefined {
  const findings = emulator.state.securityHub.findings({ accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION }) as unknown as AwsSecurityFinding[];
  const mfa = findings.filter((finding) => String(finding.Id).startsWith('lfvaudit/lfv-mfa-required/'));
  if (mfa.length > 1) throw new Error(`expected one lfv-mfa-required finding, got ${mfa.length}`);
  return mfa[0];
}

const wholeHour = ['--since', HOUR.toISOString(), '--until', new Date(HOUR.getTime() + 3_600_000).toISOString()];

test.serial('two folders for the same whole hour add up (3 + 5 = 8), and either folder read again adds nothing', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());
  const dir = await project(t);
  const first = await folder(dir, 'first', events('first', 3, new Date(HOUR.getTime() + 5 * 60_000), 10 * 60_000));
  const second = await folder(dir, 'second', events('second', 5, new Date(HOUR.getTime() + 7 * 60_000), 10 * 60_000));

  const runs = [await run(dir, emulator, first, wholeHour), await run(dir, emulator, second, wholeHour)];
  t.deepEqual(
    runs.map((outcome) => outcome.status),
    [0, 0],
    runs.map((outcome) => outcome.stderr).join('\n'),
  );
  t.is(mfaFinding(emulator)?.ProductFields?.['lfvaudit/EventCount'], '8');

  const again = [await run(dir, emulator, first, wholeHour), await run(dir, emulator, second), await run(dir, emulator, first)];
  t.deepEqual(
    again.map((outcome) => outcome.status),
    [0, 0, 0],
    again.map((outcome) => outcome.stderr).join('\n'),
  );
  const finding = mfaFinding(emulator);
  t.is(finding?.ProductFields?.['lfvaudit/EventCount'], '8');
  t.is(finding?.ProductFields?.['lfvaudit/EventCountIsLowerBound'], undefined);
  t.notRegex(finding?.Description ?? '', /At least/);
});

test.serial('events of another input in an hour compaction has counted make the count an explicit lower bound, and the run says so', async (t) => {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());
  const dir = await project(t);
  // 3 events in HOUR and 9,000 later ones: more hashes than the finding's ProductFields hold, so its oldest hours (HOUR first) become counts.
  const first = await folder(dir, 'first', [
    ...events('first', 3, new Date(HOUR.getTime() + 5 * 60_000), 10 * 60_000),
    ...events('later', 9_000, new Date(HOUR.getTime() + 2 * 3_600_000), 60_000),
  ]);
  const other = await folder(dir, 'other', events('other', 2, new Date(HOUR.getTime() + 9 * 60_000), 10 * 60_000));

  t.is((await run(dir, emulator, first)).status, 0);
  const compacted = mfaFinding(emulator);
  t.is(compacted?.ProductFields?.['lfvaudit/EventCount'], '9003');
  t.is(compacted?.ProductFields?.['lfvaudit/EventCountIsLowerBound'], undefined);
  const coverage = Object.entries(compacted?.ProductFields ?? {})
    .filter(([key]) => key.startsWith('lfvaudit/Coverage/'))
    .flatMap(([, value]) => value.split(' '));
  t.true(
    coverage.some((entry) => /^20251001(10)?\/[^:]*=\d+~/.test(entry)),
    `the hour of the first folder was not compacted: ${coverage.slice(0, 3).join(' ')}`,
  );

  const outcome = await run(dir, emulator, other, wholeHour);

  t.is(outcome.status, 0, outcome.stderr);
  const finding = mfaFinding(emulator);
  // The two new events may or may not be among the three counted: 9,003 is all that can be said, and it says so.
  t.is(finding?.ProductFields?.['lfvaudit/EventCount'], '9003');
  t.is(finding?.ProductFields?.['lfvaudit/EventCountIsLowerBound'], 'true');
  t.regex(finding?.Description ?? '', /^At least 9003 events \(the counts are lower bounds\)\. /);
  t.regex(outcome.stderr, /securityhub: notice: 1 finding counts only a lower bound of its events/);
  t.regex(outcome.stderr, /"findingsLowerBound":1/);
});
