import test from 'ava';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditState } from '../../src/state/audit-state.js';
import { readAuditState, writeAuditState } from '../../src/state/state-file.js';
import { AuditStateFileError } from '../../src/state/state-file-format.js';
import { tempFolder } from '../support/temp-folder.js';

const at = (iso: string): Date => new Date(iso);

const sampleState: AuditState = {
  scopes: new Map([
    ['cloudtrail:us-east-1', { lastCompletedEnd: at('2025-10-20T12:00:00Z'), updatedAt: at('2025-10-20T12:20:03.456Z'), runs: 7 }],
    ['file:/var/log/trail', { lastCompletedEnd: at('2025-09-01T00:00:00Z'), updatedAt: at('2025-09-01T00:15:00Z'), runs: 1 }],
  ]),
};

function validFile(scopes: unknown): string {
  return JSON.stringify({ version: 2, scopes });
}

test('a missing state file reads as undefined', async (t) => {
  const folder = tempFolder(t, 'state');
  t.is(await readAuditState(path.join(folder, 'state.json')), undefined);
});

test('a written state reads back equal', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeAuditState(file, sampleState);
  t.deepEqual(await readAuditState(file), sampleState);
});

test('the file holds version 2 and scopes with ISO times and runs, nothing else', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeAuditState(file, sampleState);
  t.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
    version: 2,
    scopes: {
      'cloudtrail:us-east-1': { lastCompletedEnd: '2025-10-20T12:00:00.000Z', updatedAt: '2025-10-20T12:20:03.456Z', runs: 7 },
      'file:/var/log/trail': { lastCompletedEnd: '2025-09-01T00:00:00.000Z', updatedAt: '2025-09-01T00:15:00.000Z', runs: 1 },
    },
  });
});

test('a state file with the sources object earlier builds wrote (empty or not) reads, and the next write drops it', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  const scopes = { 'cloudtrail regions=us-east-1': { lastCompletedEnd: '2025-10-20T12:00:00.000Z', updatedAt: '2025-10-20T12:20:00.000Z', runs: 2 } };
  for (const sources of [{}, { 's3://trail/AWSLogs/': { completed: ['a.json.gz'] }, __proto__: { polluted: true } }]) {
    await writeFile(file, JSON.stringify({ version: 2, scopes, sources }));
    const state = await readAuditState(file);
    t.deepEqual(state, {
      scopes: new Map([['cloudtrail regions=us-east-1', { lastCompletedEnd: at('2025-10-20T12:00:00Z'), updatedAt: at('2025-10-20T12:20:00Z'), runs: 2 }]]),
    });
    if (state === undefined) return;
    await writeAuditState(file, state);
    t.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 2, scopes });
  }
  t.false('polluted' in {});
});

test('writing creates the state file’s folder when it is missing', async (t) => {
  const file = path.join(tempFolder(t, 'state'), '.lfvaudit', 'nested', 'state.json');
  await writeAuditState(file, sampleState);
  t.deepEqual(await readAuditState(file), sampleState);
});

test('a successful write replaces the old state and leaves no temp file behind', async (t) => {
  const folder = tempFolder(t, 'state');
  const file = path.join(folder, 'state.json');
  await writeAuditState(file, { scopes: new Map() });
  await writeAuditState(file, sampleState);
  t.deepEqual(await readdir(folder), ['state.json']);
  t.deepEqual(await readAuditState(file), sampleState);
});

test('a write that fails at the rename (a crash at the commit point) leaves the old file intact and removes the temp file', async (t) => {
  const folder = tempFolder(t, 'state');
  const file = path.join(folder, 'state.json');
  await writeAuditState(file, sampleState);
  const before = await readFile(file, 'utf8');
  const renamed: string[] = [];
  const crash = (from: string): Promise<void> => {
    renamed.push(from);
    return Promise.reject(Object.assign(new Error('EIO: simulated crash'), { code: 'EIO' }));
  };

  await t.throwsAsync(writeAuditState(file, { scopes: new Map() }, { rename: crash }), { message: /simulated crash/ });

  t.is(renamed.length, 1, 'the new state was fully written to a temp file before the rename');
  t.is(path.dirname(renamed[0] ?? ''), folder, 'the temp file is in the same folder, so the rename is atomic');
  t.is(await readFile(file, 'utf8'), before);
  t.deepEqual(await readdir(folder), ['state.json']);
});

test('a file that is not JSON is refused with an error naming the file and saying it is not reset', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeFile(file, '{"version": 1, "scopes": {');
  const error = await t.throwsAsync(readAuditState(file), { instanceOf: AuditStateFileError });
  t.is(error?.file, file);
  t.true(error?.message.startsWith(`${file}: `));
  t.regex(error?.message ?? '', /not valid JSON/);
  t.regex(error?.message ?? '', /does not reset/);
});

test('an empty file is refused as empty', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeFile(file, '');
  await t.throwsAsync(readAuditState(file), { instanceOf: AuditStateFileError, message: /the file is empty/ });
});

test('a state file of an unknown version is refused, naming the version', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeFile(file, JSON.stringify({ version: 3, scopes: {} }));
  await t.throwsAsync(readAuditState(file), { instanceOf: AuditStateFileError, message: /version 3 is not supported \(this lfvaudit reads versions 1 and 2/ });
});

test('a state file without a version is refused', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeFile(file, JSON.stringify({ scopes: {} }));
  await t.throwsAsync(readAuditState(file), { instanceOf: AuditStateFileError, message: /it has no "version"/ });
});

test('every bad field is reported at once, each with its key path', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeFile(
    file,
    validFile({
      a: { lastCompletedEnd: 'yesterday', updatedAt: '2025-10-20T12:00:00Z', runs: 1 },
      b: { lastCompletedEnd: '2025-10-20T12:00:00Z', updatedAt: '2025-10-20T12:00:00Z', runs: -1 },
      c: 'not an object',
    }),
  );
  const error = await t.throwsAsync(readAuditState(file), { instanceOf: AuditStateFileError });
  t.deepEqual(error?.problems, [
    'scopes["a"].lastCompletedEnd: expected a valid ISO 8601 time such as 2025-10-20T06:00:00.000Z, got "yesterday"',
    'scopes["b"].runs: expected a whole number ≥ 0, got -1',
    'scopes["c"]: expected an object, got "not an object"',
  ]);
});

test('a state file whose scopes are not an object is refused', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await writeFile(file, JSON.stringify({ version: 2, scopes: [] }));
  await t.throwsAsync(readAuditState(file), { instanceOf: AuditStateFileError, message: /"scopes": expected an object, got an array/ });
});

test('scope keys such as __proto__ and constructor are plain keys that pollute nothing', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  const progress = { lastCompletedEnd: '2025-10-20T12:00:00Z', updatedAt: '2025-10-20T12:20:00Z', runs: 1 };
  await writeFile(file, `{"version": 2, "scopes": {"__proto__": ${JSON.stringify(progress)}, "constructor": ${JSON.stringify(progress)}}}`);

  const state = await readAuditState(file);

  t.deepEqual([...(state?.scopes.keys() ?? [])], ['__proto__', 'constructor']);
  t.false(Object.hasOwn(Object.prototype, 'lastCompletedEnd'));
  if (state === undefined) return;
  await writeAuditState(file, state);
  t.deepEqual(await readAuditState(file), state, 'the keys survive a write');
});

test('a state path that cannot be read is an error naming the file', async (t) => {
  const file = path.join(tempFolder(t, 'state'), 'state.json');
  await mkdir(file);
  const error = await t.throwsAsync(readAuditState(file));
  t.true(error?.message.startsWith(`${file}: cannot read the audit state: `));
});
