/**
 * What a run of the audit hands its sinks, without sources or sinks: the records a run reads (its
 * window, its shard), grouped by rule and built into ASFF findings with the run's coverage. Tests of
 * merging and of the Security Hub sink use it to play several runs over the same events.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding } from '../../src/findings/asff-finding.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { eventTimeOf } from '../../src/records/event-time.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { lfvRecord } from './lfv-record.js';

export interface SimulatedRun {
  /** Half-open window on eventTime; records outside it are not read. Absent: a file run, every record read. */
  readonly window?: { readonly start: Date; readonly end: Date };
  /** `--shard I/N`, or any other part of the input: only the records this predicate keeps are read. */
  readonly shard?: (record: CloudTrailRecord) => boolean;
  /** Rules every record matches. */
  readonly rules: readonly ResolvedRule[];
  readonly now: Date;
  /** ProductArn's account and region. Default: each group's own. */
  readonly product?: { readonly accountId?: string; readonly region?: string };
}

export function simulateRun(records: readonly CloudTrailRecord[], run: SimulatedRun): AwsSecurityFinding[] {
  const builder = new FindingGroupBuilder();
  for (const record of records) {
    const time = eventTimeOf(record);
    if (run.window !== undefined && (time === undefined || time < run.window.start.getTime() || time >= run.window.end.getTime())) continue;
    if (run.shard !== undefined && !run.shard(record)) continue;
    for (const rule of run.rules) builder.add(rule, record);
  }
  const rulesById = new Map(run.rules.map((rule) => [rule.id, rule]));
  return builder.groups().map((group) => {
    const rule = rulesById.get(group.ruleId);
    if (rule === undefined) throw new Error(`no rule ${group.ruleId}`);
    return buildFinding(group, rule, {
      now: run.now,
      ...(run.product?.accountId === undefined ? {} : { productAccountId: run.product.accountId }),
      ...(run.product?.region === undefined ? {} : { productRegion: run.product.region }),
    });
  });
}

/** `count` Lookout for Vision calls spread `spacingMs` apart from `start`, cycling through a few principals, projects and calls. */
export function lfvEvents(
  count: number,
  start: Date,
  spacingMs: number,
  options: { readonly principals?: number; readonly idPrefix?: string } = {},
): CloudTrailRecord[] {
  const principals = options.principals ?? 2;
  const calls = ['CreateDataset', 'DeleteProject', 'DetectAnomalies'];
  return Array.from({ length: count }, (_, index) => {
    const principal = index % principals;
    return lfvRecord({
      eventID: `${options.idPrefix ?? 'event'}-${String(index).padStart(6, '0')}`,
      eventTime: new Date(start.getTime() + index * spacingMs).toISOString(),
      eventName: calls[index % calls.length],
      ...(index % 7 === 3 ? { errorCode: 'AccessDeniedException' } : {}),
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::123456789012:assumed-role/Role${principal}/session`,
        accountId: '123456789012',
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::123456789012:role/Role${principal}`, accountId: '123456789012' } },
      },
      requestParameters: { projectName: `P${index % 2}` },
    });
  });
}
