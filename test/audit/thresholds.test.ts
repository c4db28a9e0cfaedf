import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { runAudit, type AuditResult } from '../../src/audit/run-audit.js';
import { runScheduledAudit, ScheduledAuditError } from '../../src/audit/scheduled-audit.js';
import { evaluatorFor, type EvaluatorEngine } from '../../src/evaluate/evaluator-engine.js';
import { mergeFinding } from '../../src/merge/merge-findings.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { loadRuleDefinitions } from '../../src/ruleset/load-rule-definitions.js';
import { resolveRules } from '../../src/ruleset/resolve-rules.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import type { EventSource, SourceItem, TimeWindow } from '../../src/sources/event-source.js';
import { ownsAccountRegion, type Shard } from '../../src/sources/s3/shard.js';
import { KeepingSink, scheduledOptions } from '../hardening/scheduled-library.js';
import { lfvRecord } from '../support/lfv-record.js';
import { BURST_DETECT_ANOMALIES_RULE } from '../support/rule-fixtures.js';
import { tempFolder } from '../support/temp-folder.js';

const MINUTE = 60_000;
const START = Date.parse('2025-10-01T09:00:00Z');
const NOW = new Date('2025-11-01T00:00:00Z');

/** A burst rule (5 DetectAnomalies calls within 10 minutes per principal) and a spread rule (3 distinct projects within 1 hour). */
const RULES: Readonly<Record<string, string>> = {
  'burst-detect-anomalies': BURST_DETECT_ANOMALIES_RULE,
  'spread-over-projects': `id: spread-over-projects
title: One principal touched many projects
description: One principal called Lookout for Vision on many projects within an hour.
severity: LOW
types: [Unusual Behaviors/User/Spread]
remediation: { text: Find out why. }
scope: { eventSource: [lookoutvision.amazonaws.com] }
groupBy: [principal]
threshold: { count: 3, distinct: requestParameters.projectName, within: 1h }
conditions:
  all:
    - { fact: requestParameters.projectName, operator: exists, value: true }
tests:
  - { name: a call on a project counts, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DescribeProject, requestParameters: { projectName: P1 } } }
  - { name: a call without one does not, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: ListProjects } }
`,
};

let loadedRules: Promise<ResolvedRule[]> | undefined;

function thresholdRules(): Promise<ResolvedRule[]> {
  loadedRules ??= loadThresholdRules();
  return loadedRules;
}

async function loadThresholdRules(): Promise<ResolvedRule[]> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lfvaudit-thresholds-'));
  for (const [id, text] of Object.entries(RULES)) await writeFile(path.join(folder, `${id}.yaml`), text);
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [folder] }).finally(() => rm(folder, { recursive: true, force: true }));
  if (loaded.diagnostics.length > 0) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return resolveRules(loaded.definitions, {}).rules;
}

/** A call by `principal` at `minute` past START. */
function call(id: string, minute: number, fields: Readonly<Record<string, unknown>> = {}, principal = 'Analyst'): CloudTrailRecord {
  return lfvRecord({
    eventID: id,
    eventTime: new Date(START + minute * MINUTE).toISOString(),
    eventName: 'DetectAnomalies',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/${principal}/s`, accountId: '123456789012' },
    ...fields,
  });
}

/** Files given as lists of records, read in the order given. */
function filesSource(files: readonly (readonly CloudTrailRecord[])[]): EventSource {
  return {
    description: 'memory',
    async *read(): AsyncIterable<SourceItem> {
      for (const [index, records] of files.entries())
        yield { kind: 'records', origin: `file-${index}.json`, records: records.map((record) => structuredClone(record)) };
      await Promise.resolve();
    },
  };
}

class Keeping extends KeepingSink {}

async function audit(
  files: readonly (readonly CloudTrailRecord[])[],
  options: { engine?: EvaluatorEngine; window?: TimeWindow; thresholdEventLimit?: number; shard?: Shard } = {},
): Promise<{ result: AuditResult; findings: AwsSecurityFinding[] }> {
  const rules = await thresholdRules();
  const sink = new Keeping();
  const result = await runAudit({
    sources: [filesSource(files)],
    rules,
    evaluator: evaluatorFor(options.engine ?? 'compiled', rules),
    sinks: [sink],
    now: () => NOW,
    ...(options.window === undefined ? {} : { window: options.window }),
    ...(options.thresholdEventLimit === undefined ? {} : { thresholdEventLimit: options.thresholdEventLimit }),
    ...(options.shard === undefined ? {} : { shard: options.shard }),
  });
  return { result, findings: sink.findings };
}

function ruleFindings(findings: readonly AwsSecurityFinding[], ruleId: string): AwsSecurityFinding[] {
  return findings.filter((finding) => finding.ProductFields?.['lfvaudit/RuleId'] === ruleId);
}

/** Six calls within 9 minutes, and two lone calls long before and after: only the six are the burst. */
const BURST = [call('lone-early', -60), ...[0, 1, 3, 5, 7, 9].map((minute, index) => call(`burst-${index}`, minute)), call('lone-late', 60)];

test('six calls within ten minutes fire a threshold of five; the finding states the count, the span and the threshold', async (t) => {
  const { result, findings } = await audit([BURST]);
  t.true(result.complete);
  const [finding] = ruleFindings(findings, 'burst-detect-anomalies');
  t.is(ruleFindings(findings, 'burst-detect-anomalies').length, 1);
  t.regex(finding?.Title ?? '', /^Burst of DetectAnomalies calls: .*: 6 DetectAnomalies calls within 10 minutes \(threshold 5\)$/);
  t.true(
    finding?.Description?.startsWith('6 DetectAnomalies calls within 10 minutes (threshold 5), from 2025-10-01T09:00:00Z to 2025-10-01T09:09:00Z. '),
    finding?.Description,
  );
  t.like(finding?.ProductFields, {
    'lfvaudit/Threshold': '5 within 10m',
    'lfvaudit/ThresholdCount': '6',
    'lfvaudit/ThresholdSpan': '2025-10-01T09:00:00.000Z/2025-10-01T09:09:00.000Z',
    // The evidence is the span's events: the lone calls before and after are not part of it.
    'lfvaudit/EventCount': '6',
  });
  t.is(finding?.FirstObservedAt, '2025-10-01T09:00:00.000Z');
});

test('four calls within ten minutes, and calls spread wider, do not fire a threshold of five', async (t) => {
  // At most four of these lie in any ten minutes.
  const calls = [0, 1, 3, 5, 20, 24, 28, 40, 44, 48].map((minute, index) => call(`call-${index}`, minute));
  const { result, findings } = await audit([calls.slice(0, 5), calls.slice(5)]);
  t.true(result.complete);
  t.deepEqual(ruleFindings(findings, 'burst-detect-anomalies'), []);
  // The matches were evaluated and counted (each call matches both rules); only the thresholds kept them from being findings.
  t.is(result.summary.matches, 20);
});

test('distinct counts values of a field: three projects within an hour fire, three calls on two projects do not', async (t) => {
  const project = (id: string, minute: number, name: string): CloudTrailRecord =>
    call(id, minute, { eventName: 'DescribeProject', requestParameters: { projectName: name } });
  const two = await audit([[project('a', 0, 'P1'), project('b', 10, 'P2'), project('c', 20, 'P1')]]);
  t.deepEqual(ruleFindings(two.findings, 'spread-over-projects'), []);
  const three = await audit([[project('a', 0, 'P1'), project('b', 10, 'P2'), project('c', 20, 'P1'), project('d', 59, 'P3'), project('e', 120, 'P4')]]);
  const [finding] = ruleFindings(three.findings, 'spread-over-projects');
  t.regex(finding?.Title ?? '', /: 3 distinct requestParameters\.projectName values within 1 hour \(threshold 3\)$/);
  t.like(finding?.ProductFields, {
    'lfvaudit/Threshold': '3 distinct requestParameters.projectName within 1h',
    'lfvaudit/ThresholdCount': '3',
    'lfvaudit/EventCount': '4',
  });
});

/** A seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Calls of three principals at random minutes of two hours, some on projects, some by root (no match). */
function generatedCalls(seed: number): CloudTrailRecord[] {
  const next = random(seed);
  return Array.from({ length: 40 }, (_, index) =>
    call(
      `gen-${seed}-${index}`,
      Math.floor(next() * 120),
      {
        ...(next() < 0.5 ? { eventName: 'DescribeProject', requestParameters: { projectName: `P${Math.floor(next() * 5)}` } } : {}),
        ...(next() < 0.1 ? { userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' } } : {}),
      },
      `Role${Math.floor(next() * 3)}`,
    ),
  );
}

/** The records dealt into 1–5 files in a random order, each file's records shuffled. */
function dealt(records: readonly CloudTrailRecord[], next: () => number): CloudTrailRecord[][] {
  const files: CloudTrailRecord[][] = Array.from({ length: 1 + Math.floor(next() * 5) }, () => []);
  for (const record of records) files[Math.floor(next() * files.length)]?.splice(Math.floor(next() * 3), 0, record);
  return files.sort(() => next() - 0.5);
}

test('the findings do not depend on the order of files and records, and both engines give the same ones (20 generated trails)', async (t) => {
  for (let seed = 1; seed <= 20; seed += 1) {
    const records = generatedCalls(seed);
    const inOrder = (await audit([records])).findings;
    for (const engine of ['compiled', 'reference'] as const) {
      const shuffled = (await audit(dealt(records, random(seed * 31 + (engine === 'compiled' ? 1 : 2))), { engine })).findings;
      t.deepEqual(shuffled, inOrder, `seed ${seed}, ${engine}`);
    }
  }
});

test('runs whose windows overlap by the threshold span, merged as Security Hub merges them, equal one run over both (20 generated trails)', async (t) => {
  const rules = new Map((await thresholdRules()).map((rule) => [rule.id, rule]));
  const context = { productAccountId: '123456789012', productRegion: 'us-east-1', now: NOW };
  let fired = 0;
  for (let seed = 1; seed <= 20; seed += 1) {
    const records = generatedCalls(seed);
    const whole = (await audit([records], { window: { start: new Date(START), end: new Date(START + 120 * MINUTE) } })).findings;
    // Scheduled-style windows of 80 minutes, each starting 60 minutes (the longest within) before the previous one ends.
    const stored = new Map<string, AwsSecurityFinding>();
    for (const from of [0, 20, 40]) {
      const run = await audit([records], { window: { start: new Date(START + from * MINUTE), end: new Date(START + (from + 80) * MINUTE) } });
      for (const finding of run.findings) {
        const rule = rules.get(finding.ProductFields?.['lfvaudit/RuleId'] ?? '');
        if (rule === undefined || finding.Id === undefined) continue;
        stored.set(finding.Id, mergeFinding(stored.get(finding.Id), finding, rule, context));
      }
    }
    const shown = (findings: Iterable<AwsSecurityFinding>) =>
      [...findings]
        .filter((finding) => rules.has(finding.ProductFields?.['lfvaudit/RuleId'] ?? ''))
        .map((finding) => ({ id: finding.Id, title: finding.Title, description: finding.Description, fields: finding.ProductFields }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    t.deepEqual(shown(stored.values()), shown(whole), `seed ${seed}`);
    fired += whole.length;
  }
  t.true(fired > 10, `${fired} findings in all: the generated trails must fire thresholds`);
});

test('past the limit of held events the run is incomplete and names the rule, never a silent miss', async (t) => {
  const { result } = await audit([BURST], { thresholdEventLimit: 3 });
  t.false(result.complete);
  t.is(result.summary.thresholdsIncomplete?.[0]?.rule, 'burst-detect-anomalies');
  t.regex(result.summary.thresholdsIncomplete?.[0]?.reason ?? '', /matching events were not weighed: threshold rules hold at most 3 matching events a run/);
});

test('a run given a shard decides only the threshold groups whose account and region the shard owns; split by object, none', async (t) => {
  // BURST's records are account 123456789012's, in us-east-1.
  const owner = [0, 1, 2].find((index) => ownsAccountRegion({ index, count: 3, by: 'account-region' }, '123456789012', 'us-east-1')) ?? -1;
  const owned = await audit([BURST], { shard: { index: owner, count: 3, by: 'account-region' } });
  t.true(owned.result.complete);
  t.deepEqual(owned.findings, (await audit([BURST])).findings);

  const elsewhere = await audit([BURST], { shard: { index: (owner + 1) % 3, count: 3, by: 'account-region' } });
  t.false(elsewhere.result.complete);
  t.deepEqual(
    elsewhere.result.summary.thresholdsIncomplete?.map((entry) => entry.rule),
    ['burst-detect-anomalies', 'spread-over-projects'],
  );
  t.regex(
    elsewhere.result.summary.thresholdsIncomplete?.[0]?.reason ?? '',
    /^8 matching events belong to groups whose account and region \(e\.g\. 123456789012\/us-east-1\)/,
  );

  const byObject = await audit([BURST], { shard: { index: 0, count: 1, by: 'object' } });
  t.false(byObject.result.complete);
  t.regex(byObject.result.summary.thresholdsIncomplete?.[0]?.reason ?? '', /shard 0\/1 does not read whole.*--shard-by account-region/);
});

test('a matching event without a readable eventTime cannot be placed in a span: the run says so', async (t) => {
  const { result } = await audit([[...BURST, call('undated', 0, { eventTime: 'yesterday' })]]);
  t.true(
    result.summary.notices.some(
      (notice) => notice.origin === 'rule burst-detect-anomalies' && /1 matching event has no readable eventTime/.test(notice.message),
    ),
  );
});

test('a scheduled run refuses a threshold longer than state.overlapMinutes, naming the rule and both values, before reading anything', async (t) => {
  const rules = await thresholdRules();
  const folder = tempFolder(t, 'thresholds-state');
  const sink = new KeepingSink();
  let read = false;
  const base = scheduledOptions({
    sources: [
      {
        description: 'watched',
        // eslint-disable-next-line require-yield
        async *read() {
          read = true;
          await Promise.resolve();
        },
      },
    ],
    stateFile: path.join(folder, 'state.json'),
    now: NOW,
    sink,
  });
  const error = await t.throwsAsync(
    runScheduledAudit({ ...base, rules, evaluator: evaluatorFor('compiled', rules), state: { ...base.state, overlapMinutes: 30 } }),
    { instanceOf: ScheduledAuditError },
  );
  t.regex(error?.message ?? '', /rule spread-over-projects: threshold\.within 1h is longer than state\.overlapMinutes 30.* at least 60/);
  t.false(read);
});
