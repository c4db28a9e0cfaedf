import type { ExecutionContext } from 'ava';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { emulatorEnvironment, startAwsEmulator, type AsffFinding, type AwsEmulator, type EmulatorCredential } from '../support/aws-emulator/index.js';
import { lfvEvents } from '../support/finding-runs.js';
import { BUCKET, logKey, ORG, PREFIX, trailLogBody, type TrailBucket, type TrailObject } from '../sources/s3/fixtures.js';
import { tempFolder } from '../support/temp-folder.js';

/** The caller of every test here: its account receives the findings (Security Hub's default product). */
export const CALLER_ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** s3rver checks its own keys; the emulator accepts the same pair, so one set of environment credentials signs both. */
export const S3RVER_CALLER: EmulatorCredential = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', accountId: CALLER_ACCOUNT };

/** The day `lfvaudit run --since 2025-10-01 --until 2025-10-02` audits. */
export const DAY = { since: '2025-10-01T00:00:00Z', until: '2025-10-02T00:00:00Z' };

const HOUR = 3_600_000;

/** A log object of `region` delivered at `delivered` (UTC, `YYYYMMDDTHHmmZ`) holding these records, rewritten into that account and region. */
function logObject(
  account: string,
  region: string,
  delivered: string,
  unique: string,
  records: readonly CloudTrailRecord[],
  organizationId?: string,
): TrailObject {
  const placed = records.map((record) => ({ ...record, awsRegion: region, recipientAccountId: account }));
  return { key: logKey({ account, region, delivered, unique, ...(organizationId === undefined ? {} : { organizationId }) }), body: trailLogBody(placed) };
}

function deliveredAt(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
}

export interface AuditedDay {
  readonly objects: readonly TrailObject[];
  /** The key of the corrupt object, and a readable replacement holding `repairedEventIds`. */
  readonly corruptKey: string;
  readonly repaired: TrailObject;
  /** eventIDs inside DAY in the readable objects (each once, though one is delivered twice). */
  readonly eventIdsInDay: readonly string[];
  readonly repairedEventIds: readonly string[];
  /** eventIDs in the logs with an eventTime early on 2 October (in the late delivery). */
  readonly nextDayEventIds: readonly string[];
}

/**
 * A day of one account's trail logs in both layouts: the plain trail in us-east-1 and eu-west-1 and the
 * organisation trail's folder in us-west-2, Lookout for Vision calls every few minutes (CreateDataset,
 * DeleteProject, DetectAnomalies without MFA: every one matches lfv-mfa-required), an object delivered on
 * 30 September and a late delivery on 2 October with events outside the day, an event delivered twice,
 * digests, and a corrupt object.
 */
export function auditedDay(account: string, tag = account.slice(0, 3)): AuditedDay {
  const start = Date.parse(DAY.since);
  const objects: TrailObject[] = [];
  const inDay: string[] = [];
  const plainRegions = ['us-east-1', 'eu-west-1'];
  let repeated: CloudTrailRecord | undefined;
  // Each folder gets an object every 3 hours, holding 4 calls of the hour before its delivery.
  for (const [folder, region] of [...plainRegions.map((r) => [undefined, r] as const), [ORG, 'us-west-2'] as const]) {
    for (let slot = 0; slot < 8; slot += 1) {
      const delivered = start + slot * 3 * HOUR + 65 * 60_000;
      const ids = `${tag}-${region}-${slot}`;
      const records = lfvEvents(4, new Date(delivered - 60 * 60_000), 7 * 60_000, { idPrefix: ids });
      inDay.push(...records.map((record) => String(record['eventID'])));
      repeated ??= records[1];
      objects.push(
        logObject(
          account,
          region,
          deliveredAt(delivered),
          `${ids}`
            .replace(/[^a-z0-9]/gi, '')
            .padEnd(16, '0')
            .slice(-16),
          records,
          folder,
        ),
      );
    }
  }
  // The same call delivered again in another object: counted once.
  if (repeated !== undefined) objects.push(logObject(account, 'us-east-1', deliveredAt(start + 3 * HOUR), 'repeat0000000000', [repeated]));
  // Outside the day: delivered the evening before, and a late delivery holding the day's last call and the next day's first.
  const before = lfvEvents(2, new Date(start - 20 * 60_000), 5 * 60_000, { idPrefix: `${tag}-before` });
  objects.push(logObject(account, 'us-east-1', '20250930T2355Z', 'before0000000000', before));
  const late = lfvEvents(2, new Date(start + 24 * HOUR - 2 * 60_000), 4 * 60_000, { idPrefix: `${tag}-late` });
  inDay.push(String(late[0]?.['eventID']));
  objects.push(logObject(account, 'eu-west-1', '20251002T0004Z', 'late000000000000', late));
  // A digest beside CloudTrail/, where trails write them: never listed.
  objects.push({
    key: `${PREFIX}/AWSLogs/${account}/CloudTrail-Digest/us-east-1/2025/10/01/${account}_CloudTrail-Digest_us-east-1_trail_us-east-1_20251001T0105Z.json.gz`,
    body: gzipSync('{"digestStartTime":"2025-10-01T00:05:00Z"}'),
  });
  // One in a day folder: skipped.
  objects.push({
    key: `${PREFIX}/AWSLogs/${ORG}/${account}/CloudTrail/us-west-2/2025/10/01/CloudTrail-Digest/${account}_CloudTrail-Digest_us-west-2_20251001T0505Z.json.gz`,
    body: gzipSync('{"digestStartTime":"2025-10-01T04:05:00Z"}'),
  });
  const corruptKey = logKey({ account, organizationId: ORG, region: 'us-west-2', delivered: '20251001T1340Z', unique: 'corruptcorruptco' });
  objects.push({ key: corruptKey, body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]) });
  const repairedRecords = lfvEvents(3, new Date(start + 13 * HOUR), 10 * 60_000, { idPrefix: `${tag}-repaired` });
  return {
    objects,
    corruptKey,
    repaired: { key: corruptKey, body: logObject(account, 'us-west-2', '20251001T1340Z', 'x', repairedRecords, ORG).body },
    eventIdsInDay: [...new Set(inDay)],
    repairedEventIds: repairedRecords.map((record) => String(record['eventID'])),
    nextDayEventIds: [String(late[1]?.['eventID'])],
  };
}

export async function putObjects(bucket: TrailBucket, objects: readonly TrailObject[]): Promise<void> {
  for (const object of objects) await bucket.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: object.key, Body: object.body }));
}

/** A project folder whose config reads the bucket through its endpoint, path-style, and imports into Security Hub; `extraConfig`: more lines of its `securityHub:` block. */
export async function s3Project(t: ExecutionContext, endpoint: string, extraConfig = ''): Promise<string> {
  const dir = tempFolder(t, 's3-run');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    [
      'params:',
      '  mfaRequiredActions: [CreateDataset, DeleteProject, DetectAnomalies]',
      'sources:',
      '  - type: s3',
      `    bucket: ${BUCKET}`,
      `    prefix: ${PREFIX}`,
      `    endpoint: ${endpoint}`,
      '    forcePathStyle: true',
      'scheduled: true',
      'sinks:',
      '  - type: securityhub',
      'state:',
      '  lookbackHours: 24',
      // Imports read back what they wrote after this settle period: a short one, since runs here import alone.
      'securityHub:',
      '  settleSeconds: 0.05',
      extraConfig,
    ].join('\n'),
  );
  return dir;
}

/** A fresh emulator, with the environment pointing default-configured clients at it for the length of `run`. */
export async function withEmulator<T>(credentials: readonly EmulatorCredential[], run: (emulator: AwsEmulator) => Promise<T>): Promise<T> {
  const emulator = await startAwsEmulator({ credentials });
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnvironment(emulator));
  try {
    return await run(emulator);
  } finally {
    process.env = saved;
    await emulator.close();
  }
}

/** Findings as Security Hub holds them, without the times of the imports, sorted by Id. */
export function findingsWithoutImportTimes(findings: readonly AsffFinding[]): AsffFinding[] {
  return findings
    .map(({ CreatedAt: _created, UpdatedAt: _updated, ProcessedAt: _processed, ...rest }) => rest)
    .sort((a, b) => (String(a['Id']) < String(b['Id']) ? -1 : 1));
}

/** Sum of lfvaudit/EventCount over a rule's findings. */
export function eventCountOf(findings: readonly AsffFinding[], ruleId: string): number {
  return findings
    .filter((finding) => String(finding['Id']).startsWith(`lfvaudit/${ruleId}/`))
    .reduce((sum, finding) => sum + Number((finding['ProductFields'] as Record<string, string> | undefined)?.['lfvaudit/EventCount']), 0);
}

/** The state file's completed windows, by scope key. */
export async function completedWindows(dir: string): Promise<Record<string, string | undefined>> {
  let text: string;
  try {
    text = await readFile(path.join(dir, '.lfvaudit/state.json'), 'utf8');
  } catch {
    return {};
  }
  const state = JSON.parse(text) as { scopes: Record<string, { lastCompletedEnd?: string }> };
  return Object.fromEntries(Object.entries(state.scopes).map(([key, scope]) => [key, scope.lastCompletedEnd]));
}
