import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runAudit } from '../../src/audit/run-audit.js';
import { evaluatorFor, type EvaluatorEngine } from '../../src/evaluate/evaluator-engine.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { loadRuleDefinitions, resolveRules, type LoadedRuleDefinitions } from '../../src/ruleset/index.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import type { EventSource, SourceItem } from '../../src/sources/event-source.js';
import { KeepingSink } from '../hardening/scheduled-library.js';
import { sharedFolder } from '../support/shared-folder.js';
import { loadSigmaText } from '../ruleset/sigma/sigma-fixture.js';

/**
 * Sigma rules that count (an aggregation with `timeframe`, a correlation rule) run as threshold rules do,
 * through a whole audit in both engines: they fire on a burst written for them and not on the same events
 * spread wider or split between groups, and their findings carry the Sigma rule's attribution and the
 * threshold's span and count.
 */

const START = Date.parse('2025-10-01T09:00:00Z');
const NOW = new Date('2025-11-01T00:00:00Z');
const ENGINES: readonly EvaluatorEngine[] = ['compiled', 'reference'];

interface Call {
  readonly eventSource: string;
  readonly eventName: string;
  readonly sourceIPAddress?: string;
  readonly principal?: string;
  readonly requestParameters?: Readonly<Record<string, unknown>>;
}

let serial = 0;

/** A CloudTrail record of the call, `seconds` after START. */
function record(call: Call, seconds: number): CloudTrailRecord {
  serial += 1;
  const principal = call.principal ?? 'Analyst';
  return {
    eventVersion: '1.08',
    eventID: `sigma-threshold-${serial}`,
    eventTime: new Date(START + seconds * 1000).toISOString(),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: 'us-east-1',
    recipientAccountId: '123456789012',
    sourceIPAddress: call.sourceIPAddress ?? '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/${principal}/s`, accountId: '123456789012' },
    requestParameters: call.requestParameters ?? null,
    readOnly: true,
    eventType: 'AwsApiCall',
  };
}

/** `count` calls within `withinSeconds` (the last before the span ends): a burst that fills one span. */
function burst(calls: readonly Call[], count: number, withinSeconds: number): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, index) => record(calls[index % calls.length] as Call, Math.floor((index * withinSeconds) / count)));
}

/** `count` calls spaced so that the first and the last are exactly `withinSeconds` apart: no span holds them all. */
function spread(calls: readonly Call[], count: number, withinSeconds: number): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, index) => record(calls[index % calls.length] as Call, (index * withinSeconds) / (count - 1)));
}

function memorySource(records: readonly CloudTrailRecord[]): EventSource {
  return {
    description: 'memory',
    async *read(): AsyncIterable<SourceItem> {
      yield { kind: 'records', origin: 'trail.json', records: records.map((item) => structuredClone(item)) };
      await Promise.resolve();
    },
  };
}

async function findings(rules: readonly ResolvedRule[], records: readonly CloudTrailRecord[], engine: EvaluatorEngine): Promise<AwsSecurityFinding[]> {
  const sink = new KeepingSink();
  const result = await runAudit({
    sources: [memorySource(records)],
    rules: [...rules],
    evaluator: evaluatorFor(engine, [...rules]),
    sinks: [sink],
    now: () => NOW,
  });
  if (!result.complete) throw new Error('the audit was incomplete');
  return sink.findings;
}

function ruleIds(found: readonly AwsSecurityFinding[]): string[] {
  return found.map((finding) => finding.ProductFields?.['lfvaudit/RuleId'] ?? '?').sort();
}

function resolved(loaded: LoadedRuleDefinitions): ResolvedRule[] {
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n'));
  return resolveRules(loaded.definitions, {}).rules;
}

// SigmaHQ's rules under unsupported/, read unchanged from ../shared (skipped when absent).

const UNSUPPORTED = join(sharedFolder(), 'corpora', 'sigma_aws_cloudtrail', 'unsupported');
const withSigma = existsSync(UNSUPPORTED) ? test : test.skip;

/** For each loadable rule: calls it counts, its count and span, and calls of several groups where it has `by`. */
const SIGMAHQ_COUNTS: Readonly<Record<string, { calls: readonly Call[]; count: number; withinSeconds: number; otherGroups?: readonly Call[] }>> = {
  'aws_ec2_download_userdata.yml': {
    calls: [
      { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstanceAttribute', requestParameters: { instanceId: 'i-0a1b', attribute: 'userData' } },
      {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'DescribeInstanceAttribute',
        requestParameters: { instanceId: 'i-0c2d', attribute: 'userData' },
        principal: 'Other',
      },
    ],
    count: 11,
    withinSeconds: 30 * 60,
  },
  'aws_enum_backup.yml': {
    calls: [
      { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeVolumes' },
      { eventSource: 'ec2.amazonaws.com', eventName: 'GetEbsEncryptionByDefault', principal: 'Other' },
    ],
    count: 6,
    withinSeconds: 10 * 60,
  },
  'aws_enum_listing.yml': {
    calls: [
      { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
      { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', principal: 'Other' },
    ],
    count: 51,
    withinSeconds: 10 * 60,
  },
  'aws_enum_network.yml': {
    calls: [
      { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeDhcpOptions' },
      { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeClientVpnRoutes', principal: 'Other' },
    ],
    count: 6,
    withinSeconds: 10 * 60,
  },
  'aws_enum_storage.yml': {
    calls: [
      { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy' },
      { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', principal: 'Other' },
    ],
    count: 6,
    withinSeconds: 10 * 60,
  },
  'aws_macic_evasion.yml': {
    calls: [
      { eventSource: 'macie2.amazonaws.com', eventName: 'ArchiveFindings', sourceIPAddress: '203.0.113.9' },
      { eventSource: 'macie2.amazonaws.com', eventName: 'DisableMacie', sourceIPAddress: '203.0.113.9', principal: 'Other' },
    ],
    count: 6,
    withinSeconds: 10 * 60,
    // The same burst from two addresses: `count() by sourceIPAddress` counts each address apart.
    otherGroups: [
      { eventSource: 'macie2.amazonaws.com', eventName: 'ArchiveFindings', sourceIPAddress: '203.0.113.9' },
      { eventSource: 'macie2.amazonaws.com', eventName: 'DisableMacie', sourceIPAddress: '192.0.2.44' },
    ],
  },
};

for (const [file, { calls, count, withinSeconds, otherGroups }] of Object.entries(SIGMAHQ_COUNTS)) {
  withSigma(`${file} fires on ${count} of its calls within its timeframe, not on them spread over the whole timeframe, in both engines`, async (t) => {
    const rules = resolved(await loadRuleDefinitions({ builtIn: false, paths: [join(UNSUPPORTED, file)] }));
    const [rule] = rules;
    if (rule === undefined) return t.fail('the rule did not load');
    for (const engine of ENGINES) {
      const fired = await findings(rules, burst(calls, count, withinSeconds), engine);
      t.deepEqual(ruleIds(fired), [rule.id], engine);
      t.like(fired[0]?.ProductFields, { 'lfvaudit/ThresholdCount': String(count), 'lfvaudit/EventCount': String(count) }, engine);
      t.deepEqual(await findings(rules, spread(calls, count, withinSeconds), engine), [], engine);
      t.deepEqual(await findings(rules, burst(calls, count - 1, withinSeconds), engine), [], engine);
      if (otherGroups !== undefined) t.deepEqual(await findings(rules, burst(otherGroups, count, withinSeconds), engine), [], engine);
    }
  });
}

// Correlation rules written for this suite.

const CORRELATION_ID = '9d5a6b8c-7e0f-4c2d-8e4f-5a6b7c8d9e0f';
const BASE_ID = 'ae6b7c9d-8f1a-4d3e-9f5a-6b7c8d9e0f1a';

function correlationFile(correlation: readonly string[], extra: readonly string[] = []): string {
  return [
    'title: Bucket listing burst',
    `id: ${CORRELATION_ID}`,
    'description: One address listed buckets again and again.',
    'author: Correlation Author',
    'correlation:',
    ...correlation.map((line) => `    ${line}`),
    'falsepositives:',
    '    - Inventory scanners',
    'level: high',
    ...extra,
    '---',
    'title: Buckets listed',
    `id: ${BASE_ID}`,
    'name: list_buckets',
    'author: Base Author',
    'logsource:',
    '    product: aws',
    '    service: cloudtrail',
    'detection:',
    '    selection:',
    '        eventName: ListBuckets',
    '    condition: selection',
    'level: low',
  ].join('\n');
}

const LIST_BUCKETS: Call = { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', sourceIPAddress: '203.0.113.9' };
const EVENT_COUNT = ['type: event_count', 'rules:', '    - list_buckets', 'group-by:', '    - sourceIPAddress', 'timespan: 10m', 'condition:', '    gte: 5'];

test('an event_count correlation fires per group-by value; its finding carries the correlation id, level, title, author and the span and count', async (t) => {
  const rules = resolved(await loadSigmaText(correlationFile(EVENT_COUNT), 'mr_bucket_listing_burst.yml'));
  for (const engine of ENGINES) {
    const fired = await findings(rules, burst([LIST_BUCKETS, { ...LIST_BUCKETS, principal: 'Other' }], 5, 600), engine);
    // The rule it counts has no finding of its own.
    t.deepEqual(ruleIds(fired), [CORRELATION_ID], engine);
    const [finding] = fired;
    t.is(finding?.FindingProviderFields?.Severity?.Label, 'HIGH');
    t.regex(finding?.Title ?? '', /^Bucket listing burst: .*: 5 ListBuckets calls within 10 minutes \(threshold 5\)$/);
    t.like(finding?.ProductFields, {
      'lfvaudit/RuleId': CORRELATION_ID,
      'lfvaudit/SigmaAuthor': 'Correlation Author',
      'lfvaudit/SigmaRule': 'https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/mr_bucket_listing_burst.yml',
      'lfvaudit/SigmaFalsePositives': '["Inventory scanners"]',
      'lfvaudit/Threshold': '5 within 10m',
      'lfvaudit/ThresholdCount': '5',
      'lfvaudit/ThresholdSpan': '2025-10-01T09:00:00.000Z/2025-10-01T09:08:00.000Z',
    });
    // Five calls split between two addresses are two groups of fewer than five.
    const split = burst([LIST_BUCKETS, { ...LIST_BUCKETS, sourceIPAddress: '192.0.2.44' }], 5, 600);
    t.deepEqual(await findings(rules, split, engine), [], engine);
    t.deepEqual(await findings(rules, spread([LIST_BUCKETS], 5, 600), engine), [], engine);
  }
});

test('with generate: true the rule a correlation counts also has findings of its own', async (t) => {
  const rules = resolved(await loadSigmaText(correlationFile(EVENT_COUNT, ['generate: true'])));
  for (const engine of ENGINES) {
    t.deepEqual(ruleIds(await findings(rules, burst([LIST_BUCKETS], 5, 600), engine)), [CORRELATION_ID, BASE_ID].sort(), engine);
    t.deepEqual(ruleIds(await findings(rules, spread([LIST_BUCKETS], 5, 600), engine)), [BASE_ID], engine);
  }
});

test('a value_count correlation fires on distinct values of its field within the timespan', async (t) => {
  const correlation = [
    'type: value_count',
    'rules:',
    '    - list_buckets',
    'group-by:',
    '    - userIdentity.arn',
    'timespan: 1h',
    'condition:',
    '    field: sourceIPAddress',
    '    gt: 2',
  ];
  const rules = resolved(await loadSigmaText(correlationFile(correlation)));
  const from = (address: string): Call => ({ ...LIST_BUCKETS, sourceIPAddress: address });
  for (const engine of ENGINES) {
    const fired = await findings(rules, burst([from('203.0.113.9'), from('192.0.2.44'), from('198.51.100.7')], 3, 3600), engine);
    t.deepEqual(ruleIds(fired), [CORRELATION_ID], engine);
    t.like(fired[0]?.ProductFields, { 'lfvaudit/Threshold': '3 distinct sourceIPAddress within 1h', 'lfvaudit/ThresholdCount': '3' });
    t.deepEqual(await findings(rules, burst([from('203.0.113.9'), from('192.0.2.44')], 6, 3600), engine), [], engine);
  }
});
