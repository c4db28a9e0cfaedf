import test from 'ava';
import fc from 'fast-check';
import { FindingGroupBuilder, GROUP_LIMITS, type FindingGroup } from '../../src/grouping/finding-group.js';
import { buildFinding, sortFindings } from '../../src/findings/asff-finding.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { isDeepStrictEqual } from 'node:util';
import { groupKeyValuesOf } from '../../src/grouping/group-key.js';
import { callerResourceOf } from '../../src/grouping/record-resources.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

const rule = testRule();

function groupsOf(matches: readonly CloudTrailRecord[], matchedRule: ResolvedRule = rule): FindingGroup[] {
  const builder = new FindingGroupBuilder();
  for (const record of matches) builder.add(matchedRule, record);
  return builder.groups();
}

function onlyGroup(matches: readonly CloudTrailRecord[], matchedRule: ResolvedRule = rule): FindingGroup {
  const groups = groupsOf(matches, matchedRule);
  if (groups.length !== 1 || groups[0] === undefined) throw new Error(`expected one group, got ${groups.length}`);
  return groups[0];
}

const userAlice = { type: 'IAMUser', principalId: 'AIDAALICE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' };

test('matches by one principal on one project make one group that counts calls per event name', (t) => {
  const group = onlyGroup([
    lfvRecord({ eventID: 'e1', eventName: 'CreateDataset' }),
    lfvRecord({ eventID: 'e2', eventName: 'CreateDataset' }),
    lfvRecord({ eventID: 'e3', eventName: 'DeleteProject' }),
  ]);
  t.is(group.eventCount, 3);
  t.deepEqual(group.eventNames, {
    counts: [
      ['CreateDataset', 2],
      ['DeleteProject', 1],
    ],
    otherCount: 0,
  });
  t.deepEqual(group.parts, [
    { name: 'principal', value: 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser' },
    { name: 'project', value: 'P1' },
  ]);
});

test('each principal gets its own group under the default grouping', (t) => {
  const groups = groupsOf([lfvRecord({ eventID: 'e1' }), lfvRecord({ eventID: 'e2', userIdentity: userAlice })]);
  t.deepEqual(
    groups.map((group) => group.parts[0]?.value),
    ['arn:aws:iam::123456789012:user/alice', 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser'],
  );
});

test('groups are separated by account and region even when groupBy does not name them', (t) => {
  const byProject = testRule({ groupBy: ['project'] });
  const groups = groupsOf(
    [lfvRecord({ eventID: 'e1' }), lfvRecord({ eventID: 'e2', awsRegion: 'eu-west-1' }), lfvRecord({ eventID: 'e3', recipientAccountId: '210987654321' })],
    byProject,
  );
  t.deepEqual(groups.map((group) => `${group.account}/${group.region}`).sort(), ['123456789012/eu-west-1', '123456789012/us-east-1', '210987654321/us-east-1']);
});

test('a record delivered twice is counted once', (t) => {
  const record = lfvRecord({ eventID: 'e1' });
  const group = onlyGroup([record, lfvRecord({ eventID: 'e2' }), structuredClone(record)]);
  t.is(group.eventCount, 2);
  t.deepEqual(group.eventNames.counts, [['CreateDataset', 2]]);
  t.deepEqual(group.sampleEventIds, ['e1', 'e2']);
});

test('a key the record has no value for reads as a dash', (t) => {
  const group = onlyGroup([lfvRecord({ requestParameters: null })]);
  t.deepEqual(group.parts[1], { name: 'project', value: '-' });
});

test('the account falls back to the caller account when recipientAccountId is missing', (t) => {
  const group = onlyGroup([lfvRecord({ recipientAccountId: undefined })]);
  t.is(group.account, '123456789012');
});

test('groupBy can name sourceIPAddress, eventName and dotted paths', (t) => {
  const byDetails = testRule({ groupBy: ['sourceIPAddress', 'eventName', 'tlsDetails.tlsVersion', 'resources.0.ARN'] });
  const group = onlyGroup(
    [lfvRecord({ tlsDetails: { tlsVersion: 'TLSv1' }, resources: [{ ARN: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' }] })],
    byDetails,
  );
  t.deepEqual(
    group.parts.map((part) => part.value),
    ['198.51.100.7', 'CreateDataset', 'TLSv1', 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1'],
  );
});

test('a dotted path reads only the record’s own fields, never inherited ones', (t) => {
  const byInherited = testRule({ groupBy: ['constructor.name', '__proto__', 'userIdentity.toString', 'eventName.length'] });
  const group = onlyGroup([lfvRecord()], byInherited);
  t.deepEqual(
    group.parts.map((part) => part.value),
    ['-', '-', '-', '-'],
  );
});

test('first and last event times span the group’s events', (t) => {
  const group = onlyGroup([
    lfvRecord({ eventID: 'e1', eventTime: '2025-10-01T10:00:00Z' }),
    lfvRecord({ eventID: 'e2', eventTime: '2025-10-01T08:00:00Z' }),
    lfvRecord({ eventID: 'e3', eventTime: undefined }),
  ]);
  t.is(group.firstEventTime, Date.parse('2025-10-01T08:00:00Z'));
  t.is(group.lastEventTime, Date.parse('2025-10-01T10:00:00Z'));
  t.is(group.eventCount, 3);
});

test('the sample holds the ten earliest event ids, ties broken by id and undated events last', (t) => {
  const records = Array.from({ length: 15 }, (_, index) =>
    lfvRecord({ eventID: `e${String(index).padStart(2, '0')}`, eventTime: `2025-10-01T09:00:${String(59 - index).padStart(2, '0')}Z` }),
  );
  records.push(lfvRecord({ eventID: 'a-same-time', eventTime: '2025-10-01T09:00:45Z' }), lfvRecord({ eventID: 'undated', eventTime: undefined }));
  const group = onlyGroup(records);
  t.is(group.sampleEventIds.length, GROUP_LIMITS.sampleEventIds);
  t.deepEqual(group.sampleEventIds, ['a-same-time', 'e14', 'e13', 'e12', 'e11', 'e10', 'e09', 'e08', 'e07', 'e06']);
  t.is(group.eventCount, 17);
});

test('details beyond their limit are left out and marked, while the event count stays exact', (t) => {
  const records = Array.from({ length: 100 }, (_, index) => lfvRecord({ eventID: `e${index}`, userAgent: `agent/${String(index).padStart(3, '0')}` }));
  const group = onlyGroup(records);
  t.is(group.eventCount, 100);
  t.is(group.userAgents.values.length, GROUP_LIMITS.distinctValues);
  t.true(group.userAgents.more);
  t.is(group.userAgents.values[0], 'agent/000');
  t.false(group.principals.more);
});

test('error codes are counted per code', (t) => {
  const group = onlyGroup([
    lfvRecord({ eventID: 'e1', errorCode: 'AccessDeniedException' }),
    lfvRecord({ eventID: 'e2', errorCode: 'AccessDeniedException' }),
    lfvRecord({ eventID: 'e3', errorCode: 'ConflictException' }),
    lfvRecord({ eventID: 'e4' }),
  ]);
  t.deepEqual(group.errorCodes, {
    counts: [
      ['AccessDeniedException', 2],
      ['ConflictException', 1],
    ],
    otherCount: 0,
  });
});

test('findings do not depend on the order records arrive in, byte for byte', (t) => {
  const principals = Array.from({ length: 30 }, (_, index) => ({ ...userAlice, arn: `arn:aws:iam::123456789012:user/user${index}` }));
  const records: CloudTrailRecord[] = [];
  for (let index = 0; index < 120; index += 1) {
    records.push(
      lfvRecord({
        eventID: `e${index}`,
        eventTime: `2025-10-01T${String(index % 24).padStart(2, '0')}:00:00Z`,
        eventName: ['CreateDataset', 'DeleteProject', 'DetectAnomalies', 'StartModel'][index % 4],
        userIdentity: principals[index % 30],
        sourceIPAddress: `198.51.100.${index % 40}`,
        userAgent: `agent/${index % 35}`,
        requestParameters: { projectName: `P${index % 3}`, modelVersion: String(index % 45) },
        ...(index % 7 === 0 ? { errorCode: 'AccessDeniedException' } : {}),
      }),
    );
  }
  records.push(structuredClone(records[5] as CloudTrailRecord));
  const byProject = testRule({ groupBy: ['project'] });
  const now = new Date('2025-10-02T00:00:00Z');
  const render = (input: readonly CloudTrailRecord[]): string =>
    JSON.stringify(sortFindings(groupsOf(input, byProject).map((group) => buildFinding(group, byProject, { now }))));
  const expected = render(records);
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }), (shuffled) => render(shuffled) === expected),
      { numRuns: 50, seed: 20251125 },
    );
  });
});

test('key values that would run together in one text still make separate groups', (t) => {
  // Values are kept apart one level at a time: `a|b` + `c` against `a` + `b|c`, and a dash against a missing field.
  const byIpAndProject = testRule({ groupBy: ['sourceIPAddress', 'project'] });
  const groups = groupsOf(
    [
      lfvRecord({ eventID: 'e1', sourceIPAddress: 'a|b', requestParameters: { projectName: 'c' } }),
      lfvRecord({ eventID: 'e2', sourceIPAddress: 'a', requestParameters: { projectName: 'b|c' } }),
      lfvRecord({ eventID: 'e3', sourceIPAddress: 'a","b', requestParameters: { projectName: 'c' } }),
      lfvRecord({ eventID: 'e4', sourceIPAddress: 'a', requestParameters: { projectName: 'b","c' } }),
    ],
    byIpAndProject,
  );
  t.is(groups.length, 4);
  t.true(groups.every((group) => group.eventCount === 1));
});

test('rules whose groupBy lists meet at the same values keep their own groups', (t) => {
  const byPrincipal = testRule({ id: 'by-principal', groupBy: ['principal'] });
  const byUserAgent = testRule({ id: 'by-agent', groupBy: ['userAgent'] });
  const sameText = 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser';
  const builder = new FindingGroupBuilder();
  builder.add(byPrincipal, lfvRecord({ eventID: 'e1' }));
  builder.add(byUserAgent, lfvRecord({ eventID: 'e2', userAgent: sameText }));
  builder.add(byUserAgent, lfvRecord({ eventID: 'e3', userAgent: sameText }));
  const groups = builder.groups();
  t.deepEqual(
    groups.map((group) => [group.ruleId, group.parts, group.eventCount]).sort(),
    [
      ['by-agent', [{ name: 'userAgent', value: sameText }], 2],
      ['by-principal', [{ name: 'principal', value: sameText }], 1],
    ].sort(),
  );
});

test('groups and callers are those worked out record by record, whatever rules and records share', (t) => {
  // The builder reuses account, region, principal and caller across a record's matches and across
  // records; this holds the result to the direct formulas over identities of every shape.
  const identity = fc.oneof(
    fc.constant(undefined),
    fc.record({
      type: fc.constant('IAMUser'),
      arn: fc.constantFrom('arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::210987654321:user/bob'),
      accountId: fc.constantFrom('123456789012', 'nope'),
    }),
    fc.record({ type: fc.constant('Root'), arn: fc.constant('arn:aws:iam::123456789012:root'), accountId: fc.constant('123456789012') }),
    fc.record({ type: fc.constant('AWSService'), invokedBy: fc.constantFrom('lookoutvision.amazonaws.com', 'ec2.amazonaws.com') }),
    fc.record({
      type: fc.constant('AssumedRole'),
      arn: fc.constantFrom('arn:aws:sts::123456789012:assumed-role/Admin/MyUser', 'arn:aws:sts::123456789012:assumed-role/Ops/other'),
      accountId: fc.constant('123456789012'),
      sessionContext: fc.record({
        sessionIssuer: fc.record({
          type: fc.constantFrom('Role', 'User'),
          arn: fc.constantFrom('arn:aws:iam::123456789012:role/Admin', 'arn:aws:iam::123456789012:role/Ops', 'not-an-arn'),
        }),
      }),
    }),
  );
  const record = fc.record({
    userIdentity: identity,
    recipientAccountId: fc.constantFrom(undefined, '123456789012', '210987654321', 'bad'),
    awsRegion: fc.constantFrom(undefined, 'us-east-1', 'eu-west-1', 'nowhere'),
    sourceIPAddress: fc.constantFrom('198.51.100.7', '203.0.113.9'),
    requestParameters: fc.constantFrom(null, { projectName: 'P1' }, { projectName: 'P2', modelVersion: '3' }, { projectName: '' }),
  });
  const rules = [
    testRule({ id: 'r-default' }),
    testRule({ id: 'r-project', groupBy: ['project'] }),
    testRule({ id: 'r-account-region', groupBy: ['account', 'region', 'principal'] }),
    testRule({ id: 'r-ip', groupBy: ['sourceIPAddress'] }),
  ];
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.array(fc.tuple(record, fc.subarray(rules, { minLength: 1 })), { maxLength: 40 }), (cases) => {
        const builder = new FindingGroupBuilder();
        const expected = new Map<string, { count: number; callers: Set<string> }>();
        cases.forEach(([fields, matched], index) => {
          const event = lfvRecord({ ...fields, eventID: `e${index}` });
          for (const matchedRule of matched) {
            builder.add(matchedRule, event);
            // Without the builder's per-record values: each key value read from the record afresh.
            const key = JSON.stringify([matchedRule.id, ...groupKeyValuesOf(matchedRule.groupBy, event)]);
            const entry = expected.get(key) ?? { count: 0, callers: new Set<string>() };
            entry.count += 1;
            const caller = callerResourceOf(event);
            if (caller !== undefined) entry.callers.add(JSON.stringify(caller));
            expected.set(key, entry);
          }
        });
        const actual = new Map(
          builder
            .groups()
            .map((group) => [
              JSON.stringify([group.ruleId, group.account, group.region, ...group.parts.map((part) => part.value)]),
              { count: group.eventCount, callers: new Set(group.callers.values.map((caller) => JSON.stringify(caller))) },
            ]),
        );
        return isDeepStrictEqual(actual, expected);
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });
});
