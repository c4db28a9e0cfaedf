import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding, sortFindings, type BuildFindingOptions } from '../../src/findings/asff-finding.js';
import { findingListOf } from '../../src/findings/finding-list.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { findingsJsonText } from '../../src/sinks/findings-json-text.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

const now = new Date('2025-10-02T00:00:00Z');

/** Three rules of different severities (two sharing one), over records of several principals, projects and accounts. */
function grouped(): { builder: FindingGroupBuilder; rules: Map<string, ResolvedRule> } {
  const rules = [
    testRule({ id: 'b-medium', severity: 'MEDIUM' }),
    testRule({ id: 'a-medium', severity: 'MEDIUM', groupBy: ['project'] }),
    testRule({ id: 'z-critical', severity: 'CRITICAL', groupBy: [] }),
    testRule({ id: 'c-low', severity: 'LOW', groupBy: ['sourceIPAddress'] }),
  ];
  const builder = new FindingGroupBuilder();
  for (let index = 0; index < 40; index += 1) {
    const record = lfvRecord({
      eventID: `event-${index}`,
      eventTime: `2025-10-01T${String(index % 24).padStart(2, '0')}:00:00Z`,
      requestParameters: { projectName: `P${index % 5}` },
      sourceIPAddress: `198.51.100.${index % 7}`,
      // Every eighth record names no account at all: its findings are unattributed without a configured one.
      ...(index % 8 === 0 ? { recipientAccountId: undefined, userIdentity: { type: 'AWSService', invokedBy: 'lookoutvision.amazonaws.com' } } : {}),
    });
    for (const rule of rules) builder.add(rule, record);
  }
  return { builder, rules: new Map(rules.map((rule) => [rule.id, rule])) };
}

function builtAndSorted(builder: FindingGroupBuilder, rules: ReadonlyMap<string, ResolvedRule>, options: BuildFindingOptions): AwsSecurityFinding[] {
  return sortFindings(
    builder.groups().map((group) => {
      const rule = rules.get(group.ruleId);
      if (rule === undefined) throw new Error(`no rule ${group.ruleId}`);
      return buildFinding(group, rule, options);
    }),
  );
}

test('the list yields exactly the findings built all at once, in sortFindings order, and again on a second pass', (t) => {
  const { builder, rules } = grouped();
  const list = findingListOf(builder.lazyGroups(), rules, { now });
  const expected = builtAndSorted(builder, rules, { now });
  t.true(expected.length > 20);
  t.is(list.count, expected.length);
  t.deepEqual([...list], expected);
  t.deepEqual([...list], expected);
});

test('counts per severity and unattributed findings come from the keys, without building a finding', (t) => {
  const { builder, rules } = grouped();
  const expected = builtAndSorted(builder, rules, { now });
  const bySeverity: Record<string, number> = {};
  for (const finding of expected) bySeverity[finding.Severity?.Label ?? '?'] = (bySeverity[finding.Severity?.Label ?? '?'] ?? 0) + 1;

  const list = findingListOf(builder.lazyGroups(), rules, { now });
  t.deepEqual(list.bySeverity, bySeverity);
  // Most severe first, as the findings come.
  t.deepEqual(Object.keys(list.bySeverity), ['CRITICAL', 'MEDIUM', 'LOW']);
  const unattributed = expected.filter((finding) => finding.AwsAccountId === '-').length;
  t.true(unattributed > 0);
  t.is(list.unattributed, unattributed);
  // A configured receiving account attributes them all.
  t.is(findingListOf(builder.lazyGroups(), rules, { now, productAccountId: '111122223333' }).unattributed, 0);
});

test('the findings file text takes findings from the list as it writes, a piece at a time', (t) => {
  const rule = testRule({ id: 'per-event', groupBy: ['eventID'] });
  const builder = new FindingGroupBuilder();
  for (let index = 0; index < 200; index += 1) builder.add(rule, lfvRecord({ eventID: `event-${index}` }));
  const list = findingListOf(builder.lazyGroups(), new Map([[rule.id, rule]]), { now });
  let taken = 0;
  const counted: Iterable<AwsSecurityFinding> = {
    *[Symbol.iterator]() {
      for (const finding of list) {
        taken += 1;
        yield finding;
      }
    },
  };
  const pieces = findingsJsonText(counted);
  const first = pieces.next();
  t.false(first.done);
  // The first piece needed no more findings than a piece holds (a few): the rest are not built yet.
  t.true(taken >= 1 && taken <= 8, `${taken}`);
  const text = first.value + [...pieces].join('');
  t.is(taken, 200);
  t.is(text, `${JSON.stringify({ Findings: [...list] }, null, 2)}\n`);
});
