import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import { GENERATOR_VERSION, generateEventData, manifestPathFor, splitCount, type EventDataParameters } from '../../bench/generate-events.js';
import { listTrailFiles } from '../../bench/trail-files.js';
import { tempFolder } from '../support/temp-folder.js';

const TINY: EventDataParameters = { profile: 'alert-storm', seed: 7, records: 100, files: 3 };

function filesWithBytes(folder: string): Map<string, Buffer> {
  return new Map(listTrailFiles(folder).map((path) => [relative(folder, path), readFileSync(path)]));
}

function recordsIn(folder: string): Record<string, unknown>[] {
  return listTrailFiles(folder).flatMap(
    (path) => (JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { Records: Record<string, unknown>[] }).Records,
  );
}

test('the same seed writes the same files, byte for byte', (t) => {
  const first = join(tempFolder(t, 'events'), 'events');
  const second = join(tempFolder(t, 'events'), 'events');
  generateEventData(first, TINY);
  generateEventData(second, TINY);
  t.deepEqual(filesWithBytes(first), filesWithBytes(second));
});

test('the records for a seed are pinned: changing the generator means bumping GENERATOR_VERSION', (t) => {
  // Reused data is recognised by its parameters and GENERATOR_VERSION: output that changes silently would
  // leave stale data in bench/data/. When this fails on purpose, bump the version and update both values.
  const folder = join(tempFolder(t, 'events'), 'events');
  generateEventData(folder, TINY);
  const hash = createHash('sha256');
  for (const path of listTrailFiles(folder)) hash.update(gunzipSync(readFileSync(path)));
  t.deepEqual(
    { version: GENERATOR_VERSION, sha256: hash.digest('hex') },
    { version: 6, sha256: '620c9d3e295b934831e75fa0f3965ac9c203a013658942107880468dab03b69a' },
  );
});

test('another seed writes other records', (t) => {
  const first = join(tempFolder(t, 'events'), 'events');
  const second = join(tempFolder(t, 'events'), 'events');
  const a = generateEventData(first, TINY);
  const b = generateEventData(second, { ...TINY, seed: 8 });
  t.notDeepEqual(recordsIn(first), recordsIn(second));
  t.not(a.manifest.contentSha256, b.manifest.contentSha256);
});

test('the records are split over the requested number of S3 delivery files in the trail layout', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  generateEventData(folder, TINY);
  const paths = listTrailFiles(folder).map((path) => relative(folder, path).split('\\').join('/'));
  t.is(paths.length, 3);
  for (const path of paths)
    t.regex(
      path,
      /^AWSLogs\/123456789012\/CloudTrail\/[a-z]+-[a-z]+-\d\/2025\/1[01]\/\d\d\/123456789012_CloudTrail_[a-z]+-[a-z]+-\d_2025\d{4}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/,
    );
  t.is(recordsIn(folder).length, 100);
});

test('a second run with the same parameters reuses the data instead of writing it again', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  const first = generateEventData(folder, TINY);
  const second = generateEventData(folder, TINY);
  t.true(first.generated);
  t.false(second.generated);
  t.deepEqual(second.manifest, first.manifest);
});

test('a damaged data file is noticed through the content hash and the data regenerated', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  generateEventData(folder, TINY);
  const original = filesWithBytes(folder);
  appendFileSync(listTrailFiles(folder)[0] ?? '', 'x');
  t.true(generateEventData(folder, TINY).generated);
  t.deepEqual(filesWithBytes(folder), original);
});

test('other parameters regenerate the data, and the manifest sits beside the folder', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  generateEventData(folder, TINY);
  t.true(generateEventData(folder, { ...TINY, records: 120 }).generated);
  t.is(recordsIn(folder).length, 120);
  t.is((JSON.parse(readFileSync(manifestPathFor(folder), 'utf8')) as { parameters: EventDataParameters }).parameters.records, 120);
});

test('Lookout for Vision calls dominate, with DetectAnomalies first, a few other services and duplicate deliveries', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  const { manifest } = generateEventData(folder, { profile: 'alert-storm', seed: 1, records: 3000, files: 2 });
  const records = recordsIn(folder);
  const counts = new Map<string, number>();
  for (const record of records) counts.set(String(record.eventName), (counts.get(String(record.eventName)) ?? 0) + 1);
  const [mostCommon] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  t.is(mostCommon?.[0], 'DetectAnomalies');
  const lfv = records.filter((record) => record.eventSource === 'lookoutvision.amazonaws.com').length;
  t.true(lfv > records.length * 0.95 && lfv < records.length);
  const distinctIds = new Set(records.map((record) => record.eventID)).size;
  t.is(records.length - distinctIds, manifest.duplicateRecords);
  t.true(manifest.duplicateRecords > 0);
});

test('a count split by weights sums exactly to the total', (t) => {
  t.deepEqual(splitCount(10, [1, 1, 1]), [4, 3, 3]);
  t.is(
    splitCount(200_000, [0.5, 1.5, 0.73, 1.2]).reduce((sum, count) => sum + count, 0),
    200_000,
  );
});

test('the typical profile is pinned too, and differs from the alert storm with the same seed', (t) => {
  const typical = join(tempFolder(t, 'events'), 'events');
  const storm = join(tempFolder(t, 'events'), 'events');
  const again = join(tempFolder(t, 'events'), 'events');
  generateEventData(typical, { ...TINY, profile: 'typical' });
  generateEventData(again, { ...TINY, profile: 'typical' });
  generateEventData(storm, TINY);
  t.deepEqual(filesWithBytes(typical), filesWithBytes(again));
  t.notDeepEqual(recordsIn(typical), recordsIn(storm));
  const hash = createHash('sha256');
  for (const path of listTrailFiles(typical)) hash.update(gunzipSync(readFileSync(path)));
  t.is(hash.digest('hex'), '791e1c9a3f388aeb67f3d7ddc3e229c0ca7d1f66dcfeb123b13ae9d5fee55680');
});

test('data of one profile is not reused for the other', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  generateEventData(folder, TINY);
  const typical = generateEventData(folder, { ...TINY, profile: 'typical' });
  t.true(typical.generated);
  t.is(typical.manifest.parameters.profile, 'typical');
});

test('an unknown profile is refused', (t) => {
  const folder = join(tempFolder(t, 'events'), 'events');
  t.throws(() => generateEventData(folder, { ...TINY, profile: 'quiet' as never }), { message: /profile must be one of alert-storm, typical/ });
});

test('typical traffic has the alert storm’s shape: the same operations at about the same rates, other services and duplicates included', (t) => {
  const typical = join(tempFolder(t, 'events'), 'events');
  const storm = join(tempFolder(t, 'events'), 'events');
  const parameters: EventDataParameters = { profile: 'typical', seed: 3, records: 4000, files: 4 };
  const typicalManifest = generateEventData(typical, parameters).manifest;
  const stormManifest = generateEventData(storm, { ...parameters, profile: 'alert-storm' }).manifest;
  const share = (records: Record<string, unknown>[], name: string): number => records.filter((record) => record.eventName === name).length / records.length;
  const [a, b] = [recordsIn(typical), recordsIn(storm)];
  t.true(Math.abs(share(a, 'DetectAnomalies') - share(b, 'DetectAnomalies')) < 0.03);
  t.true(typicalManifest.duplicateRecords > 0 && typicalManifest.otherServiceRecords > 0);
  t.true(Math.abs(typicalManifest.uncompressedBytes / stormManifest.uncompressedBytes - 1) < 0.1, 'records of about the same size');
});
