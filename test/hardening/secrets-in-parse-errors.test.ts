import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { EXCERPT_LENGTH } from '../../src/shared/diagnostics.js';
import { capturedIo } from '../support/captured-io.js';
import { rootCreateProjectRule } from '../support/rule-fixtures.js';
import { spawnLfvaudit } from './cli-process.js';
import { tempFolder } from '../support/temp-folder.js';

// A config or rule path that resolves, through a symlink, to a file of secrets (a `.env`, a key file):
// the error must say what is wrong and where, and quote at most the one token it is about, cut at 80
// characters. Before, the config's error quoted the whole file.

/** 60 secrets, each longer than an excerpt, so that no excerpt can hold one whole. */
const SECRETS = Array.from(
  { length: 60 },
  (_, index) => `s3cr3t-${String(index).padStart(2, '0')}-${createHash('sha256').update(String(index)).digest('hex')}${'Q'.repeat(30)}`,
);

/** Files of secrets as they are found on disks: a .env, a .env with quoted values, YAML, JSON, a PEM key. */
const SECRET_FILES: Readonly<Record<string, string>> = {
  env: SECRETS.map((secret, index) => `SECRET_${index}=${secret}`).join('\n'),
  'quoted-env': SECRETS.map((secret, index) => `export SECRET_${index}="${secret} with spaces"`).join('\n'),
  yaml: SECRETS.map((secret, index) => `secret${index}: ${secret}`).join('\n'),
  json: JSON.stringify(Object.fromEntries(SECRETS.map((secret, index) => [`secret${index}`, secret])), null, 2),
  pem: ['-----BEGIN RSA PRIVATE KEY-----', ...SECRETS, '-----END RSA PRIVATE KEY-----'].join('\n'),
};

/**
 * Nothing of a secret in `output` beyond what one excerpt allows: no secret whole, and of every secret
 * but the first (whose line may open an excerpt) not even a fragment of 16 characters.
 */
function assertNoSecrets(t: ExecutionContext, output: string, label: string): void {
  for (const [index, secret] of SECRETS.entries()) {
    t.false(output.includes(secret), `${label}: secret ${index} is quoted whole`);
    if (index === 0) continue;
    for (let start = 0; start + 16 <= secret.length; start += 8) {
      const fragment = secret.slice(start, start + 16);
      if (output.includes(fragment)) {
        t.fail(`${label}: a fragment of secret ${index} is quoted: ${fragment}`);
        return;
      }
    }
  }
  // No line quotes more than an excerpt's worth of any secret file's text.
  for (const line of output.split('\n')) {
    const quotes = line.match(/["'][^"']*["']/g) ?? [];
    for (const quote of quotes) t.true(quote.length <= EXCERPT_LENGTH + 3, `${label}: a quote of ${quote.length} characters: ${quote.slice(0, 120)}`);
  }
}

async function project(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'secret-file');
  await mkdir(path.join(dir, 'logs'));
  await writeFile(path.join(dir, 'logs/empty.json'), '{"Records": []}');
  await mkdir(path.join(dir, 'private'));
  for (const [name, text] of Object.entries(SECRET_FILES)) await writeFile(path.join(dir, 'private', name), `${text}\n`);
  return dir;
}

async function run(dir: string, argv: readonly string[]): Promise<{ status: number; output: string }> {
  const io = capturedIo(dir);
  const status = await main(argv, io);
  return { status, output: `${io.out()}\n${io.err()}` };
}

for (const kind of Object.keys(SECRET_FILES)) {
  test(`a config found by the search that is a symlink to a ${kind} file of secrets: an error, quoting no secret`, async (t) => {
    const dir = await project(t);
    await writeFile(path.join(dir, 'package.json'), '{}');
    await symlink(path.join(dir, 'private', kind), path.join(dir, '.lfvauditrc.yaml'));
    const { status, output } = await run(dir, ['run', '--source', `file:${path.join(dir, 'logs')}`]);
    t.is(status, 2, output);
    t.regex(output, /\.lfvauditrc\.yaml(:\d+:\d+)?: error /);
    assertNoSecrets(t, output, kind);
  });

  test(`--config naming a symlink to a ${kind} file of secrets: run, rules validate and explain quote no secret`, async (t) => {
    const dir = await project(t);
    await writeFile(path.join(dir, 'package.json'), '{}');
    const link = path.join(dir, 'lfvaudit.yaml');
    await symlink(path.join(dir, 'private', kind), link);
    for (const argv of [
      ['run', '--config', link, '--source', `file:${path.join(dir, 'logs')}`],
      ['rules', 'validate', '--config', link],
      ['rules', 'list', '--config', link],
      ['explain', '--config', link, '--rule', 'lfv-mfa-required', '--event', path.join(dir, 'logs/empty.json')],
    ]) {
      const { status, output } = await run(dir, argv);
      t.is(status, 2, output);
      t.regex(output, /lfvaudit\.yaml(:\d+:\d+)?: error /);
      assertNoSecrets(t, output, `${kind}: ${argv.slice(0, 2).join(' ')}`);
    }
  });

  test(`a rule path and a rule test's eventFile that are symlinks to a ${kind} file of secrets: errors quoting no secret`, async (t) => {
    const dir = await project(t);
    await writeFile(path.join(dir, 'package.json'), '{}');
    await mkdir(path.join(dir, 'rules'));
    await symlink(path.join(dir, 'private', kind), path.join(dir, 'rules', 'leak.yaml'));
    await symlink(path.join(dir, 'private', kind), path.join(dir, 'rules', 'leak.json'));
    await writeFile(path.join(dir, 'rules', 'uses-leak.yaml'), USES_EVENT_FILE);
    await writeFile(path.join(dir, '.lfvauditrc.yaml'), 'rules:\n  builtIn: false\n  paths: [rules]\n');
    for (const argv of [
      ['rules', 'validate'],
      ['run', '--source', `file:${path.join(dir, 'logs')}`],
    ]) {
      const { status, output } = await run(dir, argv);
      t.is(status, 2, output);
      t.regex(output, /leak\.yaml(:\d+:\d+)?: error /);
      // The JSON file of secrets is one object: a record as far as an eventFile goes, and no mistake.
      if (kind !== 'json') t.regex(output, /leak\.json(:\d+:\d+)?: error event-file: /);
      assertNoSecrets(t, output, `${kind}: ${argv[0] ?? ''}`);
    }
  });
}

test('a package.json on the config search path that is a symlink to a file of secrets: an error at its first mistake, no secret', async (t) => {
  const dir = await project(t);
  await symlink(path.join(dir, 'private', 'env'), path.join(dir, 'package.json'));
  const { status, output } = await run(dir, ['run', '--source', `file:${path.join(dir, 'logs')}`]);
  t.is(status, 2, output);
  t.true(output.includes(`${path.join(dir, 'package.json')}:1:1: error config-syntax: invalid JSON: expected a value, found 'S'`), output);
  assertNoSecrets(t, output, 'package.json');
});

test('the real CLI in a folder whose package.json is a symlink to a file of secrets (cosmiconfig reads it for its own settings): an error, no stack, no secret', async (t) => {
  const dir = await project(t);
  await symlink(path.join(dir, 'private', 'env'), path.join(dir, 'package.json'));
  const exit = await spawnLfvaudit(dir, ['run', '--source', 'file:logs'], { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }).exit;
  t.is(exit.status, 2, exit.stderr);
  t.regex(exit.stderr, /package\.json: error config-syntax: /);
  t.notRegex(exit.stderr, /internal error|\n\s+at /);
  assertNoSecrets(t, `${exit.stdout}\n${exit.stderr}`, 'CLI');
});

/** A valid rule whose one test reads its event from leak.json. */
const USES_EVENT_FILE = rootCreateProjectRule(
  'uses-leak',
  `  - name: root creates a project
    expect: match
    eventFile: leak.json
  - name: a role creates a project
    expect: no-match
    event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: AssumedRole } }
`,
);
