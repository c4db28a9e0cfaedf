import test from 'ava';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emulatorEnvironment, startAwsEmulator, type AwsEmulator } from '../support/aws-emulator/index.js';
import { lfvEvents } from '../support/finding-runs.js';
import { lfvRecord } from '../support/lfv-record.js';
import { spawnLfvaudit, type CliExit } from './cli-process.js';
import { nightlyProject } from './nightly-job.js';

// Credentials and secrets never reach output, logs, findings, the state folder or error messages: the
// real CLI runs with marker values in AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, against faults that
// make the SDK fail in every way it can, over events whose request parameters hold a marked password.

const SECRET_KEY = 'SECRETKEYMARKER/abcdefghijklmnopqrstuvwxyz012';
const SESSION_TOKEN = 'SESSIONTOKENMARKER+IQoJb3JpZ2luX2VjEHEaCXVzLWVhc3QtMSJHMEUCIQ';
const PASSWORD = 'PASSWORDMARKER-hunter2';
const MARKERS = [SECRET_KEY, SESSION_TOKEN, PASSWORD, 'SECRETKEYMARKER', 'SESSIONTOKENMARKER', 'PASSWORDMARKER'];
const CREDENTIAL = { accessKeyId: 'AKIAMARKEREXAMPLE001', secretAccessKey: SECRET_KEY, accountId: '123456789012' };

/** A custom rule that groups by the password a call carried, as a careless rule author might. */
const GROUPS_BY_PASSWORD = `id: password-in-request
title: Call that carried a password
description: A Lookout for Vision call whose request parameters held a password.
severity: LOW
types: [Sensitive Data Identifications/Passwords/Password In Request]
remediation: { text: Do not pass passwords in request parameters. }
scope: { eventSource: [lookoutvision.amazonaws.com] }
groupBy: [principal, requestParameters.password]
conditions:
  all:
    - { fact: requestParameters.password, operator: exists, value: true }
tests:
  - { name: a password, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateDataset, requestParameters: { password: x } } }
  - { name: no password, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateDataset } }
`;

async function leakProject(t: Parameters<typeof nightlyProject>[0], emulator: AwsEmulator): Promise<string> {
  const dir = await nightlyProject(t);
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'password-in-request.yaml'), GROUPS_BY_PASSWORD);
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), `rules:\n  paths: [rules]\n${await readFile(path.join(dir, '.lfvauditrc.yaml'), 'utf8')}`);
  const start = new Date(Date.now() - 5 * 3_600_000);
  emulator.state.cloudTrail.load([
    ...lfvEvents(60, start, 60_000),
    ...[0, 1, 2].map((index) =>
      lfvRecord({
        eventID: `password-${index}`,
        eventTime: new Date(start.getTime() + index * 60_000).toISOString(),
        requestParameters: { projectName: 'P1', password: PASSWORD },
      }),
    ),
  ]);
  return dir;
}

/** Everything a run left where a person or a log collector could read it. */
async function everythingWritten(dir: string, run: CliExit, emulator: AwsEmulator): Promise<string> {
  const stateFolder = path.join(dir, '.lfvaudit');
  const stateFiles = await readdir(stateFolder).catch(() => [] as string[]);
  const states = await Promise.all(stateFiles.map((name) => readFile(path.join(stateFolder, name), 'utf8')));
  const findings = ['us-east-1', 'eu-west-1'].flatMap((region) => emulator.state.securityHub.findings({ accountId: '123456789012', region }));
  return [run.stdout, run.stderr, ...states, JSON.stringify(findings)].join('\n');
}

function markersIn(text: string): string[] {
  return MARKERS.filter((marker) => text.includes(marker));
}

test('with a wrong secret key and a session token set, every SDK error is reported and neither appears anywhere', async (t) => {
  const emulator = await startAwsEmulator(); // does not know the marker key: every call is refused
  t.teardown(() => emulator.close());
  const dir = await leakProject(t, emulator);
  const env = { ...emulatorEnvironment(emulator, { credential: CREDENTIAL }), AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN };
  for (const argv of [['run'], ['run', '--format', 'json'], ['findings', 'list']]) {
    const run = await spawnLfvaudit(dir, argv, env).exit;
    t.is(run.status, 2, `${argv.join(' ')}: ${run.stderr}`);
    t.regex(run.stderr, /UnrecognizedClientException|InvalidClientTokenId|InvalidSignatureException|SignatureDoesNotMatch/, argv.join(' '));
    t.deepEqual(markersIn(await everythingWritten(dir, run, emulator)), [], argv.join(' '));
  }
});

test('through resets, truncated answers, server errors and refused findings, no credential or request password appears anywhere', async (t) => {
  const emulator = await startAwsEmulator({ credentials: [CREDENTIAL] });
  t.teardown(() => emulator.close());
  const dir = await leakProject(t, emulator);
  emulator.faults.inject({ operation: 'LookupEvents', kind: 'reset', times: 1 });
  emulator.faults.inject({ operation: 'LookupEvents', kind: 'truncatedBody', times: 1 });
  emulator.faults.inject({ operation: 'GetFindings', kind: 'http500', times: 1 });
  emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'truncatedBody', times: 1 });
  emulator.faults.inject({ operation: 'BatchImportFindings', kind: 'failedFindings', errorCode: 'InvalidInput', times: 1 });
  const env = { ...emulatorEnvironment(emulator, { credential: CREDENTIAL }), AWS_SESSION_TOKEN: SESSION_TOKEN };
  const failed = await spawnLfvaudit(dir, ['run', '--format', 'json'], env).exit;
  t.is(failed.status, 2, failed.stderr);
  t.regex(failed.stderr, /sink-failed/);
  t.deepEqual(markersIn(await everythingWritten(dir, failed, emulator)), []);

  const clean = await spawnLfvaudit(dir, ['run', '--format', 'json'], env).exit;
  t.is(clean.status, 0, clean.stderr);
  const written = await everythingWritten(dir, clean, emulator);
  t.deepEqual(markersIn(written), []);
  // The password rule did match: its findings exist, grouped by a value they never show.
  t.regex(written, /"lfvaudit\/GroupKey":"\{\\"principal\\":\\"[^"\\]+\\",\\"requestParameters\.password\\":\\"\[redacted\]\\"\}"/);
});
