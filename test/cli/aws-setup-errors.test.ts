import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { unknownRegionProblem } from '../../src/aws/regions.js';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

const lfvaudit = path.join(repoRoot(), 'dist/src/bin/lfvaudit.js');
const seedRecord = path.join(repoRoot(), 'examples/records/seed-create-dataset.json');

/**
 * The built CLI with the real SDK and no way to find credentials: HOME an empty folder (no ~/.aws),
 * no AWS_* variables, and instance metadata disabled so that nothing waits on IMDS.
 */
async function withoutCredentials(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number; stderr: string }> {
  const home = path.join(cwd, 'home');
  await mkdir(home, { recursive: true });
  try {
    await promisify(execFile)(process.execPath, [lfvaudit, ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    });
    return { status: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { status: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

function assertNamesTheCredentialChain(t: import('ava').ExecutionContext, stderr: string): void {
  t.regex(stderr, /no AWS credentials: the AWS SDK's credential chain found none/);
  for (const way of ['AWS_PROFILE', '~/.aws/credentials', 'AWS_ACCESS_KEY_ID', 'aws sso login', 'instance, container', 'AWS_REGION'])
    t.true(stderr.includes(way), `names ${way}: ${stderr}`);
  t.false(stderr.includes('GetCallerIdentity'), stderr);
  t.false(stderr.includes('set securityHub.accountId'), stderr);
}

test('findings list without credentials says the credential chain found none and how to give them', async (t) => {
  const dir = tempFolder(t, 'no-credentials');
  const { status, stderr } = await withoutCredentials(dir, ['findings', 'list'], { AWS_REGION: 'eu-west-1' });
  t.is(status, 2);
  assertNamesTheCredentialChain(t, stderr);
});

test('run --sink securityhub without credentials fails the sink with the same cause, and the run is incomplete', async (t) => {
  const dir = tempFolder(t, 'no-credentials');
  const { status, stderr } = await withoutCredentials(dir, ['run', '--source', `file:${seedRecord}`, '--sink', 'securityhub'], { AWS_REGION: 'eu-west-1' });
  t.is(status, 2);
  t.regex(stderr, /error sink-failed: securityhub: no AWS credentials/);
  assertNamesTheCredentialChain(t, stderr);
});

test('findings list without a region says where a region comes from for this command', async (t) => {
  const dir = tempFolder(t, 'no-credentials');
  const { status, stderr } = await withoutCredentials(dir, ['findings', 'list']);
  t.is(status, 2);
  t.regex(stderr, /no AWS region for Security Hub .*--region REGION or securityHub\.region in the config, or set AWS_REGION/);
});

test('a made-up region is refused before any call, in flags, AWS_REGION and the config, with the closest real one', async (t) => {
  const dir = tempFolder(t, 'regions');
  const source = `file:${seedRecord}`;
  for (const [argv, env, expected] of [
    [['findings', 'list', '--region', 'us-east-99'], {}, "--region: unknown AWS region 'us-east-99' (did you mean 'us-east-1'?)"],
    [['run', '--source', source, '--sink', 'securityhub:eu-wset-1'], {}, "--sink: unknown AWS region 'eu-wset-1' (did you mean 'eu-west-1'?)"],
    [['run', '--source', 'cloudtrail:us-east-1,us-east-99', '--since', '1d'], {}, "--source: unknown AWS region 'us-east-99'"],
    [['findings', 'list'], { AWS_REGION: 'us-east-99' }, "AWS_REGION in the environment: unknown AWS region 'us-east-99' (did you mean 'us-east-1'?)"],
    [['run', '--source', source, '--sink', 'securityhub'], { AWS_REGION: 'us-east-99' }, "AWS_REGION in the environment: unknown AWS region 'us-east-99'"],
  ] as const) {
    const io = capturedIo(dir, { env });
    t.is(await main(argv, io), 2, argv.join(' '));
    t.true(io.err().includes(expected), io.err());
  }
  // A real Region of each partition is accepted.
  for (const region of ['cn-north-1', 'us-gov-west-1', 'ap-southeast-5', 'us-east-1']) t.is(unknownRegionProblem(region), undefined, region);

  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    'securityHub:\n  region: us-east-99\nsources:\n  - { type: cloudtrail, regions: [eu-west-1, eu-wset-2] }\n',
  );
  const io = capturedIo(dir);
  t.is(await main(['run', '--since', '1d'], io), 2);
  t.regex(io.err(), /\.lfvauditrc\.yaml:2:11: error unknown-region: securityHub\.region: unknown AWS region 'us-east-99' \(did you mean 'us-east-1'\?\)/);
  t.regex(
    io.err(),
    /\.lfvauditrc\.yaml:4:\d+: error unknown-region: sources\[0\]\.regions\[1\]: unknown AWS region 'eu-wset-2' \(did you mean 'eu-west-2'\?\)/,
  );
});

test('an incomplete run headlines "Incomplete: …", never "No findings.", in the table and in JSON', async (t) => {
  const dir = tempFolder(t, 'incomplete');
  await mkdir(path.join(dir, 'logs'));
  await writeFile(path.join(dir, 'logs', 'broken.json'), '{"Records": [');
  const table = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${path.join(dir, 'logs')}`, '--sink', 'stdout'], table), 2);
  t.regex(table.out(), /^Incomplete: 1 unreadable input, 1 source with no CloudTrail records;/);
  t.false(table.out().includes('No findings'), table.out());
  const json = capturedIo(dir);
  t.is(await main(['run', '--source', `file:${path.join(dir, 'logs')}`, '--sink', 'stdout', '--format', 'json'], json), 2);
  const report = JSON.parse(json.out()) as { Incomplete?: string; Findings: unknown[] };
  t.deepEqual(report.Findings, []);
  t.regex(report.Incomplete ?? '', /^Incomplete: 1 unreadable input/);
});
