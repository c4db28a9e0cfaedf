import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import { emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvEvents } from '../support/finding-runs.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

// The nightly job end to end, through main(): LookupEvents in, Security Hub out, the state file between
// runs. Real SDK clients talk to the loopback emulator, configured the way users configure them: the
// SDK's standard environment variables.
const scope = { accountId: '123456789012', region: 'us-east-1' };

async function nightlyProject(t: ExecutionContext, sourceOptions = ''): Promise<string> {
  const dir = tempFolder(t, 'nightly');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    `params:\n  mfaRequiredActions: [CreateDataset, DeleteProject, DetectAnomalies]\nsources:\n  - type: cloudtrail\n    regions: [us-east-1]\n${sourceOptions}scheduled: true\nsinks:\n  - type: securityhub\nsecurityHub:\n  settleSeconds: 0.05\nstate:\n  lookbackHours: 6\n`,
  );
  return dir;
}

async function withEmulator(run: (emulator: AwsEmulator) => Promise<void>): Promise<void> {
  const emulator = await startAwsEmulator();
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnvironment(emulator));
  try {
    await run(emulator);
  } finally {
    process.env = saved;
    await emulator.close();
  }
}

function eventCounts(emulator: AwsEmulator): Record<string, string | undefined> {
  const entries: [string, string | undefined][] = emulator.state.securityHub
    .findings(scope)
    .map((finding) => [String(finding.Id), (finding.ProductFields as Record<string, string> | undefined)?.['lfvaudit/EventCount']]);
  return Object.fromEntries(entries);
}

test.serial('a scheduled run imports its findings, records its window, and a re-run changes nothing', async (t) => {
  await withEmulator(async (emulator) => {
    const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 40 * 60_000);
    // 30 calls over the last 5 hours, older than the 15-minute delivery lag.
    emulator.state.cloudTrail.load(lfvEvents(30, new Date(now.getTime() - 5 * 3_600_000), 8 * 60_000));
    const dir = await nightlyProject(t);

    const first = capturedIo(dir, { now });
    t.is(await main(['run'], first), 0, first.err());
    const afterFirst = eventCounts(emulator);
    const firstLog = JSON.parse(first.err().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    t.is(firstLog['findingsCreated'], Object.keys(afterFirst).length);
    t.is(firstLog['findingsUpdated'], 0);
    t.true(Object.keys(afterFirst).length > 0);
    // Every one of the 30 calls lacks MFA and is in mfaRequiredActions: each counted exactly once.
    const mfaTotal = Object.entries(afterFirst)
      .filter(([id]) => id.startsWith('lfvaudit/lfv-mfa-required/'))
      .reduce((sum, [, count]) => sum + Number(count), 0);
    t.is(mfaTotal, 30, JSON.stringify(afterFirst));
    const state = JSON.parse(await readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8')) as { scopes: Record<string, { lastCompletedEnd: string }> };
    const [recorded] = Object.values(state.scopes);
    t.is(recorded?.lastCompletedEnd, new Date(Math.floor((now.getTime() - 15 * 60_000) / 3_600_000) * 3_600_000).toISOString());

    // The same window again, explicitly: Security Hub is left exactly as it was.
    const window = ['--since', new Date(now.getTime() - 6 * 3_600_000).toISOString(), '--until', recorded?.lastCompletedEnd ?? ''];
    const again = capturedIo(dir, { now });
    t.is(await main(['run', ...window], again), 0, again.err());
    t.deepEqual(eventCounts(emulator), afterFirst);
    const againLog = JSON.parse(again.err().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    t.deepEqual([againLog['findingsCreated'], againLog['findingsUpdated'], againLog['findingsUnchanged']], [0, 0, Object.keys(afterFirst).length]);

    // examples/iam-policy.json grants what the job calls: every AWS action seen here is in it.
    const policy = JSON.parse(await readFile(path.join(repoRoot(), 'examples/iam-policy.json'), 'utf8')) as { Statement: { Action: string | string[] }[] };
    const granted = new Set(policy.Statement.flatMap((statement) => [statement.Action].flat()));
    const called = new Set(emulator.state.requestLog.map((entry) => `${entry.service}:${entry.operation}`));
    t.true(called.size >= 3);
    for (const action of called) t.true(granted.has(action), `${action} is called but not in examples/iam-policy.json`);
  });
});

test.serial('--dry-run shows what would change in Security Hub and writes nothing, not even the state', async (t) => {
  await withEmulator(async (emulator) => {
    const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 40 * 60_000);
    emulator.state.cloudTrail.load(lfvEvents(12, new Date(now.getTime() - 4 * 3_600_000), 10 * 60_000));
    const dir = await nightlyProject(t);
    const io = capturedIo(dir, { now });
    t.is(await main(['run', '--dry-run'], io), 0, io.err());
    t.regex(io.out(), /create/i);
    t.deepEqual(emulator.state.securityHub.findings(scope), []);
    await t.throwsAsync(readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8'), { code: 'ENOENT' });
  });
});

test.serial('a finding Security Hub refuses makes the run exit 2 and leaves the window to be audited again', async (t) => {
  await withEmulator(async (emulator) => {
    const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 40 * 60_000);
    emulator.state.cloudTrail.load(lfvEvents(12, new Date(now.getTime() - 4 * 3_600_000), 10 * 60_000));
    emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'failedFindings', errorCode: 'InvalidInput', times: 10 });
    const dir = await nightlyProject(t);
    const io = capturedIo(dir, { now });
    t.is(await main(['run'], io), 2);
    t.regex(io.err(), /sink-failed/);
    await t.throwsAsync(readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8'), { code: 'ENOENT' });
  });
});

test.serial(
  'a window with no Lookout for Vision events, from a source allowed to be empty, says so, points to the S3 source and records nothing',
  async (t) => {
    await withEmulator(async () => {
      const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 40 * 60_000);
      const dir = await nightlyProject(t, '    allowEmpty: true\n');
      const io = capturedIo(dir, { now });
      t.is(await main(['run'], io), 0, io.err());
      t.regex(io.err(), /notice: no lookoutvision\.amazonaws\.com events .*not a clean audit/);
      t.regex(io.err(), /s3:\/\//);
      t.regex(io.err(), /the window was not recorded: no CloudTrail record was read/);
      await t.throwsAsync(readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8'), { code: 'ENOENT' });
    });
  },
);

test.serial('consecutive scheduled runs with overlapping windows count every event exactly once', async (t) => {
  await withEmulator(async (emulator) => {
    const firstNow = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000 + 40 * 60_000);
    // 40 calls every 10 minutes, from 5 h before the first run until after it.
    const events = lfvEvents(40, new Date(firstNow.getTime() - 5 * 3_600_000), 10 * 60_000);
    emulator.state.cloudTrail.load(events);
    const dir = await nightlyProject(t);
    const first = capturedIo(dir, { now: firstNow });
    t.is(await main(['run'], first), 0, first.err());
    // Three hours later: the window resumes one hour (the overlap) before the last one ended.
    const secondNow = new Date(firstNow.getTime() + 3 * 3_600_000);
    const second = capturedIo(dir, { now: secondNow });
    t.is(await main(['run'], second), 0, second.err());

    const settledEnd = Math.floor((secondNow.getTime() - 15 * 60_000) / 3_600_000) * 3_600_000;
    const firstStart = Math.floor((firstNow.getTime() - 15 * 60_000) / 3_600_000) * 3_600_000 - 6 * 3_600_000;
    const expected = events.filter((event) => {
      const time = Date.parse(String(event['eventTime']));
      return time >= firstStart && time < settledEnd;
    }).length;
    const mfaTotal = emulator.state.securityHub
      .findings(scope)
      .filter((finding) => String(finding.Id).startsWith('lfvaudit/lfv-mfa-required/'))
      .reduce((sum, finding) => sum + Number((finding.ProductFields as Record<string, string> | undefined)?.['lfvaudit/EventCount']), 0);
    t.true(expected > 30);
    t.is(mfaTotal, expected);
  });
});
