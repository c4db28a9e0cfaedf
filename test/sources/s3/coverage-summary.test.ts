import test, { type ExecutionContext } from 'ava';
import { runAudit } from '../../../src/audit/run-audit.js';
import type { AuditSummary } from '../../../src/sinks/audit-summary.js';
import { StdoutTableSink } from '../../../src/sinks/stdout-sink.js';
import { ACCOUNT, BUCKET, coverageDay as day, ORG, ORG_ACCOUNT, PREFIX, trailBucket, trailSource } from './fixtures.js';

// Two days of the window over trailDay(): 30 September has logs only in account 111…'s us-east-1,
// so eu-west-1 and the organisation's account have a day with no log objects; 1 October holds the corrupt object.
const TWO_DAYS = { start: new Date('2025-09-30T00:00:00Z'), end: new Date('2025-10-02T00:00:00Z') };

async function auditTwoDays(t: ExecutionContext): Promise<{ json: string; table: string; complete: boolean }> {
  const bucket = await trailBucket(t);
  let json = '';
  let table = '';
  const result = await runAudit({
    sources: [trailSource(bucket)],
    rules: [],
    evaluator: { matchingRules: () => Promise.resolve([]) },
    sinks: [
      new StdoutTableSink({ out: { write: (text: string) => (json += text) }, format: 'json', columns: 200, color: false }),
      new StdoutTableSink({ out: { write: (text: string) => (table += text) }, format: 'table', columns: 200, color: false }),
    ],
    window: TWO_DAYS,
    now: () => new Date('2025-10-03T00:00:00Z'),
  });
  return { json, table, complete: result.complete };
}

test('--format json carries the whole coverage of a read over both layouts: days, objects, records, a day with no logs and the corrupt object', async (t) => {
  const { json, complete } = await auditTwoDays(t);
  t.false(complete);
  const summary = (JSON.parse(json) as { Summary: AuditSummary }).Summary;
  const corrupt = `s3://${BUCKET}/${PREFIX}/AWSLogs/${ORG}/${ORG_ACCOUNT}/CloudTrail/us-east-1/2025/10/01/${ORG_ACCOUNT}_CloudTrail_us-east-1_20251001T1000Z_corruptcorruptco.json.gz`;
  t.deepEqual(summary.coverage, [
    {
      location: `s3://${BUCKET}/${PREFIX}/AWSLogs/`,
      window: { start: '2025-09-30T00:00:00.000Z', end: '2025-10-02T00:00:00.000Z' },
      accounts: [ACCOUNT, ORG_ACCOUNT],
      regions: ['eu-west-1', 'us-east-1'],
      days: [
        day(ACCOUNT, 'eu-west-1', '2025-09-30', [0, 0, 0, 0, 0, 0]),
        day(ACCOUNT, 'eu-west-1', '2025-10-01', [1, 1, 1, 0, 1, 1]),
        day(ACCOUNT, 'eu-west-1', '2025-10-02', [0, 0, 0, 0, 0, 0]),
        day(ACCOUNT, 'us-east-1', '2025-09-30', [1, 1, 1, 0, 1, 1]),
        day(ACCOUNT, 'us-east-1', '2025-10-01', [2, 2, 2, 0, 3, 3]),
        // The late delivery's second event is after the window; the object delivered at 05:00 cannot hold window events.
        day(ACCOUNT, 'us-east-1', '2025-10-02', [2, 1, 1, 0, 2, 1]),
        day(ORG_ACCOUNT, 'us-east-1', '2025-09-30', [0, 0, 0, 0, 0, 0], ORG),
        day(ORG_ACCOUNT, 'us-east-1', '2025-10-01', [3, 3, 2, 1, 3, 3], ORG),
        day(ORG_ACCOUNT, 'us-east-1', '2025-10-02', [0, 0, 0, 0, 0, 0], ORG),
      ],
      gaps: [
        { kind: 'no-log-objects', account: ACCOUNT, region: 'eu-west-1', day: '2025-09-30' },
        { kind: 'no-log-objects', account: ORG_ACCOUNT, region: 'us-east-1', day: '2025-09-30' },
        { kind: 'unreadable-object', uri: corrupt, reason: summary.unreadable[0]?.reason ?? 'missing' },
      ],
    },
  ]);
  // The fault is also an unreadable input (exit 2); the absences are notices, the fault is not repeated as one.
  t.deepEqual(
    summary.unreadable.map((entry) => entry.origin),
    [corrupt],
  );
  t.regex(summary.unreadable[0]?.reason ?? '', /gzip/);
  t.deepEqual(
    summary.notices.map((notice) => notice.message.slice(0, notice.message.indexOf(':'))),
    [`account ${ACCOUNT}, region eu-west-1`, `account ${ORG_ACCOUNT}, region us-east-1`],
  );
});

test('the terminal summary sums the coverage up in one line and points to --format json for the rest', async (t) => {
  const { table } = await auditTwoDays(t);
  t.true(
    table.includes(
      'Coverage (per account, region and day in --format json):\n' +
        `  s3://${BUCKET}/${PREFIX}/AWSLogs/: 2 accounts (${ACCOUNT}, ${ORG_ACCOUNT}), 2 regions (eu-west-1, us-east-1), 3 day folders (2025-09-30, 2025-10-01, 2025-10-02); ` +
        '7 of 8 log objects in the window read, 1 unreadable, 10 records (9 in the window), 3 gaps\n',
    ),
    table,
  );
});
