import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

import test, { type ExecutionContext } from 'ava';

import type { SourceItem } from '../../../src/sources/event-source.js';
import { FileSource, inflatedAhead, NOT_A_LOG_NAME_REASON, readFileInput, type FileSourceOptions } from '../../../src/sources/file/file-source.js';
import { createProject, detectAnomalies, DIGEST_TEXT } from '../../records/document-fixtures.js';
import { tempFolder } from '../../support/temp-folder.js';

/** A fresh folder holding `files` (relative path → content), removed after the test. */
async function folderWith(t: ExecutionContext, files: Record<string, string | Buffer>): Promise<string> {
  const root = tempFolder(t, 'file-source');
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

async function readAll(path: string, options?: FileSourceOptions, signal?: AbortSignal): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of new FileSource(path, options).read(undefined, signal)) items.push(item);
  return items;
}

/** Each item as `kind origin` with the origin relative to root, to assert on order. */
function summary(items: readonly SourceItem[], root: string): string[] {
  return items.map((item) => `${item.kind} ${item.origin.slice(root.length + 1)}`);
}

const logFile = (...records: object[]): string => JSON.stringify({ Records: records });

test('a single file yields its records with the path as origin', async (t) => {
  const root = await folderWith(t, { 'trail.json': logFile(createProject) });
  t.deepEqual(await readAll(join(root, 'trail.json')), [{ kind: 'records', origin: join(root, 'trail.json'), records: [createProject] }]);
});

test('gzip is detected by content, not by the name', async (t) => {
  const root = await folderWith(t, { 'trail.json': gzipSync(logFile(createProject)), 'trail.json.gz': logFile(detectAnomalies) });
  t.deepEqual(
    (await readAll(root)).map((item) => item.kind === 'records' && item.records),
    [[createProject], [detectAnomalies]],
  );
});

test('a folder is walked recursively in code-unit order of names, files and folders alike', async (t) => {
  const root = await folderWith(t, {
    'b.json': logFile(createProject),
    'a/2.json': logFile(createProject),
    'a/10.json': logFile(createProject),
    'B/x.json': logFile(createProject),
    'a.json': logFile(createProject),
  });
  t.deepEqual(summary(await readAll(root), root), ['records B/x.json', 'records a/10.json', 'records a/2.json', 'records a.json', 'records b.json']);
});

test('hidden files and folders are skipped and reported, a hidden folder once', async (t) => {
  const root = await folderWith(t, {
    '.DS_Store': 'binary',
    '.git/HEAD': 'ref: refs/heads/main',
    'logs/.trail.json.swp': 'x',
    'logs/trail.json': logFile(createProject),
  });
  const items = await readAll(root);
  t.deepEqual(summary(items, root), ['skipped .DS_Store', 'skipped .git', 'skipped logs/.trail.json.swp', 'records logs/trail.json']);
  t.like(items[0], { reason: 'hidden file' });
  t.like(items[1], { reason: 'hidden folder' });
});

test('in a walked folder only names CloudTrail data has are read; READMEs, licences and tables are skipped and reported', async (t) => {
  const lines = `${JSON.stringify(createProject)}\n`;
  const root = await folderWith(t, {
    'README.md': '# Trail logs',
    'LICENSES/CC-BY-4.0.txt': 'licence text',
    'events.tsv': 'a\tb',
    'trail.json': logFile(createProject),
    'more/events.JSONL': lines,
    'more/events.ndjson': lines,
  });
  t.deepEqual(summary(await readAll(root), root), [
    'skipped LICENSES/CC-BY-4.0.txt',
    'skipped README.md',
    'skipped events.tsv',
    'records more/events.JSONL',
    'records more/events.ndjson',
    'records trail.json',
  ]);
  t.like((await readAll(root))[0], { reason: NOT_A_LOG_NAME_REASON });
});

test('a file named directly is read whatever its name', async (t) => {
  const root = await folderWith(t, { 'exported-trail.txt': logFile(createProject) });
  t.deepEqual(await readAll(join(root, 'exported-trail.txt')), [{ kind: 'records', origin: join(root, 'exported-trail.txt'), records: [createProject] }]);
});

test('a hidden file named directly is read', async (t) => {
  const root = await folderWith(t, { '.trail.json': logFile(createProject) });
  t.like((await readAll(join(root, '.trail.json')))[0], { kind: 'records' });
});

test('files under CloudTrail-Digest are skipped without being read', async (t) => {
  const digestPath = 'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2025/10/20/digest.json.gz';
  // Not valid JSON: reading it would report a problem, so a skipped item proves it was not read.
  const root = await folderWith(t, { [digestPath]: 'not json', 'AWSLogs/123456789012/CloudTrail/us-east-1/2025/10/20/log.json': logFile(createProject) });
  const items = await readAll(root);
  t.deepEqual(summary(items, root), ['records AWSLogs/123456789012/CloudTrail/us-east-1/2025/10/20/log.json', `skipped ${digestPath}`]);
  t.like(items[1], { reason: 'CloudTrail digest file' });
});

test('a digest recognised by its content is skipped wherever it lies', async (t) => {
  const root = await folderWith(t, { 'downloads/digest.json.gz': gzipSync(DIGEST_TEXT) });
  t.deepEqual(await readAll(root), [{ kind: 'skipped', origin: join(root, 'downloads/digest.json.gz'), reason: 'CloudTrail digest file' }]);
});

test('a missing path yields one unreadable item naming it', async (t) => {
  const root = await folderWith(t, {});
  const missing = join(root, 'no-such-logs');
  const items = await readAll(missing);
  t.is(items.length, 1);
  t.like(items[0], { kind: 'unreadable', origin: missing });
  t.true(items[0]?.kind === 'unreadable' && items[0].reason.includes('ENOENT') && items[0].reason.includes(missing));
});

test('a bad line of JSON Lines yields the good lines as records and the bad line as unreadable with its line and column', async (t) => {
  const root = await folderWith(t, { 'events.jsonl': `${JSON.stringify(createProject)}\n{"eventName": \n${JSON.stringify(detectAnomalies)}\n` });
  const origin = join(root, 'events.jsonl');
  t.deepEqual(await readAll(root), [
    { kind: 'records', origin, records: [createProject, detectAnomalies] },
    { kind: 'unreadable', origin, line: 2, reason: 'invalid-json at column 15: expected a value, found the end of the input' },
  ]);
});

test('a file none of which can be read yields only its problem', async (t) => {
  const root = await folderWith(t, { 'notes.json': '{"findings": []}' });
  t.deepEqual(await readAll(root), [
    {
      kind: 'unreadable',
      origin: join(root, 'notes.json'),
      reason: 'not-cloudtrail: not a CloudTrail log: expected Records, Events, a record, JSON Lines or an EventBridge envelope',
    },
  ]);
});

test('a trail log file without records still yields a records item, so it counts as read', async (t) => {
  const root = await folderWith(t, { 'empty-trail.json': '{"Records":[]}' });
  t.deepEqual(await readAll(root), [{ kind: 'records', origin: join(root, 'empty-trail.json'), records: [] }]);
});

test('a file over the size limit is unreadable with the reason, and the next file is still read', async (t) => {
  const root = await folderWith(t, { 'a-bomb.json.gz': gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), 'b.json': logFile(createProject) });
  t.deepEqual(await readAll(root, { maxBytes: 64 * 1024 }), [
    { kind: 'unreadable', origin: join(root, 'a-bomb.json.gz'), reason: 'too-large: decompressed size is over the limit of 65536 bytes' },
    { kind: 'records', origin: join(root, 'b.json'), records: [createProject] },
  ]);
});

test('a truncated gzip file is unreadable as truncated', async (t) => {
  const gzipped = gzipSync(logFile(createProject, detectAnomalies));
  const root = await folderWith(t, { 'log.json.gz': gzipped.subarray(0, gzipped.length - 8) });
  t.like((await readAll(root))[0], { kind: 'unreadable', reason: 'truncated-gzip: truncated gzip: unexpected end of file' });
});

test('files gunzipped ahead on the thread pool give exactly the items of files read one by one, faults included', async (t) => {
  // Big enough (≥ 32 KB gzipped, hence the unique ids and addresses) for the read-ahead to take them.
  const records = (prefix: string): object[] =>
    Array.from({ length: 800 }, (_, index) => ({
      ...detectAnomalies,
      eventID: createHash('sha256').update(`${prefix}${index}`).digest('hex'),
      sharedEventID: createHash('sha256').update(`${index}${prefix}`).digest('hex'),
    }));
  const good = gzipSync(logFile(...records('a')));
  const truncated = gzipSync(logFile(...records('b')));
  const corrupt = Buffer.from(gzipSync(logFile(...records('c'))));
  corrupt.writeUInt8(corrupt.readUInt8(corrupt.length >> 1) ^ 0xff, corrupt.length >> 1);
  const root = await folderWith(t, {
    'a.json.gz': good,
    'b.json.gz': truncated.subarray(0, truncated.length - 100),
    'c.json.gz': corrupt,
    'd.json.gz': gzipSync(gzipSync(logFile(...records('d')))),
    'e.json.gz': gzipSync(logFile(...records('e'))),
    'f.json': logFile(...records('f')),
    // Over the 1 MiB limit once inflated.
    'g.json.gz': gzipSync(logFile(...records('g1'), ...records('g2'), ...records('g3'), ...records('g4'))),
  });
  t.true(good.length >= 32 * 1024, `${good.length}`);
  const options = { maxBytes: 1024 * 1024 };
  const names = ['a.json.gz', 'b.json.gz', 'c.json.gz', 'd.json.gz', 'e.json.gz', 'f.json', 'g.json.gz'];
  const oneByOne: SourceItem[] = [];
  for (const name of names) oneByOne.push(...(await readFileInput(join(root, name), options)));
  t.deepEqual(await readAll(root, options), oneByOne);
  // The read-ahead did take the good files, and left every fault to the ordinary read.
  const ahead = await Promise.all(names.map((name) => inflatedAhead(join(root, name), options)));
  t.deepEqual(
    ahead.map((bytes) => bytes !== undefined),
    [true, false, false, true, true, false, false],
  );
  // Inflated into one buffer of the size the trailer states (and a spare byte), not copied from chunks.
  t.is(ahead[0]?.buffer.byteLength, ahead[0]?.length === undefined ? undefined : ahead[0].length + 1);
  t.deepEqual(summary(oneByOne, root), [
    'records a.json.gz',
    'unreadable b.json.gz',
    'unreadable c.json.gz',
    'unreadable d.json.gz',
    'records e.json.gz',
    'records f.json',
    'unreadable g.json.gz',
  ]);
});

test('a file of several gzip members is read whole ahead, though its trailer states only the last member’s size', async (t) => {
  const records = Array.from({ length: 1600 }, (_, index) => ({ ...detectAnomalies, eventID: createHash('sha256').update(`m${index}`).digest('hex') }));
  const text = logFile(...records);
  // The last member is the last 10 characters: its trailer understates the file by far.
  const members = Buffer.concat([gzipSync(text.slice(0, -10)), gzipSync(text.slice(-10))]);
  t.true(members.length >= 32 * 1024, `${members.length}`);
  const root = await folderWith(t, { 'members.json.gz': members });
  t.is((await inflatedAhead(join(root, 'members.json.gz'), {}))?.toString(), text);
  t.deepEqual(await readAll(root), [{ kind: 'records', origin: join(root, 'members.json.gz'), records }]);
});

test('a symbolic link loop is followed once and then reported as skipped', async (t) => {
  const root = await folderWith(t, { 'logs/trail.json': logFile(createProject) });
  await symlink(join(root, 'logs'), join(root, 'logs', 'again'));
  t.deepEqual(summary(await readAll(root), root), ['skipped logs/again', 'records logs/trail.json']);
});

test('a symbolic link to a file is read', async (t) => {
  const root = await folderWith(t, { 'archive/trail.json': logFile(createProject) });
  await symlink(join(root, 'archive/trail.json'), join(root, 'link.json'));
  t.deepEqual(summary(await readAll(root), root), ['records archive/trail.json', 'records link.json']);
});

test('a broken symbolic link is unreadable', async (t) => {
  const root = await folderWith(t, {});
  await symlink(join(root, 'gone.json'), join(root, 'link.json'));
  t.like((await readAll(root))[0], { kind: 'unreadable', origin: join(root, 'link.json') });
});

const runsAsRoot = process.getuid?.() === 0;
(runsAsRoot ? test.skip : test)('a file without read permission is unreadable with the system error', async (t) => {
  const root = await folderWith(t, { 'secret.json': logFile(createProject) });
  await chmod(join(root, 'secret.json'), 0o000);
  const [item] = await readAll(root);
  t.true(item?.kind === 'unreadable' && item.reason.startsWith('EACCES'));
});

// Reading /proc/self/mem from offset 0 fails with EIO on Linux: a real read error that root cannot bypass.
(existsSync('/proc/self/mem') ? test : test.skip)('a file that fails while being read is unreadable with the system error', async (t) => {
  t.deepEqual(await readAll('/proc/self/mem'), [{ kind: 'unreadable', origin: '/proc/self/mem', reason: 'EIO: i/o error, read' }]);
});

test('an aborted read stops with an AbortError', async (t) => {
  const root = await folderWith(t, { 'a.json': logFile(createProject), 'b.json': logFile(createProject) });
  const controller = new AbortController();
  const seen: SourceItem[] = [];
  let stoppedWith: unknown;
  try {
    for await (const item of new FileSource(root).read(undefined, controller.signal)) {
      seen.push(item);
      controller.abort();
    }
  } catch (error) {
    stoppedWith = error;
  }
  t.is((stoppedWith as { name?: unknown } | undefined)?.name, 'AbortError');
  t.is(seen.length, 1);
});

test('the description names the path', (t) => {
  t.is(new FileSource('examples/logs').description, 'file:examples/logs');
});
