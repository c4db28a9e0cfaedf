import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding, sortFindings, type BuildFindingOptions } from '../../src/findings/asff-finding.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { findingIdOf } from '../../src/findings/finding-id.js';
import { canonicalGroupKey } from '../../src/grouping/group-key.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

const now = new Date('2025-10-02T00:00:00Z');

function findingsFor(records: readonly CloudTrailRecord[], rule: ResolvedRule = testRule(), options: BuildFindingOptions = { now }): AwsSecurityFinding[] {
  const builder = new FindingGroupBuilder();
  for (const record of records) builder.add(rule, record);
  return builder.groups().map((group) => buildFinding(group, rule, options));
}

function findingFor(records: readonly CloudTrailRecord[], rule?: ResolvedRule, options?: BuildFindingOptions): AwsSecurityFinding {
  const findings = findingsFor(records, rule, options);
  if (findings.length !== 1 || findings[0] === undefined) throw new Error(`expected one finding, got ${findings.length}`);
  return findings[0];
}

const threeCalls = [
  lfvRecord({ eventID: 'e1', eventTime: '2025-10-01T09:00:00Z' }),
  lfvRecord({ eventID: 'e2', eventTime: '2025-10-01T09:05:00Z', errorCode: 'AccessDeniedException' }),
  lfvRecord({ eventID: 'e3', eventTime: '2025-10-01T09:10:00Z', eventName: 'DeleteProject' }),
];

test('a finding built from matches passes every ASFF check', (t) => {
  t.deepEqual(validateAsffFinding(findingFor(threeCalls)), []);
});

test('the title names the rule, the principal and the project', (t) => {
  t.is(findingFor(threeCalls).Title, 'Lookout for Vision test rule: assumed-role/Admin/MyUser (P1)');
});

test('the description says who called what, where, when and from where, then what the rule means', (t) => {
  t.is(
    findingFor(threeCalls).Description,
    'arn:aws:sts::123456789012:assumed-role/Admin/MyUser called CreateDataset ×2, DeleteProject ×1 on project P1 in us-east-1 ' +
      '(account 123456789012) between 2025-10-01T09:00:00Z and 2025-10-01T09:10:00Z from 198.51.100.7 ' +
      '[errors: AccessDeniedException ×1]. A rule made for tests.',
  );
});

test('the Id is derived from rule, account, region and group key', (t) => {
  t.regex(findingFor(threeCalls).Id ?? '', /^lfvaudit\/lfv-test-rule\/123456789012\/us-east-1\/[0-9a-f]{32}$/);
});

test('the same group gets the same Id on every run and as events join it', (t) => {
  const first = findingFor(threeCalls.slice(0, 1), undefined, { now });
  const later = findingFor(threeCalls, undefined, { now: new Date('2025-10-09T00:00:00Z') });
  t.is(later.Id, first.Id);
});

test('the Id is the key hashed, whether the group’s canonical key or an Id worked out already is given', (t) => {
  const builder = new FindingGroupBuilder();
  for (const record of threeCalls) builder.add(testRule(), record);
  const [group] = builder.groups();
  if (group === undefined) throw new Error('expected one group');
  const id = findingFor(threeCalls).Id ?? '';
  t.regex(id, /^lfvaudit\//);
  t.is(findingIdOf(group), id);
  t.is(findingIdOf(group, group.canonicalKey), id);
  t.is(group.canonicalKey, canonicalGroupKey(group));
  // A finding list sorts by Id first, then hands it over rather than hashing the key again.
  t.is(buildFinding(group, testRule(), { now }, 'lfvaudit/given').Id, 'lfvaudit/given');
});

test('different principals, rules, accounts and regions get different Ids', (t) => {
  const ids = [
    findingFor([lfvRecord()]).Id,
    findingFor([lfvRecord({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' } })]).Id,
    findingFor([lfvRecord()], testRule({ id: 'lfv-other-rule' })).Id,
    findingFor([lfvRecord({ recipientAccountId: '210987654321' })]).Id,
    findingFor([lfvRecord({ awsRegion: 'eu-west-1' })]).Id,
    findingFor([lfvRecord({ requestParameters: { projectName: 'P2' } })]).Id,
  ];
  t.is(new Set(ids).size, ids.length);
});

test('the product ARN defaults to the account and region of the events', (t) => {
  t.is(findingFor(threeCalls).ProductArn, 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default');
});

test('the product ARN names the receiving Security Hub when it is given', (t) => {
  const finding = findingFor(threeCalls, undefined, { now, productAccountId: '999999999999', productRegion: 'eu-west-1' });
  t.is(finding.ProductArn, 'arn:aws:securityhub:eu-west-1:999999999999:product/999999999999/default');
  t.is(finding.AwsAccountId, '123456789012');
  t.is(finding.Region, 'us-east-1');
});

test('severity and types are set in FindingProviderFields and at the top level', (t) => {
  const finding = findingFor(threeCalls, testRule({ severity: 'CRITICAL', types: ['TTPs/Initial Access', 'Effects/Data Destruction'] }));
  t.deepEqual(finding.FindingProviderFields, {
    Severity: { Label: 'CRITICAL', Original: 'CRITICAL' },
    Types: ['TTPs/Initial Access', 'Effects/Data Destruction'],
  });
  t.deepEqual(finding.Severity, { Label: 'CRITICAL' });
  t.deepEqual(finding.Types, ['TTPs/Initial Access', 'Effects/Data Destruction']);
});

test('created and updated times are the run’s; observed times come from the events', (t) => {
  const finding = findingFor(threeCalls);
  t.is(finding.CreatedAt, '2025-10-02T00:00:00.000Z');
  t.is(finding.UpdatedAt, '2025-10-02T00:00:00.000Z');
  t.is(finding.FirstObservedAt, '2025-10-01T09:00:00.000Z');
  t.is(finding.LastObservedAt, '2025-10-01T09:10:00.000Z');
  t.is(finding.Action?.AwsApiCallAction?.FirstSeen, '2025-10-01T09:00:00.000Z');
  t.is(finding.Action?.AwsApiCallAction?.LastSeen, '2025-10-01T09:10:00.000Z');
});

test('the finding is active, new and failed, with the rule’s remediation', (t) => {
  const finding = findingFor(threeCalls);
  t.is(finding.RecordState, 'ACTIVE');
  t.deepEqual(finding.Workflow, { Status: 'NEW' });
  t.deepEqual(finding.Compliance, { Status: 'FAILED' });
  t.deepEqual(finding.Remediation, {
    Recommendation: { Text: 'Do the right thing.', Url: 'https://docs.aws.amazon.com/lookout-for-vision/latest/developer-guide/security.html' },
  });
});

test('a long title is cut to 256 characters and ends in an ellipsis', (t) => {
  const rule = testRule({ title: 'T'.repeat(200) });
  const finding = findingFor([lfvRecord({ userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${'u'.repeat(120)}` } })], rule);
  t.is(finding.Title?.length, 256);
  t.true(finding.Title?.endsWith('…'));
  t.deepEqual(validateAsffFinding(finding), []);
});

test('a long description is cut to 1024 characters and ends in an ellipsis', (t) => {
  const finding = findingFor(threeCalls, testRule({ description: 'Why this matters. '.repeat(100) }));
  t.is(finding.Description?.length, 1024);
  t.true(finding.Description?.endsWith('…'));
  t.deepEqual(validateAsffFinding(finding), []);
});

test('line breaks in rule text and event data do not reach titles and descriptions', (t) => {
  const rule = testRule({ title: 'Line\nbreak', description: 'Folded\nYAML\n' });
  const finding = findingFor([lfvRecord({ requestParameters: { projectName: 'P1\r\nInjected' } })], rule);
  t.is(finding.Title, 'Line break: assumed-role/Admin/MyUser (P1 Injected)');
  t.false(/[\r\n]/.test(finding.Description ?? ''));
});

test('the API, service and caller are described in the action', (t) => {
  const finding = findingFor(threeCalls);
  t.deepEqual(finding.Action, {
    ActionType: 'AWS_API_CALL',
    AwsApiCallAction: {
      Api: 'CreateDataset',
      ServiceName: 'lookoutvision.amazonaws.com',
      CallerType: 'remoteIp',
      RemoteIpDetails: { IpAddressV4: '198.51.100.7' },
      FirstSeen: '2025-10-01T09:00:00.000Z',
      LastSeen: '2025-10-01T09:10:00.000Z',
    },
  });
});

test('an IPv6 caller is a remote IP whose address is kept in ProductFields', (t) => {
  const finding = findingFor([lfvRecord({ sourceIPAddress: '2001:db8::7' })]);
  t.is(finding.Action?.AwsApiCallAction?.CallerType, 'remoteIp');
  t.is(finding.Action?.AwsApiCallAction?.RemoteIpDetails, undefined);
  t.is(finding.ProductFields?.['lfvaudit/RemoteIpV6'], '2001:db8::7');
});

test('a service host name as source is a domain caller', (t) => {
  const finding = findingFor([lfvRecord({ sourceIPAddress: 'lookoutvision.amazonaws.com' })]);
  t.is(finding.Action?.AwsApiCallAction?.CallerType, 'domain');
  t.deepEqual(finding.Action?.AwsApiCallAction?.DomainDetails, { Domain: 'lookoutvision.amazonaws.com' });
  t.is(finding.Action?.AwsApiCallAction?.RemoteIpDetails, undefined);
});

test('"AWS Internal" as source names no caller type but is listed', (t) => {
  const finding = findingFor([lfvRecord({ sourceIPAddress: 'AWS Internal' })]);
  t.is(finding.Action?.AwsApiCallAction?.CallerType, undefined);
  t.is(finding.Action?.AwsApiCallAction?.DomainDetails, undefined);
  t.is(finding.ProductFields?.['lfvaudit/SourceIPs'], 'AWS Internal');
});

test('events from several addresses name no single caller', (t) => {
  const finding = findingFor([lfvRecord({ eventID: 'e1' }), lfvRecord({ eventID: 'e2', sourceIPAddress: '203.0.113.9' })]);
  t.is(finding.Action?.AwsApiCallAction?.CallerType, undefined);
  t.is(finding.ProductFields?.['lfvaudit/SourceIPs'], '198.51.100.7,203.0.113.9');
});

test('the most frequent call is the action’s API', (t) => {
  const finding = findingFor([
    lfvRecord({ eventID: 'e1', eventName: 'StartModel' }),
    lfvRecord({ eventID: 'e2', eventName: 'StopModel' }),
    lfvRecord({ eventID: 'e3', eventName: 'StopModel' }),
  ]);
  t.is(finding.Action?.AwsApiCallAction?.Api, 'StopModel');
});

test('resources are the Lookout for Vision model and project, then the caller’s IAM role', (t) => {
  const finding = findingFor([lfvRecord({ requestParameters: { projectName: 'P1', modelVersion: '2' } })]);
  t.deepEqual(finding.Resources, [
    { Type: 'Other', Id: 'arn:aws:lookoutvision:us-east-1:123456789012:model/P1/2', Partition: 'aws', Region: 'us-east-1' },
    { Type: 'Other', Id: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1', Partition: 'aws', Region: 'us-east-1' },
    { Type: 'AwsIamRole', Id: 'arn:aws:iam::123456789012:role/Admin', Partition: 'aws', Region: 'us-east-1' },
  ]);
});

test('an IAM user caller is an AwsIamUser resource', (t) => {
  const finding = findingFor([lfvRecord({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' } })]);
  t.deepEqual(finding.Resources?.at(-1), { Type: 'AwsIamUser', Id: 'arn:aws:iam::123456789012:user/alice', Partition: 'aws', Region: 'us-east-1' });
});

test('forty resources are capped to thirty-two, keeping the caller', (t) => {
  const records = Array.from({ length: 40 }, (_, index) =>
    lfvRecord({ eventID: `e${index}`, requestParameters: { projectName: `P${String(index).padStart(2, '0')}` } }),
  );
  const finding = findingFor(records, testRule({ groupBy: ['principal'] }));
  t.is(finding.Resources?.length, 32);
  t.true(finding.Resources?.some((resource) => resource.Type === 'AwsIamRole'));
  t.deepEqual(validateAsffFinding(finding), []);
});

test('a group that names no resource and no caller still has its account as resource', (t) => {
  const finding = findingFor([lfvRecord({ requestParameters: null, userIdentity: null })]);
  t.deepEqual(finding.Resources, [{ Type: 'AwsAccount', Id: 'AWS::::Account:123456789012', Partition: 'aws', Region: 'us-east-1' }]);
  t.deepEqual(validateAsffFinding(finding), []);
});

test('null and string requestParameters give a valid finding without a project', (t) => {
  for (const requestParameters of [null, 'projectName=P1']) {
    const finding = findingFor([lfvRecord({ requestParameters })]);
    t.is(finding.Title, 'Lookout for Vision test rule: assumed-role/Admin/MyUser');
    t.deepEqual(validateAsffFinding(finding), []);
  }
});

test('ProductFields carry the rule, counts, sample, calls, sources, errors and group key', (t) => {
  const fields = findingFor(threeCalls).ProductFields ?? {};
  t.like(fields, {
    'lfvaudit/RuleId': 'lfv-test-rule',
    'lfvaudit/EventCount': '3',
    'lfvaudit/SampleEventIds': 'e1,e2,e3',
    'lfvaudit/EventNames': 'CreateDataset:2,DeleteProject:1',
    'lfvaudit/SourceIPs': '198.51.100.7',
    'lfvaudit/ErrorCodes': 'AccessDeniedException:1',
    'lfvaudit/GroupKey': '{"principal":"arn:aws:sts::123456789012:assumed-role/Admin/MyUser","project":"P1"}',
    'lfvaudit/Principals': '["arn:aws:sts::123456789012:assumed-role/Admin/MyUser"]',
    'lfvaudit/Projects': 'P1',
  });
});

test('the sample of event ids lists the ten earliest events', (t) => {
  const records = Array.from({ length: 12 }, (_, index) =>
    lfvRecord({ eventID: `e${String(index).padStart(2, '0')}`, eventTime: `2025-10-01T09:${String(index).padStart(2, '0')}:00Z` }),
  );
  const fields = findingFor(records).ProductFields ?? {};
  t.is(fields['lfvaudit/SampleEventIds'], 'e00,e01,e02,e03,e04,e05,e06,e07,e08,e09');
  t.is(fields['lfvaudit/EventCount'], '12');
});

test('a group of several principals and projects says how many in its title and description', (t) => {
  const finding = findingFor(
    [
      lfvRecord({ eventID: 'e1' }),
      lfvRecord({ eventID: 'e2', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' }, requestParameters: { projectName: 'P2' } }),
    ],
    testRule({ groupBy: [] }),
  );
  t.is(finding.Title, 'Lookout for Vision test rule: 2 principals (2 projects)');
  t.true(finding.Description?.startsWith('2 principals called CreateDataset ×2 on projects P1, P2 in us-east-1'));
});

test('ProductFields stay within their limits however long the event data', (t) => {
  const records = Array.from({ length: 30 }, (_, index) =>
    lfvRecord({ eventID: `e${index}`, userAgent: `agent-${String(index).padStart(2, '0')}/${'x'.repeat(500)}` }),
  );
  const finding = findingFor(records);
  const fields = finding.ProductFields ?? {};
  const userAgents = fields['lfvaudit/UserAgents'] ?? '';
  t.true(userAgents.length <= 2048);
  t.is((JSON.parse(userAgents) as string[]).at(-1), '…');
  t.true(Object.keys(fields).length <= 50);
  t.true(Object.keys(fields).every((key) => key.length <= 128 && !key.startsWith('aws/')));
  t.deepEqual(validateAsffFinding(finding), []);
});

test('a project named __proto__ is an ordinary project and pollutes nothing', (t) => {
  const record = JSON.parse(JSON.stringify(lfvRecord()).replace('"projectName":"P1"', '"projectName":"__proto__"')) as CloudTrailRecord;
  const finding = findingFor([record]);
  t.is(finding.Title, 'Lookout for Vision test rule: assumed-role/Admin/MyUser (__proto__)');
  t.is(finding.Resources?.[0]?.Id, 'arn:aws:lookoutvision:us-east-1:123456789012:project/__proto__');
  const groupKey = JSON.parse(finding.ProductFields?.['lfvaudit/GroupKey'] ?? '{}') as Record<string, unknown>;
  t.true(Object.hasOwn(groupKey, 'project'));
  t.is(groupKey['project'], '__proto__');
  t.is(Object.getPrototypeOf({}), Object.prototype);
  t.deepEqual(validateAsffFinding(finding), []);
});

test('a groupBy key named __proto__ is an own key of the group key field', (t) => {
  const finding = findingFor([lfvRecord()], testRule({ groupBy: ['__proto__'] }));
  const groupKey = JSON.parse(finding.ProductFields?.['lfvaudit/GroupKey'] ?? '{}') as Record<string, unknown>;
  t.true(Object.hasOwn(groupKey, '__proto__'));
  t.is(({} as Record<string, unknown>)['-'], undefined);
});

test('findings are sorted by severity, then rule id, then Id', (t) => {
  const low = findingsFor([lfvRecord()], testRule({ id: 'a-low', severity: 'LOW' }));
  const highB = findingsFor([lfvRecord()], testRule({ id: 'b-high', severity: 'HIGH' }));
  const highA = findingsFor(
    [lfvRecord({ eventID: 'e1' }), lfvRecord({ eventID: 'e2', requestParameters: { projectName: 'P2' } })],
    testRule({ id: 'a-high', severity: 'HIGH' }),
  );
  const critical = findingsFor([lfvRecord()], testRule({ id: 'z-critical', severity: 'CRITICAL' }));
  const sorted = sortFindings([...low, ...highB, ...highA, ...critical]);
  const highAIds = highA.map((finding) => finding.Id ?? '').sort();
  t.deepEqual(
    sorted.map((finding) => finding.Id),
    [critical[0]?.Id, ...highAIds, highB[0]?.Id, low[0]?.Id],
  );
});

test('a resource id longer than 2048 characters (a huge project name or caller ARN) is left out, so the finding stays under 240 KB', (t) => {
  const huge = `P${'x'.repeat(300_000)}`;
  const finding = findingFor(
    [
      lfvRecord({ eventID: 'huge-project', requestParameters: { projectName: huge, modelVersion: '1' } }),
      lfvRecord({ eventID: 'huge-caller', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${huge}`, accountId: '123456789012' } }),
    ],
    testRule({ groupBy: [] }),
  );
  t.deepEqual(validateAsffFinding(finding), []);
  t.deepEqual(
    finding.Resources?.map((resource) => resource.Id),
    ['arn:aws:lookoutvision:us-east-1:123456789012:project/P1', 'arn:aws:iam::123456789012:role/Admin'],
  );
});
