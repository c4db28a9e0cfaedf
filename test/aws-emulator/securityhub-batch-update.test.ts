import test from 'ava';
import { asffFinding, emulatedAws } from './fixtures.js';

const ID = 'lfvaudit/lfv-test-rule/0001';

test('BatchUpdateFindings sets the workflow status and reports the finding as processed', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding()]);

  const output = await aws.updateFindings({ FindingIdentifiers: [{ Id: ID, ProductArn: aws.productArn }], Workflow: { Status: 'RESOLVED' } });

  t.deepEqual(output.ProcessedFindings, [{ Id: ID, ProductArn: aws.productArn }]);
  t.deepEqual(output.UnprocessedFindings, []);
  t.like(aws.emulator.state.securityHub.finding(aws.scope, { Id: ID, ProductArn: aws.productArn }), { Workflow: { Status: 'RESOLVED' } });
});

test('BatchUpdateFindings changes neither RecordState nor UpdatedAt', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-01T00:00:00Z' })]);

  await aws.updateFindings({ FindingIdentifiers: [{ Id: ID, ProductArn: aws.productArn }], Workflow: { Status: 'SUPPRESSED' } });

  t.like(aws.emulator.state.securityHub.finding(aws.scope, { Id: ID, ProductArn: aws.productArn }), {
    RecordState: 'ACTIVE',
    UpdatedAt: '2026-01-01T00:00:00Z',
  });
});

test('an unknown finding is answered in UnprocessedFindings as FindingNotFound', async (t) => {
  const aws = await emulatedAws(t);
  const missing = { Id: 'missing', ProductArn: aws.productArn };

  const output = await aws.updateFindings({ FindingIdentifiers: [missing], Workflow: { Status: 'NOTIFIED' } });

  t.deepEqual(output.ProcessedFindings, []);
  t.deepEqual(output.UnprocessedFindings, [{ FindingIdentifier: missing, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' }]);
});

test('a note gets the time of the update from the server clock', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding()]);

  await aws.updateFindings({ FindingIdentifiers: [{ Id: ID, ProductArn: aws.productArn }], Note: { Text: 'looked at it', UpdatedBy: 'reviewer' } });

  t.deepEqual(aws.emulator.state.securityHub.finding(aws.scope, { Id: ID, ProductArn: aws.productArn })?.Note, {
    Text: 'looked at it',
    UpdatedBy: 'reviewer',
    UpdatedAt: new Date(aws.clock.now()).toISOString(),
  });
});

test('a severity set by a reviewer survives later imports', async (t) => {
  const aws = await emulatedAws(t);
  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-01T00:00:00Z' })]);
  await aws.updateFindings({ FindingIdentifiers: [{ Id: ID, ProductArn: aws.productArn }], Severity: { Label: 'LOW' } });

  await aws.importFindings([asffFinding({ UpdatedAt: '2026-01-02T00:00:00Z', FindingProviderFields: { Severity: { Label: 'CRITICAL' } } })]);

  t.like(aws.emulator.state.securityHub.finding(aws.scope, { Id: ID, ProductArn: aws.productArn }), {
    Severity: { Label: 'LOW' },
    FindingProviderFields: { Severity: { Label: 'CRITICAL' } },
  });
});

test('a request with nothing to update fails with InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(aws.updateFindings({ FindingIdentifiers: [{ Id: ID, ProductArn: aws.productArn }] }));

  t.is(error?.name, 'InvalidInputException');
});

test('an unknown workflow status fails with InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(
    aws.updateFindings({ FindingIdentifiers: [{ Id: ID, ProductArn: aws.productArn }], Workflow: { Status: 'CLOSED' as 'NEW' } }),
  );

  t.is(error?.name, 'InvalidInputException');
});
