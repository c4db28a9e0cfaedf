import test from 'ava';
import { principalOf, principalShortName } from '../../src/records/principal.js';
import { lfvRecord } from '../support/lfv-record.js';

test('the principal is the caller’s ARN when the record has one', (t) => {
  t.is(principalOf(lfvRecord()), 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser');
});

test('an AWS service caller is named by the host that invoked the call', (t) => {
  const record = lfvRecord({ userIdentity: { type: 'AWSService', invokedBy: 'lookoutvision.amazonaws.com' } });
  t.is(principalOf(record), 'lookoutvision.amazonaws.com');
});

test('a service event without an identity type is still named by its invoking host', (t) => {
  t.is(principalOf(lfvRecord({ userIdentity: { invokedBy: 'cloudtrail.amazonaws.com' } })), 'cloudtrail.amazonaws.com');
});

test('a caller without an ARN is its type and principal id', (t) => {
  const record = lfvRecord({ userIdentity: { type: 'AWSAccount', principalId: 'AIDAOTHER', accountId: '210987654321' } });
  t.is(principalOf(record), 'AWSAccount:AIDAOTHER');
});

test('a caller with only an account id is that account', (t) => {
  t.is(principalOf(lfvRecord({ userIdentity: { accountId: '210987654321' } })), '210987654321');
});

test('a record that does not say who called has the principal unknown', (t) => {
  t.is(principalOf(lfvRecord({ userIdentity: undefined })), 'unknown');
  t.is(principalOf(lfvRecord({ userIdentity: 'Admin' })), 'unknown');
  t.is(principalOf(lfvRecord({ userIdentity: { arn: '', type: '' } })), 'unknown');
});

test('an inherited arn is never read as the caller', (t) => {
  const identity = JSON.parse('{"__proto__": {"arn": "arn:aws:iam::999999999999:root"}, "type": "Unknown"}') as Record<string, unknown>;
  t.is(principalOf(lfvRecord({ userIdentity: identity })), 'unknown');
});

test('the short name of an ARN is its resource part', (t) => {
  t.is(principalShortName('arn:aws:sts::123456789012:assumed-role/Admin/MyUser'), 'assumed-role/Admin/MyUser');
  t.is(principalShortName('arn:aws:iam::123456789012:user/alice'), 'user/alice');
  t.is(principalShortName('arn:aws:iam::123456789012:root'), 'root');
});

test('a principal that is not an ARN is already short', (t) => {
  t.is(principalShortName('lookoutvision.amazonaws.com'), 'lookoutvision.amazonaws.com');
  t.is(principalShortName('AWSAccount:AIDAOTHER'), 'AWSAccount:AIDAOTHER');
});
