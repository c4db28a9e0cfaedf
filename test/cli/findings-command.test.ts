import test, { type ExecutionContext } from 'ava';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { CliIo } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { SecurityHubSink } from '../../src/sinks/securityhub-sink.js';
import { emulatorClientConfig, emulatorEnvironment, startAwsEmulator, TEST_CREDENTIAL, TEST_REGION, type AwsEmulator } from '../support/aws-emulator/index.js';
import { emptySummary } from '../support/audit-summary.js';
import { lfvEvents, simulateRun } from '../support/finding-runs.js';
import { testRule } from '../support/lfv-record.js';
import { tempFolder } from '../support/temp-folder.js';

// These tests point the SDK's standard chain at the emulator through process.env (a copy private to
// this file's worker), so they run one at a time.

const DAY = 24 * 60 * 60 * 1000;
const rootRule = testRule({ id: 'lfv-root-call', title: 'Root called Lookout for Vision', severity: 'HIGH', groupBy: ['principal'] });
const deleteRule = testRule({ id: 'lfv-delete-project', title: 'Project deleted', severity: 'LOW', groupBy: ['principal'] });

interface Harness {
  readonly emulator: AwsEmulator;
  run(argv: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }>;
  /** Imports findings as `lfvaudit run` would, for events `daysAgo` before now. */
  importEvents(rule: ReturnType<typeof testRule>, daysAgo: number, count?: number): Promise<void>;
  stored(): Record<string, unknown>[];
}

async function harness(
  t: ExecutionContext,
  environment: (emulator: AwsEmulator) => Record<string, string> = (emulator) => emulatorEnvironment(emulator),
): Promise<Harness> {
  const emulator = await startAwsEmulator();
  const cwd = tempFolder(t, 'findings');
  const saved = { ...process.env };
  Object.assign(process.env, environment(emulator));
  const securityHub = new SecurityHubClient(emulatorClientConfig(emulator));
  const sts = new STSClient(emulatorClientConfig(emulator));
  t.teardown(async () => {
    for (const name of Object.keys(process.env)) if (!Object.hasOwn(saved, name)) delete process.env[name];
    Object.assign(process.env, saved);
    securityHub.destroy();
    sts.destroy();
    await emulator.close();
  });
  return {
    emulator,
    async run(argv) {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        stdout: { write: (text: string) => (stdout += text), columns: 200 },
        stderr: { write: (text: string) => (stderr += text) },
        cwd,
        env: process.env,
        now: () => new Date(),
        pid: process.pid,
        hostname: 'test-host',
      };
      const status = await main(['findings', ...argv], io);
      return { status, stdout, stderr };
    },
    async importEvents(rule, daysAgo, count = 3) {
      const start = new Date(Date.now() - daysAgo * DAY);
      const findings = simulateRun(lfvEvents(count, start, 60_000, { principals: 1, idPrefix: `${rule.id}-${daysAgo}` }), { rules: [rule], now: new Date() });
      const sink = new SecurityHubSink({ rules: [rule], now: () => new Date(), clients: { securityHub, sts }, guard: { settleMs: 20 } });
      await sink.write(findings, emptySummary());
    },
    stored: () => emulator.state.securityHub.findings({ accountId: TEST_CREDENTIAL.accountId, region: TEST_REGION }),
  };
}

function tableRows(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^(HIGH|LOW|MEDIUM|CRITICAL|INFORMATIONAL) /.test(line));
}

test.serial('findings list shows severity, rule, title, principal, events, last seen and workflow status', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 1);

  const { status, stdout } = await cli.run(['list']);

  t.is(status, 0);
  const [header] = stdout.split('\n');
  t.regex(header ?? '', /^SEVERITY +RULE +TITLE +PRINCIPAL +EVENTS +LAST SEEN +WORKFLOW$/);
  t.regex(
    tableRows(stdout)[0] ?? '',
    /^HIGH +lfv-root-call +Root called Lookout for Vision: assumed-role\/Role0\/session \(2 projects\) +assumed-role\/Role0\/session +3 +\d{4}-\d{2}-\d{2} \d{2}:\d{2} +NEW$/,
  );
  t.true(stdout.endsWith('1 active finding in Security Hub us-east-1 (account 123456789012).\n'));
});

test.serial('findings list filters by severity and by rule', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 1);
  await cli.importEvents(deleteRule, 1);

  const high = await cli.run(['list', '--severity', 'high']);
  const byRule = await cli.run(['list', '--rule', 'lfv-delete-project']);
  const both = await cli.run(['list']);

  t.deepEqual(
    tableRows(high.stdout).map((row) => row.split(/ +/)[1]),
    ['lfv-root-call'],
  );
  t.deepEqual(
    tableRows(byRule.stdout).map((row) => row.split(/ +/)[1]),
    ['lfv-delete-project'],
  );
  t.deepEqual(
    tableRows(both.stdout).map((row) => row.split(/ +/)[1]),
    ['lfv-root-call', 'lfv-delete-project'],
  );
});

test.serial('findings list --format json gives the findings as Security Hub holds them', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 1);

  const { stdout } = await cli.run(['list', '--format', 'json']);

  const parsed = JSON.parse(stdout) as { Findings: { Id: string; Workflow: { Status: string } }[] };
  t.deepEqual(
    parsed.Findings.map((finding) => [finding.Id, finding.Workflow.Status]),
    cli.stored().map((finding) => [finding['Id'], 'NEW']),
  );
});

test.serial('findings archive marks findings not observed since the cutoff as ARCHIVED and says how many', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 40);
  await cli.importEvents(deleteRule, 2);

  const { status, stdout } = await cli.run(['archive', '--older-than', '30d']);

  t.is(status, 0);
  t.regex(stdout, /^Archived 1 finding not observed since \S+ in Security Hub us-east-1 \(account 123456789012\)\.\n$/);
  t.deepEqual(
    cli
      .stored()
      .map((finding) => [(finding['ProductFields'] as Record<string, string>)['lfvaudit/RuleId'], finding['RecordState']])
      .sort(),
    [
      ['lfv-delete-project', 'ACTIVE'],
      ['lfv-root-call', 'ARCHIVED'],
    ],
  );
});

test.serial('archived findings leave the list unless --all asks for them', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 40);
  await cli.importEvents(deleteRule, 2);
  await cli.run(['archive', '--older-than', '30d']);

  const active = await cli.run(['list']);
  const all = await cli.run(['list', '--all']);

  t.deepEqual(
    tableRows(active.stdout).map((row) => row.split(/ +/)[1]),
    ['lfv-delete-project'],
  );
  t.regex(all.stdout.split('\n')[0] ?? '', / STATE$/);
  t.deepEqual(
    tableRows(all.stdout).map((row) => [row.split(/ +/)[1], row.split(/ +/).at(-1)]),
    [
      ['lfv-root-call', 'ARCHIVED'],
      ['lfv-delete-project', 'ACTIVE'],
    ],
  );
});

test.serial('findings archive --dry-run says what it would archive and changes nothing', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 40);
  const before = cli.stored();

  const { status, stdout } = await cli.run(['archive', '--older-than', '30d', '--dry-run']);

  t.is(status, 0);
  t.true(stdout.startsWith('Security Hub us-east-1 (account 123456789012), dry run: would create 0, update 0, archive 1; 0 unchanged.\n'));
  t.regex(stdout, /\narchive +HIGH +lfv-root-call +3 /);
  t.deepEqual(cli.stored(), before);
});

test.serial('a run that observes an archived finding again reopens it', async (t) => {
  const cli = await harness(t);
  await cli.importEvents(rootRule, 40);
  await cli.run(['archive', '--older-than', '30d']);

  await cli.importEvents(rootRule, 1);

  t.deepEqual(
    cli.stored().map((finding) => [finding['RecordState'], (finding['ProductFields'] as Record<string, string>)['lfvaudit/EventCount']]),
    [['ACTIVE', '6']],
  );
});

test.serial('findings without a known action, or archive without --older-than, are usage errors', async (t) => {
  const cli = await harness(t);

  const none = await cli.run([]);
  const archive = await cli.run(['archive']);
  const severity = await cli.run(['list', '--severity', 'URGENT']);
  const misplaced = await cli.run(['list', '--older-than', '30d']);

  for (const outcome of [none, archive, severity, misplaced]) t.is(outcome.status, 2);
  t.regex(none.stderr, /expected list or archive/);
  t.regex(archive.stderr, /needs --older-than/);
  t.regex(severity.stderr, /--severity "URGENT": expected one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/);
  t.regex(misplaced.stderr, /--older-than is an option of findings archive/);
  t.deepEqual(cli.emulator.state.requestLog, []);
});

test.serial('a Security Hub that refuses the credentials fails with exit status 2, never printing the secret', async (t) => {
  const cli = await harness(t, (emulator) => ({
    ...emulatorEnvironment(emulator),
    AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000',
    AWS_SECRET_ACCESS_KEY: 'not-the-secret-you-are-looking-for',
  }));

  const { status, stdout, stderr } = await cli.run(['list']);

  t.is(status, 2);
  t.is(stdout, '');
  t.regex(stderr, /^lfvaudit findings: error: .*STS GetCallerIdentity failed \(InvalidClientTokenId \(HTTP 403\)/);
  t.false(stderr.includes('not-the-secret-you-are-looking-for'));
});
