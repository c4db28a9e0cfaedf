import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding } from '../../src/findings/asff-finding.js';
import { isAsffTimestamp, validateAsffFinding } from '../../src/findings/asff-limits.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

function validFinding(): AwsSecurityFinding {
  const rule = testRule();
  const builder = new FindingGroupBuilder();
  builder.add(rule, lfvRecord());
  const [group] = builder.groups();
  if (group === undefined) throw new Error('no group');
  return buildFinding(group, rule, { now: new Date('2025-10-02T00:00:00Z') });
}

/** The fields the validator complains about once `change` is applied to a valid finding. */
function problemFields(change: (finding: AwsSecurityFinding) => void): string[] {
  const finding = validFinding();
  change(finding);
  return validateAsffFinding(finding).map((problem) => problem.field);
}

test('a finding lfvaudit builds has no problems', (t) => {
  t.deepEqual(validateAsffFinding(validFinding()), []);
});

test('every required field is required', (t) => {
  const required = ['Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description'] as const;
  for (const field of required) {
    t.true(
      problemFields((finding) => {
        delete finding[field];
      }).includes(field),
      field,
    );
  }
  t.deepEqual(
    problemFields((finding) => {
      delete finding.Resources;
    }),
    ['Resources'],
  );
});

test('the schema version must be 2018-10-08', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.SchemaVersion = '2018-10-09')),
    ['SchemaVersion'],
  );
});

test('a blank required string is rejected', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.Title = '   ')),
    ['Title'],
  );
});

test('Id and GeneratorId hold at most 512 characters', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.Id = 'i'.repeat(512))),
    [],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Id = 'i'.repeat(513))),
    ['Id'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.GeneratorId = 'g'.repeat(513))),
    ['GeneratorId'],
  );
});

test('the title holds at most 256 characters and the description 1024', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.Title = 't'.repeat(256))),
    [],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Title = 't'.repeat(257))),
    ['Title'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Description = 'd'.repeat(1025))),
    ['Description'],
  );
});

test('the account id must be twelve digits', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.AwsAccountId = '12345678901')),
    ['AwsAccountId'],
  );
});

test('the product ARN must be a Security Hub product ARN', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.ProductArn = 'arn:aws:iam::123456789012:role/Admin')),
    ['ProductArn'],
  );
});

test('timestamps must be RFC 3339 date-times', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.UpdatedAt = '2025-10-02')),
    ['UpdatedAt'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.FirstObservedAt = 'yesterday')),
    ['FirstObservedAt'],
  );
  t.true(isAsffTimestamp('2025-10-02T00:00:00Z'));
  t.true(isAsffTimestamp('2025-10-02T00:00:00.123456789+02:00'));
  t.false(isAsffTimestamp('2025-13-02T00:00:00Z'));
});

test('types must use a valid namespace, at most three parts and at most fifty entries', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.Types = ['Threats/Initial Access'])),
    ['Types[0]'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Types = ['TTPs/Initial Access/A/B'])),
    ['Types[0]'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Types = Array.from({ length: 51 }, () => 'TTPs/Discovery'))),
    ['Types'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.FindingProviderFields = { Types: ['TTPs//x'] })),
    ['FindingProviderFields.Types[0]'],
  );
});

test('severity labels must be ASFF labels', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.FindingProviderFields = { Severity: { Label: 'SEVERE' as 'HIGH' } })),
    ['FindingProviderFields.Severity.Label'],
  );
});

test('a finding holds one to thirty-two resources, each with a type and an id', (t) => {
  const resource = { Type: 'Other', Id: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' };
  t.deepEqual(
    problemFields((finding) => (finding.Resources = [])),
    ['Resources'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Resources = Array.from({ length: 32 }, () => resource))),
    [],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Resources = Array.from({ length: 33 }, () => resource))),
    ['Resources'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Resources = [{ Type: '', Id: 'x' }])),
    ['Resources[0].Type'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.Resources = [{ ...resource, Partition: 'mars' as 'aws' }])),
    ['Resources[0].Partition'],
  );
});

test('ProductFields hold at most fifty pairs with keys to 128 and values to 2048 characters', (t) => {
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`lfvaudit/k${index}`, 'v']));
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = fifty)),
    [],
  );
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = { ...fifty, 'lfvaudit/one-more': 'v' })),
    ['ProductFields'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = { [`lfvaudit/${'k'.repeat(120)}`]: 'v' })),
    [`ProductFields.lfvaudit/${'k'.repeat(120)}`],
  );
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = { 'lfvaudit/v': 'v'.repeat(2049) })),
    ['ProductFields.lfvaudit/v'],
  );
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = { 'lfvaudit/v': '' })),
    ['ProductFields.lfvaudit/v'],
  );
});

test('ProductFields keys may not use the reserved aws/ prefix', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = { 'aws/securityhub/FindingId': 'x' })),
    ['ProductFields.aws/securityhub/FindingId'],
  );
});

test('the recommendation text holds at most 512 characters', (t) => {
  t.deepEqual(
    problemFields((finding) => (finding.Remediation = { Recommendation: { Text: 'r'.repeat(513) } })),
    ['Remediation.Recommendation.Text'],
  );
});

test('the API name and caller domain hold at most 128 characters', (t) => {
  t.deepEqual(
    problemFields(
      (finding) => (finding.Action = { ActionType: 'AWS_API_CALL', AwsApiCallAction: { Api: 'a'.repeat(129), DomainDetails: { Domain: 'd'.repeat(129) } } }),
    ),
    ['Action.AwsApiCallAction.Api', 'Action.AwsApiCallAction.DomainDetails.Domain'],
  );
});

test('record state, workflow status and compliance status must be known values', (t) => {
  t.deepEqual(
    problemFields((finding) => {
      finding.RecordState = 'OPEN' as 'ACTIVE';
      finding.Workflow = { Status: 'DONE' as 'NEW' };
      finding.Compliance = { Status: 'BROKEN' as 'FAILED' };
    }),
    ['RecordState', 'Workflow.Status', 'Compliance.Status'],
  );
});

test('a finding may not pass 240 KB of JSON', (t) => {
  const bulky = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`lfvaudit/k${index}`, 'x'.repeat(2048)]));
  t.deepEqual(
    problemFields((finding) => (finding.ProductFields = bulky)),
    [],
  );
  t.deepEqual(
    problemFields((finding) => {
      finding.ProductFields = bulky;
      finding.UserDefinedFields = { big: 'y'.repeat(1024) };
      finding.Resources = Array.from({ length: 32 }, (_, index) => ({ Type: 'Other', Id: `${index}`.padEnd(5000, 'z') }));
    }),
    ['(finding)'],
  );
});
