import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import fc from 'fast-check';
import { execFile, spawnSync } from 'node:child_process';
import { chmod, link, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FileFindingSink } from '../../src/sinks/file-sink.js';
import { findingsJsonText } from '../../src/sinks/findings-json-text.js';
import { emptySummary } from '../support/audit-summary.js';
import { tempFolder } from '../support/temp-folder.js';

const finding = { SchemaVersion: '2018-10-08', Id: 'lfvaudit/x', Title: 'A finding' } as AwsSecurityFinding;

test('findings are written as a BatchImportFindings body, pretty, ending in a newline', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  const path = join(folder, 'findings.json');
  await new FileFindingSink(path).write([finding], emptySummary());
  const text = await readFile(path, 'utf8');
  t.is(text, `${JSON.stringify({ Findings: [finding] }, null, 2)}\n`);
});

test('a run without findings writes an empty list', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  const path = join(folder, 'findings.json');
  await new FileFindingSink(path).write([], emptySummary());
  t.deepEqual(JSON.parse(await readFile(path, 'utf8')), { Findings: [] });
});

test('a new write replaces the previous file and leaves no temporary file behind', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  const path = join(folder, 'findings.json');
  await writeFile(path, 'previous run\n');
  await new FileFindingSink(path).write([finding], emptySummary());
  t.deepEqual(JSON.parse(await readFile(path, 'utf8')), { Findings: [finding] });
  t.deepEqual(await readdir(folder), ['findings.json']);
});

test('a write into a folder that does not exist creates the folder', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  const path = join(folder, 'missing', 'findings.json');
  await new FileFindingSink(path).write([finding], emptySummary());
  t.deepEqual(await readdir(join(folder, 'missing')), ['findings.json']);
});

test('a write under a path that is a file fails with the path and the reason', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  await writeFile(join(folder, 'plain-file'), 'x');
  const path = join(folder, 'plain-file', 'findings.json');
  await t.throwsAsync(new FileFindingSink(path).write([finding], emptySummary()), {
    message: new RegExp(`^cannot write findings to ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
  });
});

/** The compiled sink next to this compiled test. */
const sinkUrl = new URL('../../src/sinks/file-sink.js', import.meta.url).href;

/** Children that must not run as root run as `nobody` (root ignores folder permissions). */
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** Runs a module script with node in a child process, under `sh` so that limits (`ulimit`) can apply to it first. */
async function nodeInChild(script: string, options: { readonly limit?: string; readonly user?: { uid: number; gid: number } }): Promise<string> {
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `${options.limit ?? ''}exec "$0" --input-type=module -e "$1"`, process.execPath, script], {
    ...options.user,
  });
  return stdout;
}

/**
 * Runs the file sink in a child process, so the write can be constrained in ways this process must
 * not be: as the `nobody` user or with a file-size limit that makes the write fail halfway. Resolves
 * to the error message, or undefined when the write succeeded.
 */
async function writeInChild(path: string, findingCount: number, constraint: { asNobody?: boolean; fileSizeLimitBlocks?: number }): Promise<string | undefined> {
  const script = `const { FileFindingSink } = await import(${JSON.stringify(sinkUrl)});
    const findings = Array.from({ length: ${findingCount} }, (_, index) => ({ Id: 'lfvaudit/' + index, Title: 'x'.repeat(200) }));
    await new FileFindingSink(${JSON.stringify(path)}).write(findings, {}).then(() => process.stdout.write('written'), (error) => process.stdout.write(error.message));`;
  const stdout = await nodeInChild(script, {
    ...(constraint.fileSizeLimitBlocks === undefined ? {} : { limit: `ulimit -f ${constraint.fileSizeLimitBlocks} && ` }),
    ...(constraint.asNobody === true && asNobody !== undefined ? { user: asNobody } : {}),
  });
  return stdout === 'written' ? undefined : stdout;
}

/**
 * Why `nobody` cannot load the compiled sink and write in the temp folder here, found by trying it
 * (a checkout or temp folder under a private 0700 folder is out of its reach); undefined when it can.
 * Synchronous: ava takes tests declared while the file loads, before any await.
 */
function nobodyCannotRunTheSink(): string | undefined {
  if (asNobody === undefined) return undefined;
  const probe = `await import(${JSON.stringify(sinkUrl)}); (await import('node:fs')).accessSync(${JSON.stringify(tmpdir())}, 3);`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { ...asNobody, encoding: 'utf8' });
  if (child.status === 0) return undefined;
  const reason = /Error\b[^\n]*/.exec(child.stderr)?.[0] ?? child.error?.message ?? `exit status ${child.status}`;
  return ` (skipped: the user nobody cannot load ${fileURLToPath(sinkUrl)} or write in ${tmpdir()}: ${reason})`;
}
const nobodySkip = nobodyCannotRunTheSink();

test('a write that fails halfway leaves the previous file whole and no temporary file behind', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  const path = join(folder, 'findings.json');
  await writeFile(path, 'previous run\n');
  // 4 blocks of 512 bytes: the first few findings are written, then the write fails with EFBIG.
  const message = await writeInChild(path, 100, { fileSizeLimitBlocks: 4 });
  t.is(message, `cannot write findings to ${path}: the file is larger than allowed (EFBIG)`);
  t.is(await readFile(path, 'utf8'), 'previous run\n');
  t.deepEqual(await readdir(folder), ['findings.json']);
});

test('a reader holding the previous file keeps reading all of it while a new one is written', async (t) => {
  const folder = tempFolder(t, 'file-sink');
  const path = join(folder, 'findings.json');
  await writeFile(path, 'previous run\n');
  await link(path, join(folder, 'reader.json'));
  await new FileFindingSink(path).write([finding], emptySummary());
  t.is(await readFile(join(folder, 'reader.json'), 'utf8'), 'previous run\n');
  t.deepEqual(JSON.parse(await readFile(path, 'utf8')), { Findings: [finding] });
});

(nobodySkip === undefined ? test : test.skip)(
  `a write into a read-only folder fails with a clear error and the previous file survives${nobodySkip ?? ''}`,
  async (t) => {
    const folder = tempFolder(t, 'file-sink');
    const readOnly = join(folder, 'read-only');
    await mkdir(readOnly);
    const path = join(readOnly, 'findings.json');
    await writeFile(path, 'previous run\n');
    await chmod(folder, 0o755);
    await chmod(readOnly, 0o555);
    try {
      t.is(await writeInChild(path, 1, { asNobody: true }), `cannot write findings to ${path}: permission denied (EACCES)`);
      t.is(await readFile(path, 'utf8'), 'previous run\n');
      t.deepEqual(await readdir(readOnly), ['findings.json']);
    } finally {
      await chmod(readOnly, 0o755);
    }
  },
);

test('the file is written in pieces that join to exactly JSON.stringify of the whole body, with members after the findings or not', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.jsonValue(), { maxLength: 150 }),
      fc.option(
        fc.dictionary(
          fc.string().filter((key) => key !== 'Findings' && !/^(0|[1-9][0-9]*)$/.test(key)),
          fc.jsonValue(),
          { maxKeys: 3 },
        ),
      ),
      (values, after) => {
        const findings = values as unknown as AwsSecurityFinding[];
        // From an iterable that is not an array, as the audit hands them over. (Keys that look like array
        // indexes are left out: JavaScript orders them before every other key of an object.)
        const text = [...findingsJsonText(findings.values(), after ?? {})].join('');
        return text === `${JSON.stringify({ Findings: findings, ...after }, null, 2)}\n`;
      },
    ),
    { numRuns: 300, seed: 7 },
  );
  t.pass();
});
