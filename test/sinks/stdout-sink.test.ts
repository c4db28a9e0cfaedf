import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding, sortFindings } from '../../src/findings/asff-finding.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { StdoutTableSink } from '../../src/sinks/stdout-sink.js';
import { emptySummary } from '../support/audit-summary.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

const now = new Date('2025-10-02T00:00:00Z');

function findingsFor(rule: ResolvedRule, records: readonly CloudTrailRecord[]): AwsSecurityFinding[] {
  const builder = new FindingGroupBuilder();
  for (const record of records) builder.add(rule, record);
  return builder.groups().map((group) => buildFinding(group, rule, { now }));
}

const findings = sortFindings([
  ...findingsFor(testRule({ id: 'lfv-mfa-required', title: 'Lookout for Vision call without MFA', severity: 'HIGH' }), [
    lfvRecord({ eventID: 'e1', eventTime: '2025-10-01T09:00:00Z' }),
    lfvRecord({ eventID: 'e2', eventTime: '2025-10-01T09:42:10Z' }),
  ]),
  ...findingsFor(testRule({ id: 'lfv-root-credentials', title: 'Lookout for Vision project deleted with root credentials', severity: 'CRITICAL' }), [
    lfvRecord({
      eventID: 'e3',
      eventName: 'DeleteProject',
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' },
      requestParameters: { projectName: 'circuit-boards-line-3' },
    }),
  ]),
  ...findingsFor(testRule({ id: 'lfv-describe-denied', title: 'Denied describe call', severity: 'LOW' }), [
    lfvRecord({ eventID: 'e4', eventName: 'DescribeProject', requestParameters: null, errorCode: 'AccessDeniedException' }),
  ]),
]);

const summary = emptySummary({
  window: { start: '2025-10-01T00:00:00.000Z', end: '2025-10-02T00:00:00.000Z' },
  sources: ['file:examples/records'],
  inputsRead: 3,
  inputsSkipped: [
    { origin: 'logs/a-digest.json.gz', reason: 'CloudTrail digest file' },
    { origin: 'logs/b-digest.json.gz', reason: 'CloudTrail digest file' },
  ],
  unreadable: [{ origin: 'logs/broken.jsonl', line: 7, reason: 'not JSON: unexpected end of input' }],
  recordsRead: 10,
  duplicateRecords: 2,
  outsideWindow: 3,
  undatedRecords: 1,
  recordsEvaluated: 4,
  rulesActive: 3,
  rulesInactive: [{ id: 'lfv-allowed-networks', reason: 'parameter allowedSourceCidrs is not set' }],
  matches: 4,
  findings: 3,
  findingsBySeverity: { HIGH: 1, CRITICAL: 1, LOW: 1 },
  durationMs: 1234,
});

/** The same run with every input read: a complete run, which shows no Incomplete headline. */
const completeSummary: AuditSummary = { ...summary, unreadable: [] };

async function render(options: { columns: number; color?: boolean; format?: 'table' | 'json' }, shown = findings, given = completeSummary): Promise<string> {
  const chunks: string[] = [];
  const sink = new StdoutTableSink({
    out: { write: (text: string) => chunks.push(text) },
    columns: options.columns,
    color: options.color ?? false,
    format: options.format ?? 'table',
  });
  await sink.write(shown, given);
  return chunks.join('');
}

function tableLines(output: string): string[] {
  return output.slice(0, output.indexOf('\n\n')).split('\n');
}

test('at 80 columns, where the table would cut cells, each finding is a block with nothing cut', async (t) => {
  t.deepEqual(tableLines(await render({ columns: 80 })), [
    'CRITICAL  lfv-root-credentials  1 event, last seen 2025-10-01 09:00',
    '  Lookout for Vision project deleted with root credentials: root',
    '  (circuit-boards-line-3)',
    'HIGH      lfv-mfa-required  2 events, last seen 2025-10-01 09:42',
    '  Lookout for Vision call without MFA: assumed-role/Admin/MyUser (P1)',
    'LOW       lfv-describe-denied  1 event, last seen 2025-10-01 09:00',
    '  Denied describe call: assumed-role/Admin/MyUser',
  ]);
});

test('at 120 columns, where the table would still cut the titles, the blocks show them whole', async (t) => {
  t.deepEqual(tableLines(await render({ columns: 120 })), [
    'CRITICAL  lfv-root-credentials  1 event, last seen 2025-10-01 09:00',
    '  Lookout for Vision project deleted with root credentials: root (circuit-boards-line-3)',
    'HIGH      lfv-mfa-required  2 events, last seen 2025-10-01 09:42',
    '  Lookout for Vision call without MFA: assumed-role/Admin/MyUser (P1)',
    'LOW       lfv-describe-denied  1 event, last seen 2025-10-01 09:00',
    '  Denied describe call: assumed-role/Admin/MyUser',
  ]);
});

test('a wide terminal shows whole titles', async (t) => {
  const lines = tableLines(await render({ columns: 200 }));
  t.true(lines[1]?.endsWith('Lookout for Vision project deleted with root credentials: root (circuit-boards-line-3)'));
});

test('every table line fits the width it is given', async (t) => {
  for (const columns of [80, 100, 120, 200]) {
    const lines = tableLines(await render({ columns }));
    t.true(
      lines.every((line) => [...line].length <= columns),
      `${columns} columns`,
    );
  }
});

test('there is no colour unless the caller asks for it', async (t) => {
  t.false((await render({ columns: 120 })).includes('\u001b['));
});

test('with colour, severities are painted without changing the layout', async (t) => {
  const coloured = await render({ columns: 80, color: true });
  t.true(coloured.includes('\u001b[1;31mCRITICAL\u001b[0m'));
  t.true(coloured.includes('\u001b[31mHIGH\u001b[0m'));
  // eslint-disable-next-line no-control-regex
  t.is(coloured.replace(/\u001b\[[0-9;]*m/g, ''), await render({ columns: 80 }));
});

test('the summary says what was read, left out and skipped, which rules did not run and what was found', async (t) => {
  const output = await render({ columns: 120 }, findings, summary);
  t.true(output.startsWith('Incomplete: 1 unreadable input; the findings cover only what was read (exit status 2).\n\nCRITICAL'), output);
  t.is(
    output.slice(output.indexOf('\n\nSummary') + 2),
    [
      'Summary',
      '  Window            2025-10-01T00:00:00.000Z to 2025-10-02T00:00:00.000Z',
      '  Sources           file:examples/records',
      '  Inputs read       3, 2 skipped, 1 unreadable',
      '  Records read      10 (2 duplicates, 3 outside the window, 1 without an eventTime)',
      '  Records evaluated 4',
      '  Rules             3 active, 1 inactive',
      '  Matches           4',
      '  Findings          3 (1 CRITICAL, 1 HIGH, 1 LOW)',
      '  Duration          1.2 s',
      '',
      'Unreadable inputs (the run is incomplete; the problems are on stderr):',
      '  logs/broken.jsonl: 1 problem',
      '',
      'Skipped inputs:',
      '  2 × CloudTrail digest file',
      '',
      'Inactive rules:',
      '  lfv-allowed-networks: parameter allowedSourceCidrs is not set',
      '',
    ].join('\n'),
  );
});

test('a run without findings says so above the summary', async (t) => {
  const output = await render({ columns: 80 }, []);
  t.true(output.startsWith('No findings.\n\nSummary\n'));
});

test('the json format writes findings and summary as one JSON document', async (t) => {
  const output = await render({ columns: 80, format: 'json' });
  t.true(output.endsWith('}\n'));
  t.deepEqual(JSON.parse(output), { Findings: findings, Summary: completeSummary });
});
