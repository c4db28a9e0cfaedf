import test from 'ava';
import { buildFinding } from '../../src/findings/asff-finding.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { callerRecord } from '../ruleset/sigma/sigma-rule-events.js';
import { loadSigmaRule } from '../ruleset/sigma/sigma-fixture.js';

const now = new Date('2026-12-07T00:00:00Z');

async function sigmaFinding(): Promise<ReturnType<typeof buildFinding>> {
  const rule = await loadSigmaRule(
    ['selection:', '    eventSource: cloudtrail.amazonaws.com', '    eventName: StopLogging', 'condition: selection'].join('\n'),
  );
  const builder = new FindingGroupBuilder();
  builder.add(rule, callerRecord('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: 'main' } }));
  const [group] = builder.groups();
  if (group === undefined) throw new Error('no group');
  return buildFinding(group, rule, { now });
}

test('a finding from a Sigma rule has its id as RuleId, its level as severity, its title and description', async (t) => {
  const finding = await sigmaFinding();
  t.is(finding.ProductFields?.['lfvaudit/RuleId'], '0b9d2a51-7a39-4c1e-9f0e-5a3c2d1e4f60');
  t.is(finding.FindingProviderFields?.Severity?.Label, 'HIGH');
  t.true(finding.Title?.startsWith('Test rule for lfvaudit: user/alice'));
  t.true(finding.Description?.endsWith('A rule written for lfvaudit tests.'));
  t.deepEqual(finding.Types, ['TTPs/Defense Impairment']);
  t.deepEqual(validateAsffFinding(finding), []);
});

test('a finding from a Sigma rule keeps its author and SigmaHQ link, as the Detection Rule License asks, with references, false positives and tags', async (t) => {
  const fields = (await sigmaFinding()).ProductFields ?? {};
  t.like(fields, {
    'lfvaudit/SigmaAuthor': 'lfvaudit tests',
    'lfvaudit/SigmaRule': 'https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/test_rule.yml',
    'lfvaudit/SigmaLicense': 'Detection Rule License 1.1 https://github.com/SigmaHQ/Detection-Rule-License',
    'lfvaudit/SigmaReferences': 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html',
    'lfvaudit/SigmaFalsePositives': '["Planned maintenance"]',
    'lfvaudit/SigmaTags': 'attack.defense-impairment,attack.t1562.008',
  });
});

test('a Sigma rule groups its findings by principal only, and its remediation names the false positives', async (t) => {
  const finding = await sigmaFinding();
  t.is(finding.ProductFields?.['lfvaudit/GroupKey'], '{"principal":"arn:aws:iam::123456789012:user/alice"}');
  t.is(finding.Remediation?.Recommendation?.Text, 'Review the matched activity with the caller. Known false positives: Planned maintenance');
  t.is(finding.Remediation?.Recommendation?.Url, 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html');
});
