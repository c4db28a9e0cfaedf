import test from 'ava';
import { callerResourceOf, lookoutVisionResources, partitionOf } from '../../src/grouping/record-resources.js';
import { lfvRecord } from '../support/lfv-record.js';

test('a record naming a project yields the project ARN', (t) => {
  t.deepEqual(lookoutVisionResources(lfvRecord()), ['arn:aws:lookoutvision:us-east-1:123456789012:project/P1']);
});

test('a record naming a project and a model version yields both ARNs', (t) => {
  const record = lfvRecord({ eventName: 'DetectAnomalies', requestParameters: { projectName: 'P1', modelVersion: '3' } });
  t.deepEqual(lookoutVisionResources(record), [
    'arn:aws:lookoutvision:us-east-1:123456789012:project/P1',
    'arn:aws:lookoutvision:us-east-1:123456789012:model/P1/3',
  ]);
});

test('ARNs in a resources array are used too, without duplicates', (t) => {
  const record = lfvRecord({
    resources: [
      { ARN: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1', accountId: '123456789012' },
      { ARN: 'arn:aws:lookoutvision:us-east-1:123456789012:model/P1/2' },
      { accountId: '123456789012' },
      'not an object',
    ],
  });
  t.deepEqual(lookoutVisionResources(record), [
    'arn:aws:lookoutvision:us-east-1:123456789012:project/P1',
    'arn:aws:lookoutvision:us-east-1:123456789012:model/P1/2',
  ]);
});

test('null or string requestParameters name no resource', (t) => {
  t.deepEqual(lookoutVisionResources(lfvRecord({ requestParameters: null })), []);
  t.deepEqual(lookoutVisionResources(lfvRecord({ requestParameters: '{"projectName":"P1"}' })), []);
  t.deepEqual(lookoutVisionResources(lfvRecord({ requestParameters: ['P1'] })), []);
});

test('a project name that is not a string names no resource', (t) => {
  t.deepEqual(lookoutVisionResources(lfvRecord({ requestParameters: { projectName: { name: 'P1' } } })), []);
});

test('a project named __proto__ is an ordinary name and pollutes nothing', (t) => {
  const record = JSON.parse(
    '{"awsRegion":"us-east-1","recipientAccountId":"123456789012","requestParameters":{"projectName":"__proto__","modelVersion":"constructor"}}',
  ) as Record<string, unknown>;
  t.deepEqual(lookoutVisionResources(record), [
    'arn:aws:lookoutvision:us-east-1:123456789012:project/__proto__',
    'arn:aws:lookoutvision:us-east-1:123456789012:model/__proto__/constructor',
  ]);
  t.is(({} as Record<string, unknown>)['projectName'], undefined);
});

test('an inherited projectName is not read', (t) => {
  const parameters = JSON.parse('{"__proto__": {"projectName": "Hidden"}}') as Record<string, unknown>;
  t.deepEqual(lookoutVisionResources(lfvRecord({ requestParameters: parameters })), []);
});

test('ARNs in China and GovCloud regions use their partition', (t) => {
  t.deepEqual(lookoutVisionResources(lfvRecord({ awsRegion: 'cn-north-1' })), ['arn:aws-cn:lookoutvision:cn-north-1:123456789012:project/P1']);
  t.is(partitionOf('us-gov-west-1'), 'aws-us-gov');
  t.is(partitionOf('eu-central-1'), 'aws');
});

test('an assumed role caller is the role, with the path its session issuer gives', (t) => {
  const record = lfvRecord({
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/Inspector/camera',
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/service-role/Inspector' } },
    },
  });
  t.deepEqual(callerResourceOf(record), { type: 'AwsIamRole', id: 'arn:aws:iam::123456789012:role/service-role/Inspector' });
});

test('an assumed role without a session issuer is rebuilt as the role ARN', (t) => {
  const record = lfvRecord({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser' } });
  t.deepEqual(callerResourceOf(record), { type: 'AwsIamRole', id: 'arn:aws:iam::123456789012:role/Admin' });
});

test('an IAM user caller is an AwsIamUser', (t) => {
  const record = lfvRecord({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' } });
  t.deepEqual(callerResourceOf(record), { type: 'AwsIamUser', id: 'arn:aws:iam::123456789012:user/alice' });
});

test('root, services and other callers are Other resources', (t) => {
  t.deepEqual(callerResourceOf(lfvRecord({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } })), {
    type: 'Other',
    id: 'arn:aws:iam::123456789012:root',
  });
  t.deepEqual(callerResourceOf(lfvRecord({ userIdentity: { type: 'AWSService', invokedBy: 'lookoutvision.amazonaws.com' } })), {
    type: 'Other',
    id: 'lookoutvision.amazonaws.com',
  });
});

test('a record that does not say who called has no caller resource', (t) => {
  t.is(callerResourceOf(lfvRecord({ userIdentity: null })), undefined);
});
