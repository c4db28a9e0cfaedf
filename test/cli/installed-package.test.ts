import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

const run = promisify(execFile);

/**
 * npm itself: the one running `npm test` when there is one (npm_execpath), else the npm on PATH.
 * Installs prefer npm's cache, which `npm ci` filled, so the test needs the registry only for a
 * dependency that changed since.
 */
function npm(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const npmCli = process.env['npm_execpath'];
  const options = {
    cwd,
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  };
  return npmCli !== undefined && npmCli.endsWith('.js') ? run(process.execPath, [npmCli, ...args], options) : run('npm', [...args], options);
}

test('the packed tarball, installed into an empty prefix, starts and audits a project in an empty folder', async (t) => {
  t.timeout(170_000);
  const scratch = tempFolder(t, 'installed');
  // dist/ is built by `npm test`; packing must not build again.
  await npm(['pack', '--ignore-scripts', '--pack-destination', scratch], repoRoot());
  const tarball = (await readdir(scratch)).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  const prefix = path.join(scratch, 'prefix');
  await npm(['install', '--global', '--prefix', prefix, '--prefer-offline', path.join(scratch, tarball)], scratch);

  // A project folder that knows nothing of the source tree: only the installed command.
  const project = path.join(scratch, 'project');
  await mkdir(project);
  const lfvaudit = path.join(prefix, 'bin', 'lfvaudit');
  const env = { PATH: process.env['PATH'] ?? '', HOME: scratch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const step = async (args: readonly string[]): Promise<string> => {
    try {
      return (await run(lfvaudit, [...args], { cwd: project, env })).stdout;
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`lfvaudit ${args.join(' ')} exited ${failed.code}:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`, { cause: error });
    }
  };

  t.regex(await step(['init']), /wrote \.lfvauditrc\.yaml\n/);
  t.regex(await step(['rules', 'validate']), /\n12 rules loaded, 0 errors, \d+ warnings\n$/);
  // Every built-in rule's embedded tests and the example rule's: the tarball holds the events they read.
  t.regex(await step(['rules', 'test']), /\n\d+ passed, 0 failed\n$/);
  t.regex(await step(['run', '--format', 'json']), /"lfv-root-credentials"/);
  const findings = JSON.parse(await readFile(path.join(project, 'findings.json'), 'utf8')) as { Findings: unknown[] };
  t.true(findings.Findings.length > 0);
});
