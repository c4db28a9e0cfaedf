import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';

/**
 * A Lookout for Vision CloudTrail record: `arn:aws:sts::123456789012:assumed-role/Admin/MyUser`
 * calling CreateDataset on project P1 in us-east-1 from 198.51.100.7. Fields given replace the
 * defaults; a field given as `undefined` is removed.
 */
export function lfvRecord(fields: Readonly<Record<string, unknown>> = {}): CloudTrailRecord {
  const record: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEADMIN:MyUser',
      arn: 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser',
      accountId: '123456789012',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEADMIN',
          arn: 'arn:aws:iam::123456789012:role/Admin',
          accountId: '123456789012',
          userName: 'Admin',
        },
        attributes: { creationDate: '2025-10-01T08:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2025-10-01T09:00:00Z',
    eventSource: 'lookoutvision.amazonaws.com',
    eventName: 'CreateDataset',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { projectName: 'P1', datasetType: 'train' },
    responseElements: { status: 'CREATE_IN_PROGRESS' },
    eventID: 'event-0001',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete record[key];
    else Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return record;
}

/** An active rule as the evaluator hands it over, grouping by principal and project unless told otherwise. */
export function testRule(fields: Partial<ResolvedRule> = {}): ResolvedRule {
  return {
    id: 'lfv-test-rule',
    title: 'Lookout for Vision test rule',
    description: 'A rule made for tests.',
    severity: 'HIGH',
    types: ['Software and Configuration Checks/AWS Security Best Practices'],
    remediation: { text: 'Do the right thing.', url: 'https://docs.aws.amazon.com/lookout-for-vision/latest/developer-guide/security.html' },
    scope: { eventSource: ['lookoutvision.amazonaws.com'] },
    conditions: { all: [] },
    groupBy: ['principal', 'project'],
    params: {},
    tests: [],
    file: 'rules/lfv-test-rule.yaml',
    builtIn: false,
    active: true,
    ...fields,
  };
}
