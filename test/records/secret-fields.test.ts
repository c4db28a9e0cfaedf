import test from 'ava';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding } from '../../src/findings/asff-finding.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { isSecretFieldPath, REDACTED } from '../../src/records/secret-fields.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

test('fields whose path names a password, secret, token, credential, private or access key, API key, authorization, signature or cookie are secret, in any case', (t) => {
  for (const path of [
    'requestParameters.password',
    'requestParameters.dbPassword',
    'requestParameters.masterUserPasswd',
    'requestParameters.clientSecret',
    'additionalEventData.SessionToken',
    'responseElements.credentials.sessionToken',
    'responseElements.Credentials',
    'requestParameters.privateKey',
    'requestParameters.private_key',
    'requestParameters.secretAccessKey',
    'requestParameters.apiKey',
    'requestParameters.headers.Authorization',
    'requestParameters.signature',
    'requestParameters.Cookie',
  ]) {
    t.true(isSecretFieldPath(path), path);
  }
});

test('ordinary fields, and the access key id CloudTrail logs for every call, are not secret', (t) => {
  for (const path of [
    'principal',
    'project',
    'eventName',
    'sourceIPAddress',
    'userIdentity.accessKeyId',
    'userIdentity.sessionContext.attributes.mfaAuthenticated',
    'requestParameters.projectName',
    'requestParameters.kmsKeyId',
  ]) {
    t.false(isSecretFieldPath(path), path);
  }
});

test('a rule grouping by a secret request parameter shows it redacted: the value reaches no part of the finding, its Id included', (t) => {
  const rule = testRule({ groupBy: ['requestParameters.dbPassword', 'requestParameters.projectName'] });
  const builder = new FindingGroupBuilder();
  builder.add(rule, lfvRecord({ eventID: 'a', requestParameters: { projectName: 'P1', dbPassword: 'hunter2-MARKER' } }));
  builder.add(rule, lfvRecord({ eventID: 'b', requestParameters: { projectName: 'P1', dbPassword: 'correct-horse-MARKER' } }));
  const findings = builder.groups().map((group) => buildFinding(group, rule, { now: new Date('2025-10-02T00:00:00Z') }));
  // Redacted before grouping: the two secrets share one finding, whose Id no hash of either can reach.
  t.is(findings.length, 1);
  t.is(findings[0]?.ProductFields?.['lfvaudit/EventCount'], '2');
  for (const finding of findings) {
    t.deepEqual(validateAsffFinding(finding), []);
    t.deepEqual(JSON.parse(finding.ProductFields?.['lfvaudit/GroupKey'] ?? '{}'), {
      'requestParameters.dbPassword': REDACTED,
      'requestParameters.projectName': 'P1',
    });
    t.false(JSON.stringify(finding).includes('MARKER'));
  }
});
