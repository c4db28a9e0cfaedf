import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import { diffFindings } from '../../src/merge/diff.js';
import { simulateRun, lfvEvents } from '../support/finding-runs.js';
import { testRule } from '../support/lfv-record.js';

const [finding] = simulateRun(lfvEvents(4, new Date('2025-10-01T09:00:00Z'), 60_000), {
  rules: [testRule({ groupBy: [] })],
  now: new Date('2025-10-02T00:00:00Z'),
});
const base = finding as AwsSecurityFinding;

/** The finding as Security Hub returns it: fields it fills in, a reviewer's workflow, a later UpdatedAt. */
function asStored(stored: AwsSecurityFinding): AwsSecurityFinding {
  return {
    ...stored,
    Region: 'eu-west-1',
    ProductName: 'Default',
    CompanyName: 'Personal',
    ProcessedAt: '2025-10-02T00:00:01.000Z',
    UpdatedAt: '2025-10-02T00:00:00.000Z',
    Workflow: { Status: 'NOTIFIED' },
    Severity: { Label: 'HIGH', Normalized: 70 },
    ProductFields: { ...stored.ProductFields, 'aws/securityhub/FindingId': 'x', 'aws/securityhub/ProductName': 'Default' },
  };
}

test('a finding Security Hub does not hold would be created', (t) => {
  const diff = diffFindings([], [base]);

  t.is(diff.create.length, 1);
  t.like(diff.create[0], { id: base.Id, ruleId: 'lfv-test-rule', eventCount: { after: 4 }, severity: { after: 'HIGH' }, changedFields: [] });
});

test('what Security Hub, reviewers and time change is not a change', (t) => {
  const diff = diffFindings([asStored(base)], [{ ...base, UpdatedAt: '2025-10-03T00:00:00.000Z', Workflow: { Status: 'NEW' } }]);

  t.is(diff.unchanged.length, 1);
  t.is(diff.update.length, 0);
});

test('the same instant written differently is the same time', (t) => {
  const diff = diffFindings([{ ...base, LastObservedAt: '2025-10-01T09:03:00Z' }], [{ ...base, LastObservedAt: '2025-10-01T09:03:00.000Z' }]);

  t.is(diff.unchanged.length, 1);
});

test('an update says what changes: event count, last seen, severity and which fields', (t) => {
  const after: AwsSecurityFinding = {
    ...base,
    LastObservedAt: '2025-10-01T10:00:00.000Z',
    FindingProviderFields: { ...base.FindingProviderFields, Severity: { Label: 'CRITICAL' } },
    ProductFields: { ...base.ProductFields, 'lfvaudit/EventCount': '6' },
  };

  const diff = diffFindings([base], [after]);

  t.like(diff.update[0], {
    eventCount: { before: 4, after: 6 },
    lastSeen: { before: base.LastObservedAt, after: '2025-10-01T10:00:00.000Z' },
    severity: { before: 'HIGH', after: 'CRITICAL' },
    changedFields: ['LastObservedAt', 'Severity', 'lfvaudit/EventCount'],
  });
});

test('a change of coverage alone is one changed field, not one per ProductFields pair', (t) => {
  const after = {
    ...base,
    ProductFields: { ...base.ProductFields, 'lfvaudit/Coverage/1': '2025100109/CreateDataset=9', 'lfvaudit/Coverage/2': '2025100110/CreateDataset=1' },
  };

  t.deepEqual(diffFindings([base], [after]).update[0]?.changedFields, ['lfvaudit/Coverage']);
});

test('an import that only archives an active finding is an archive', (t) => {
  const diff = diffFindings([base], [{ ...base, RecordState: 'ARCHIVED', UpdatedAt: '2025-10-09T00:00:00.000Z' }]);

  t.is(diff.archive.length, 1);
  t.like(diff.archive[0], { recordState: { before: 'ACTIVE', after: 'ARCHIVED' } });
});

test('stored findings the merged ones do not mention are not part of the diff', (t) => {
  const other = { ...base, Id: 'lfvaudit/lfv-test-rule/123456789012/us-east-1/00000000000000000000000000000000' };

  const diff = diffFindings([other, base], [base]);

  t.deepEqual([diff.create.length, diff.update.length, diff.unchanged.length, diff.archive.length], [0, 0, 1, 0]);
});
