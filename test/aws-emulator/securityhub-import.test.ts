import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { asffFinding, emulatedAws } from './fixtures.js';

test('an imported finding is stored with what Security Hub adds: product names, region, workflow, record state', async (t) => {
  const aws = await emulatedAws(t);

  const output = await aws.importFindings([asffFinding()]);

  t.like(output, { SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
  t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], {
    Id: 'lfvaudit/lfv-test-rule/0001',
    ProductName: 'Default',
    CompanyName: 'Personal',
    Region: 'us-east-1',
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
    Severity: { Label: 'HIGH', Normalized: 70, Original: 'HIGH' },
    ProductFields: { 'aws/securityhub/FindingId': `${aws.productArn}/lfvaudit/lfv-test-rule/0001` },
  });
});

test('101 findings in one call fail the whole request with 400 InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);
  const findings = Array.from({ length: 101 }, (_, i) => asffFinding({ Id: `finding-${i}` }));

  const error = await t.throwsAsync(aws.importFindings(findings));

  t.is(error?.name, 'InvalidInputException');
  t.like(error, { $metadata: { httpStatusCode: 400 } });
  t.deepEqual(aws.emulator.state.securityHub.findings(aws.scope), []);
});

test('100 findings in one call are accepted', async (t) => {
  const aws = await emulatedAws(t);

  const output = await aws.importFindings(Array.from({ length: 100 }, (_, i) => asffFinding({ Id: `finding-${i}` })));

  t.is(output.SuccessCount, 100);
});

test('a ProductArn of another account fails the whole request with 400 InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);
  const foreign = asffFinding({ Id: 'foreign', ProductArn: 'arn:aws:securityhub:us-east-1:210987654321:product/210987654321/default' });

  const error = await t.throwsAsync(aws.importFindings([asffFinding(), foreign]));

  t.is(error?.name, 'InvalidInputException');
  t.deepEqual(aws.emulator.state.securityHub.findings(aws.scope), []);
});

test('a finding without a Title is answered in FailedFindings while the others are imported', async (t) => {
  const aws = await emulatedAws(t);
  const untitled = { ...asffFinding({ Id: 'untitled' }), Title: undefined } as unknown as AwsSecurityFinding;

  const output = await aws.importFindings([asffFinding(), untitled]);

  t.like(output, { SuccessCount: 1, FailedCount: 1 });
  t.deepEqual(output.FailedFindings, [
    { Id: 'untitled', ErrorCode: 'InvalidInput', ErrorMessage: "Finding does not adhere to Amazon Finding Format. data should have required property 'Title'" },
  ]);
  t.is(aws.emulator.state.securityHub.findings(aws.scope).length, 1);
});

const invalidFindings: readonly (readonly [string, Partial<AwsSecurityFinding>, RegExp])[] = [
  ['a Title over 256 characters', { Title: 'x'.repeat(257) }, /Title should NOT be longer than 256/],
  ['a Description over 1024 characters', { Description: 'x'.repeat(1025) }, /Description should NOT be longer than 1024/],
  ['an Id over 512 characters', { Id: 'x'.repeat(513) }, /Id should NOT be longer than 512/],
  ['another SchemaVersion', { SchemaVersion: '2020-01-01' }, /SchemaVersion should be equal to '2018-10-08'/],
  ['no Resources', { Resources: [] }, /Resources should NOT have fewer than 1 items/],
  ['33 Resources', { Resources: Array.from({ length: 33 }, (_, i) => ({ Type: 'Other', Id: `r${i}` })) }, /Resources should NOT have more than 32 items/],
  ['a resource without a Type', { Resources: [{ Id: 'r' } as { Type: string; Id: string }] }, /Resources\[0\] should have required property 'Type'/],
  ['a type outside the ASFF namespaces', { Types: ['Lookout for Vision/Projects'] }, /Types\[0\] should match the format namespace\/category\/classifier/],
  ['51 types', { Types: Array.from({ length: 51 }, () => 'Effects') }, /Types should NOT have more than 50 items/],
  ['a ProductFields key under aws/', { ProductFields: { 'aws/securityhub/FindingId': 'mine' } }, /reserved prefix 'aws\/'/],
  ['a ProductFields key over 128 characters', { ProductFields: { ['k'.repeat(129)]: 'v' } }, /should NOT be longer than 128/],
  ['a ProductFields value over 2048 characters', { ProductFields: { rule: 'v'.repeat(2049) } }, /should NOT be longer than 2048/],
  [
    '51 ProductFields',
    { ProductFields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
    /ProductFields should NOT have more than 50 properties/,
  ],
  ['no severity anywhere', { FindingProviderFields: {}, Severity: undefined }, /required property 'FindingProviderFields'/],
  ['an UpdatedAt that is not a timestamp', { UpdatedAt: 'yesterday' }, /UpdatedAt should match format "date-time"/],
  ['an AwsAccountId other than the caller', { AwsAccountId: '210987654321' }, /is not the calling account/],
];

for (const [what, fields, message] of invalidFindings) {
  test(`a finding with ${what} is answered in FailedFindings`, async (t) => {
    const aws = await emulatedAws(t);

    const output = await aws.importFindings([asffFinding({ Id: 'bad', ...fields })]);

    t.is(output.FailedCount, 1);
    t.is(output.FailedFindings?.[0]?.ErrorCode, 'InvalidInput');
    t.regex(output.FailedFindings?.[0]?.ErrorMessage ?? '', message);
  });
}

test('a finding over 240 KB is answered in FailedFindings', async (t) => {
  const aws = await emulatedAws(t);
  // Remediation text has a field limit of its own that the emulator does not model; only the size matters here.
  const large = asffFinding({ Id: 'large', Remediation: { Recommendation: { Text: 'x'.repeat(240 * 1024) } } });

  const output = await aws.importFindings([large]);

  t.is(output.FailedCount, 1);
  t.regex(output.FailedFindings?.[0]?.ErrorMessage ?? '', /240 KB/);
});

test('a call over 6 MB fails the whole request with 400 InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);
  // 100 findings of about 63 KB each: every one within 240 KB, together over 6 MB.
  const findings = Array.from({ length: 100 }, (_, i) => asffFinding({ Id: `big-${i}`, Remediation: { Recommendation: { Text: 'x'.repeat(63 * 1024) } } }));

  const error = await t.throwsAsync(aws.importFindings(findings));

  t.like(error, { name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
  t.regex(error?.message ?? '', /6 MB/);
});

test('a later UpdatedAt replaces the stored finding', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ Title: 'first', UpdatedAt: '2026-01-01T00:00:00Z' })]);

  await aws.importFindings([asffFinding({ Title: 'second', UpdatedAt: '2026-01-02T00:00:00Z' })]);

  t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], { Title: 'second', UpdatedAt: '2026-01-02T00:00:00Z' });
});

for (const [relation, updatedAt] of [
  ['an equal', '2026-01-02T00:00:00Z'],
  ['an earlier', '2026-01-01T00:00:00Z'],
] as const) {
  test(`${relation} UpdatedAt is ignored silently and still counted as a success`, async (t) => {
    const aws = await emulatedAws(t);
    await aws.importFindings([asffFinding({ Title: 'stored', UpdatedAt: '2026-01-02T00:00:00Z' })]);

    const output = await aws.importFindings([asffFinding({ Title: 'ignored', UpdatedAt: updatedAt })]);

    t.like(output, { SuccessCount: 1, FailedCount: 0 });
    t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], { Title: 'stored' });
  });
}

test('an import keeps the reviewer fields of the stored finding: Workflow, Note, UserDefinedFields, VerificationState', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-01T00:00:00Z' })]);
  await aws.updateFindings({
    FindingIdentifiers: [{ Id: 'lfvaudit/lfv-test-rule/0001', ProductArn: aws.productArn }],
    Workflow: { Status: 'SUPPRESSED' },
    Note: { Text: 'accepted risk', UpdatedBy: 'reviewer' },
    UserDefinedFields: { ticket: 'SEC-1' },
    VerificationState: 'BENIGN_POSITIVE',
  });

  await aws.importFindings([
    asffFinding({
      UpdatedAt: '2026-01-02T00:00:00Z',
      Workflow: { Status: 'NEW' },
      Note: { Text: 'overwritten?', UpdatedBy: 'provider', UpdatedAt: '2026-01-02T00:00:00Z' },
      UserDefinedFields: { ticket: 'none' },
      VerificationState: 'UNKNOWN',
    }),
  ]);

  t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], {
    UpdatedAt: '2026-01-02T00:00:00Z',
    Workflow: { Status: 'SUPPRESSED' },
    Note: { Text: 'accepted risk', UpdatedBy: 'reviewer' },
    UserDefinedFields: { ticket: 'SEC-1' },
    VerificationState: 'BENIGN_POSITIVE',
  });
});

test('an import sets RecordState, ARCHIVED closing the finding', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-01T00:00:00Z' })]);

  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-02T00:00:00Z', RecordState: 'ARCHIVED' })]);

  t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], { RecordState: 'ARCHIVED' });
});

test('a RESOLVED finding goes back to NEW when an import makes it ACTIVE again', async (t) => {
  const aws = await emulatedAws(t);
  const identifier = { Id: 'lfvaudit/lfv-test-rule/0001', ProductArn: aws.productArn };
  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-01T00:00:00Z', RecordState: 'ARCHIVED' })]);
  await aws.updateFindings({ FindingIdentifiers: [identifier], Workflow: { Status: 'RESOLVED' } });

  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-02T00:00:00Z', RecordState: 'ACTIVE' })]);

  t.like(aws.emulator.state.securityHub.finding(aws.scope, identifier), { RecordState: 'ACTIVE', Workflow: { Status: 'NEW' } });
});

test('the provider severity in FindingProviderFields updates the top-level Severity', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-01T00:00:00Z' })]);

  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-02T00:00:00Z', FindingProviderFields: { Severity: { Label: 'LOW', Original: 'LOW' } } })]);

  t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], { Severity: { Label: 'LOW', Normalized: 1 } });
});

test('a top-level Severity alone is accepted and copied into FindingProviderFields', async (t) => {
  const aws = await emulatedAws(t);

  await aws.importFindings([asffFinding({ FindingProviderFields: undefined, Severity: { Label: 'MEDIUM' } })]);

  t.like(aws.emulator.state.securityHub.findings(aws.scope)[0], {
    Severity: { Label: 'MEDIUM', Normalized: 40 },
    FindingProviderFields: { Severity: { Label: 'MEDIUM' } },
  });
});

test('findings are kept per account and region', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding()]);

  t.is(aws.emulator.state.securityHub.findings({ ...aws.scope, region: 'eu-west-1' }).length, 0);
  t.is(aws.emulator.state.securityHub.findings(aws.scope).length, 1);
});
