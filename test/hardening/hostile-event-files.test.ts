import test from 'ava';
import { gzipSync } from 'node:zlib';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { findingsByRule, hostileProject, runHostile, seedRecord } from './hostile-project.js';

// Hostile trail log files through the real pipeline (main → file source → records → evaluate → findings
// → file sink), each next to a good log file. The outcome is always one of two: the file is read, or it is
// reported by name with its reason (and line), the rest is audited, and the run exits 2. Never a crash.

/** The seed record's two findings, each counting the events given. */
function seedFindings(events: number): Record<string, string> {
  return { 'lfv-mfa-required': String(events), 'lfv-source-ip-allowlist': String(events) };
}

function records(count: number, prefix: string): Promise<Record<string, unknown>[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => seedRecord({ eventID: `${prefix}-${index}` })));
}

test('a truncated gzip file is reported as truncated, the rest is audited, exit 2', async (t) => {
  const whole = gzipSync(JSON.stringify({ Records: await records(200, 'cut') }));
  const dir = await hostileProject(t, { 'cut.json.gz': whole.subarray(0, Math.floor(whole.length / 2)) });
  const run = await runHostile(dir);
  t.is(run.status, 2);
  t.regex(run.err, /logs\/cut\.json\.gz: error unreadable-input: truncated-gzip: /);
  t.deepEqual(findingsByRule(run.findings), seedFindings(1));
  t.like(run.log, { complete: false, unreadable: 1, recordsRead: 1 });
});

test('a gzip file with a corrupt body is reported as corrupt, exit 2', async (t) => {
  const whole = gzipSync(JSON.stringify({ Records: await records(5, 'bad') }));
  const corrupt = Buffer.from(whole);
  corrupt.fill(0x55, 12, 40);
  const dir = await hostileProject(t, { 'bad.json.gz': corrupt });
  const run = await runHostile(dir);
  t.is(run.status, 2);
  t.regex(run.err, /logs\/bad\.json\.gz: error unreadable-input: corrupt-gzip: /);
  t.deepEqual(findingsByRule(run.findings), seedFindings(1));
});

test('invalid JSON is reported with its line and column, the rest is audited, exit 2', async (t) => {
  const pretty = JSON.stringify({ Records: await records(1, 'pretty') }, null, 2).split('\n');
  // A missing comma after line 4: `"eventVersion": "1.08"` followed by the next key.
  pretty[3] = (pretty[3] ?? '').replace(/,$/, '');
  const dir = await hostileProject(t, { 'pretty.json': pretty.join('\n') });
  const run = await runHostile(dir);
  t.is(run.status, 2);
  t.regex(run.err, /logs\/pretty\.json:5: error unreadable-input: invalid-json at column \d+: /);
  t.deepEqual(findingsByRule(run.findings), seedFindings(1));
});

test('in JSON Lines only the bad line is lost: it is reported by line, the lines around it are audited', async (t) => {
  const [first, second] = await records(2, 'line');
  const dir = await hostileProject(t, { 'events.jsonl': `${JSON.stringify(first)}\n{"eventName": "CreateDataset",\n${JSON.stringify(second)}\n` });
  const run = await runHostile(dir);
  t.is(run.status, 2);
  t.regex(run.err, /logs\/events\.jsonl:2: error unreadable-input: invalid-json at column \d+: /);
  t.deepEqual(findingsByRule(run.findings), seedFindings(3));
});

test('bytes that are not UTF-8 are reported with the line and byte offset, never read as U+FFFD', async (t) => {
  const text = Buffer.from(JSON.stringify({ Records: [await seedRecord({ eventID: 'latin-1', userAgent: 'caf_' })] }, null, 2));
  const bad = Buffer.from(text);
  bad[bad.indexOf('caf_') + 3] = 0xe9; // `café` in Latin-1
  const dir = await hostileProject(t, { 'latin1.json': bad });
  const run = await runHostile(dir);
  t.is(run.status, 2);
  t.regex(run.err, /logs\/latin1\.json:\d+: error unreadable-input: invalid-utf8 at column \d+: byte 0xE9 at byte offset \d+ is not valid UTF-8/);
  t.false(JSON.stringify(run.findings).includes('\uFFFD'));
  t.deepEqual(findingsByRule(run.findings), seedFindings(1));
});

test('empty files, whitespace-only files and an empty gzip are each reported as empty, exit 2', async (t) => {
  const dir = await hostileProject(t, { 'empty.json': '', 'blank.json': ' \n\t\n', 'empty.json.gz': gzipSync(Buffer.alloc(0)) });
  const run = await runHostile(dir);
  t.is(run.status, 2);
  t.regex(run.err, /logs\/empty\.json: error unreadable-input: empty-file: the file is empty/);
  t.regex(run.err, /logs\/blank\.json: error unreadable-input: empty-file: the file holds only whitespace/);
  t.regex(run.err, /logs\/empty\.json\.gz: error unreadable-input: empty-file: the file is empty/);
  t.like(run.log, { unreadable: 3 });
  t.deepEqual(findingsByRule(run.findings), seedFindings(1));
});

test('a 20 MB single record is accepted (the limit is per file, 1 GiB): audited, and its finding stays within the ASFF limits', async (t) => {
  const huge = 'x'.repeat(20 * 1024 * 1024);
  const record = await seedRecord({ eventID: 'huge', userAgent: huge.slice(0, 1024 * 1024), requestParameters: { projectName: 'P1', blob: huge } });
  const dir = await hostileProject(t, { 'huge.json': JSON.stringify({ Records: [record] }) });
  const run = await runHostile(dir);
  t.is(run.status, 0, run.err);
  t.deepEqual(findingsByRule(run.findings), seedFindings(2));
  for (const finding of run.findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
  t.true(JSON.stringify(run.findings).length < 100_000);
});

/** `{"a": {"a": … 1 …}}`, `depth` objects deep, as JSON text: built as text so the test itself cannot overflow. */
function deepJson(depth: number, open: string, close: string, leaf: string): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

test('10,000-deep nesting inside records overflows no stack: the records are audited, deduplicated by content and grouped', async (t) => {
  const deep = deepJson(10_000, '{"a":', '}', '1');
  const seed = await seedRecord();
  delete seed['eventID']; // identity from a hash of the whole record: the deep part is hashed too
  const text = JSON.stringify(seed);
  const withDeep = (field: string): string => `${text.slice(0, -1)},"${field}":${deep}}`;
  const lines = [
    withDeep('deepObject'),
    withDeep('deepObject'),
    text.replace('"requestParameters":{', `"requestParameters":{"deep":${deepJson(10_000, '[', ']', '0')},`),
    withDeep('userIdentity'),
  ];
  const dir = await hostileProject(t, { 'deep.jsonl': `${lines.join('\n')}\n`, 'deep-array.json': deepJson(10_000, '[', ']', '{}') });
  for (const engine of ['compiled', 'reference']) {
    const run = await runHostile(dir, ['--engine', engine]);
    t.is(run.status, 2, engine);
    // A document that is 10,000 arrays deep holds no record: reported, not crashed on.
    t.regex(run.err, /logs\/deep-array\.json: error unreadable-input: not-an-object: \[0\]: expected an object, found an array/);
    t.like(run.log, { recordsRead: 5, duplicateRecords: 1, recordsEvaluated: 4 }, engine);
    // The seed, the deep one (twice, counted once), the one with a deep array and the one whose userIdentity is deep.
    t.is(findingsByRule(run.findings)['lfv-source-ip-allowlist'], '4', engine);
    for (const finding of run.findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
  }
});

/** Every field the built-in rules or the findings read, by dotted path. */
const FIELDS_READ = [
  'eventVersion',
  'eventID',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'recipientAccountId',
  'readOnly',
  'resources',
  'responseElements',
  'additionalEventData',
  'tlsDetails',
  'tlsDetails.tlsVersion',
  'userIdentity',
  'userIdentity.type',
  'userIdentity.arn',
  'userIdentity.accountId',
  'userIdentity.accessKeyId',
  'userIdentity.userName',
  'userIdentity.sessionContext',
  'userIdentity.sessionContext.attributes',
  'userIdentity.sessionContext.attributes.mfaAuthenticated',
  'userIdentity.sessionContext.sessionIssuer',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'requestParameters',
  'requestParameters.projectName',
  'requestParameters.modelVersion',
  'requestParameters.kmsKeyId',
  'requestParameters.datasetSource',
  'requestParameters.datasetSource.groundTruthManifest.s3Object.bucket',
  'requestParameters.configuration.greengrass.s3OutputLocation.bucket',
] as const;

/** Values of every JSON type but the right one; garbage strings for the fields that are strings. */
const WRONG_VALUES: readonly unknown[] = ['garbage', '', 42, -1e308, true, null, [], ['a', 1], {}, { nested: { deeper: [] } }];

/** The record with the value at `path`, the objects on the way created (or replaced when not objects). */
function withValueAt(record: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(record);
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    target = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : (target[key] = {});
  }
  target[keys.at(-1) as string] = value;
  return copy;
}

test('every field the rules read, given every wrong JSON type, is audited without a throw, and both engines agree', async (t) => {
  const seed = await seedRecord();
  const wrong = FIELDS_READ.flatMap((field, fieldIndex) =>
    WRONG_VALUES.map((value, valueIndex) => withValueAt({ ...seed, eventID: `wrong-${fieldIndex}-${valueIndex}` }, field, value)),
  );
  const dir = await hostileProject(t, { 'wrong-types.json': JSON.stringify({ Records: wrong }) });
  const window = ['--since', '2020-01-01', '--until', '2021-01-01'];
  const compiled = await runHostile(dir, window);
  const reference = await runHostile(dir, [...window, '--engine', 'reference']);
  t.is(compiled.status, 0, compiled.err);
  t.is(reference.status, 0, reference.err);
  t.like(compiled.log, { complete: true, recordsRead: wrong.length + 1, duplicateRecords: 0 });
  t.log(`wrong-type records audited: ${wrong.length} (${FIELDS_READ.length} fields × ${WRONG_VALUES.length} values)`);
  // A garbage eventTime cannot be placed in the window: counted as undated, not evaluated, not guessed.
  t.is(compiled.log['recordsEvaluated'], wrong.length + 1 - WRONG_VALUES.length);
  t.deepEqual(compiled.findings, reference.findings);
  for (const finding of compiled.findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
});

test('keys __proto__, constructor and prototype in events pollute no prototype and are read as plain data', async (t) => {
  const before = [Object.prototype, Array.prototype, Function.prototype].map((prototype) => Object.getOwnPropertyNames(prototype).sort());
  const seed = JSON.stringify(await seedRecord());
  const poison = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}';
  const lines = [
    `${seed.slice(0, -1)},"__proto__":{"polluted":"yes","eventName":"DeleteProject"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":"x"}`.replace(
      'EXAMPLE-c5e7',
      'proto-0',
    ),
    seed
      .replace('"userIdentity":{', `"userIdentity":{"__proto__":{"type":"Root","polluted":"yes"},"constructor":${poison},`)
      .replace('EXAMPLE-c5e7', 'proto-1'),
    seed.replace('"projectName":"P1"', '"projectName":"__proto__","__proto__":{"polluted":"yes"}').replace('EXAMPLE-c5e7', 'proto-2'),
    seed
      .replace('"eventName":"CreateDataset"', '"eventName":"constructor"')
      .replace('"awsRegion":"us-east-1"', '"awsRegion":"__proto__"')
      .replace('EXAMPLE-c5e7', 'proto-3'),
    seed
      .replace('"arn":"arn:aws:sts::123456789012:assumed-role/Admin/MyUser"', '"arn":"__proto__"')
      .replace('"sourceIPAddress":"128.0.0.1"', '"sourceIPAddress":"constructor"')
      .replace('EXAMPLE-c5e7', 'proto-4'),
  ];
  const dir = await hostileProject(t, {
    'proto.jsonl': lines.join('\n'),
    'proto-document.json': `{"__proto__": {"Records": [${seed}]}, "Records": [${lines[0] ?? ''}]}`,
  });
  for (const engine of ['compiled', 'reference']) {
    const run = await runHostile(dir, ['--engine', engine]);
    t.is(run.status, 0, run.err);
    // The first line is in both files: a redelivery.
    t.like(run.log, { recordsRead: 7, duplicateRecords: 1, recordsEvaluated: 6, integrityConflicts: 0 }, engine);
    // An inherited-looking field is not inherited: the first line is still CreateDataset by an AssumedRole without MFA.
    const byRule = findingsByRule(run.findings);
    t.is(byRule['lfv-mfa-required'], '5', engine);
    t.true(
      run.findings.some((finding) => finding.ProductFields?.['lfvaudit/Projects'] === '__proto__'),
      engine,
    );
    for (const finding of run.findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
  }
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
  t.deepEqual(
    [Object.prototype, Array.prototype, Function.prototype].map((prototype) => Object.getOwnPropertyNames(prototype).sort()),
    before,
  );
});
