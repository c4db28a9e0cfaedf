import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import fc from 'fast-check';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { buildFinding } from '../../src/findings/asff-finding.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { findingGroupOf } from '../../src/merge/read.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { emulatorEnvironment, startAwsEmulator } from '../support/aws-emulator/index.js';
import { capturedIo } from '../support/captured-io.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';
import { tempFolder } from '../support/temp-folder.js';

// Secrets inside event text never reach a finding: whatever field of a record holds them (error
// messages, user agents, source addresses, project names and the ARNs built from them, identities,
// event names and sources, event ids) and in whatever form (`password=`, JSON pairs, presigned-URL
// parameters, Authorization headers, access key pairs, session tokens, URL passwords).

const NOW = new Date('2025-10-02T00:00:00Z');
const ALNUM = [...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789'];

/** A secret: a random run of letters and digits, long enough never to occur by chance in a finding. */
const secret = fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 16, maxLength: 32 }).map((text) => `Zq${text}`);
/** An AWS secret access key: exactly 40 characters of base64. */
const secretAccessKey = fc.string({ unit: fc.constantFrom(...ALNUM, '/', '+'), minLength: 38, maxLength: 38 }).map((text) => `Zq${text}`);

/** Where a secret stands in text, as event data carries them. */
const FORMS: readonly ((secret: string) => string)[] = [
  (s) => `password=${s}`,
  (s) => `db_passwd = ${s}`,
  (s) => `{"clientSecret":"${s}","user":"bob"}`,
  (s) => `{'api_key': '${s}'}`,
  (s) => `x-api-key: ${s}`,
  (s) => `refresh_token=${s}&scope=all`,
  (s) => `uploads/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${s}%2F20251001%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host`,
  (s) => `uploads/a.jpg?X-Amz-Date=20251001T000000Z&X-Amz-Signature=${s}`,
  (s) => `uploads/a.jpg?X-Amz-Security-Token=${s}&X-Amz-Expires=60`,
  (s) => `photo.png?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=${s}`,
  (s) => `Authorization: Bearer ${s}`,
  (s) => `authorization=Basic ${s}`,
  (s) => `Authorization: AWS4-HMAC-SHA256 Credential=${s}/20251001/us-east-1/lookoutvision/aws4_request, SignedHeaders=host, Signature=0a1b`,
  (s) => `called with Bearer ${s} from a script`,
  (s) => `IQoJb3JpZ2luX2VjE${s}`,
  (s) => `FwoGZXIvYXdzE${s}`,
  (s) => `jdbc:postgresql://admin:${s}@db.internal:5432/lfv`,
];

/** A secret access key after its key id, the one form that needs a 40-character secret. */
const accessKeyPair = (key: string): string => `AKIAIOSFODNN7EXAMPLE:${key}`;

/** Text around the secret, as the field would hold it anyway. */
const around = fc.constantFrom<readonly [string, string]>(
  ['', ''],
  ['Login failed: ', ''],
  ['aws-cli/2.15.0 ', ' Python/3.11'],
  ['s3://bucket/', '/x'],
  ['', ' (retrying)'],
  ['arn:aws:iam::123456789012:user/', ''],
);

/** Every record field whose text reaches a finding, and how to put text there. */
const FIELDS: readonly (readonly [string, (record: Record<string, unknown>, text: string) => void])[] = [
  ['errorMessage', (record, text) => (record['errorMessage'] = text)],
  ['errorCode', (record, text) => (record['errorCode'] = text)],
  ['userAgent', (record, text) => (record['userAgent'] = text)],
  ['sourceIPAddress', (record, text) => (record['sourceIPAddress'] = text)],
  ['eventName', (record, text) => (record['eventName'] = text)],
  ['eventSource', (record, text) => (record['eventSource'] = text)],
  ['eventID', (record, text) => (record['eventID'] = text)],
  ['requestParameters.projectName', (record, text) => (record['requestParameters'] = { projectName: text, modelVersion: '1' })],
  ['requestParameters.modelVersion', (record, text) => (record['requestParameters'] = { projectName: 'P1', modelVersion: text })],
  ['requestParameters.bucket', (record, text) => (record['requestParameters'] = { projectName: 'P1', bucket: text })],
  [
    'userIdentity.arn',
    (record, text) => (record['userIdentity'] = { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${text}`, accountId: '123456789012' }),
  ],
  ['userIdentity.invokedBy', (record, text) => (record['userIdentity'] = { type: 'AWSService', invokedBy: text })],
  ['userIdentity.principalId', (record, text) => (record['userIdentity'] = { type: 'IAMUser', principalId: text, accountId: '123456789012' })],
  [
    'userIdentity.userName',
    (record, text) => (record['userIdentity'] = { type: 'IAMUser', userName: text, principalId: 'AIDAEXAMPLE', accountId: '123456789012' }),
  ],
  [
    'userIdentity.sessionContext.sessionIssuer.arn',
    (record, text) =>
      (record['userIdentity'] = {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser',
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::123456789012:role/${text}` } },
      }),
  ],
  [
    'resources.0.ARN',
    (record, text) => (record['resources'] = [{ ARN: `arn:aws:lookoutvision:us-east-1:123456789012:project/${text}`, type: 'AWS::LookoutVision::Project' }]),
  ],
  ['additionalEventData.note', (record, text) => (record['additionalEventData'] = { note: text })],
];

/** Rules that group by every field a group key may read, each matching every record (grouping needs no verdict). */
const RULES: readonly ResolvedRule[] = [
  ['principal', 'project'],
  ['errorMessage'],
  ['errorCode'],
  ['userAgent'],
  ['sourceIPAddress'],
  ['eventName'],
  ['eventID'],
  ['requestParameters.bucket'],
  ['requestParameters.modelVersion'],
  ['userIdentity.userName'],
  ['userIdentity.principalId'],
  ['resources.0.ARN'],
  ['additionalEventData.note'],
].map((groupBy, index) => testRule({ id: `groups-${index}`, groupBy }));

/** The findings of these records under every rule, as a run builds them. */
function findingsOf(records: readonly CloudTrailRecord[]): AwsSecurityFinding[] {
  const builder = new FindingGroupBuilder();
  for (const record of records) for (const rule of RULES) builder.add(rule, record);
  const rulesById = new Map(RULES.map((rule) => [rule.id, rule]));
  return builder.lazyGroups().flatMap((group) => {
    const rule = rulesById.get(group.key.ruleId);
    if (rule === undefined) return [];
    return [buildFinding(group.snapshot(), rule, { now: NOW })];
  });
}

const placedSecret = fc.record({
  field: fc.nat({ max: FIELDS.length - 1 }),
  form: fc.nat({ max: FORMS.length }),
  secret,
  key: secretAccessKey,
  around,
});

test('property: a secret in any field that reaches a finding, in any form, appears in no finding', (t) => {
  let findingsChecked = 0;
  fc.assert(
    fc.property(fc.array(fc.array(placedSecret, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (placements) => {
      const secrets: string[] = [];
      const records = placements.map((placed, index) => {
        const record = lfvRecord({ eventID: `event-${index}` }) as Record<string, unknown>;
        for (const {
          field,
          form,
          secret: value,
          key,
          around: [before, after],
        } of placed) {
          const hidden = form === FORMS.length ? key : value;
          secrets.push(hidden);
          const text = form === FORMS.length ? accessKeyPair(key) : (FORMS[form] ?? FORMS[0]!)(value);
          FIELDS[field]?.[1](record, `${before}${text}${after}`);
        }
        return record;
      });
      const findings = findingsOf(records);
      findingsChecked += findings.length;
      const text = JSON.stringify(findings);
      const leaked = secrets.filter((value) => text.includes(value));
      if (leaked.length > 0) throw new Error(`leaked ${leaked.join(', ')} from ${JSON.stringify(records).slice(0, 2000)}`);
      for (const finding of findings)
        if (validateAsffFinding(finding).length > 0) throw new Error(`invalid finding ${JSON.stringify(validateAsffFinding(finding))}`);
      return true;
    }),
    { seed: 20251125, numRuns: 300 },
  );
  t.log(`${findingsChecked} findings checked`);
  t.true(findingsChecked > 0);
});

test('every field and every form, one at a time: no secret in any finding', (t) => {
  for (const [name, put] of FIELDS) {
    for (const [index, form] of [...FORMS, (value: string) => accessKeyPair(`${value}${'k'.repeat(40)}`.slice(0, 40))].entries()) {
      const value = `Zq${name.replace(/\W/g, '')}${index}secretvalue`.slice(0, 40).padEnd(40, 'x');
      const record = lfvRecord() as Record<string, unknown>;
      put(record, form(value));
      const text = JSON.stringify(findingsOf([record]));
      t.false(text.includes(value), `${name}, form ${index}: ${form(value)}`);
    }
  }
});

test('values that redact alike share one group and one finding: the group key is redacted before it is hashed into the Id', (t) => {
  const records = ['hunter2', 'correct-horse'].map((password, index) =>
    lfvRecord({ eventID: `e-${index}`, errorMessage: `Login failed: password=${password}` }),
  );
  const rule = testRule({ id: 'by-error', groupBy: ['errorMessage'] });
  const builder = new FindingGroupBuilder({ distinctRecords: true });
  for (const record of records) builder.add(rule, record);
  const groups = builder.groups();
  t.is(groups.length, 1);
  t.is(groups[0]?.eventCount, 2);
  t.deepEqual(groups[0]?.parts, [{ name: 'errorMessage', value: 'Login failed: password=[redacted]' }]);
});

test('a stored finding whose lists hold a secret (written before its pattern existed) does not carry it into the merged finding', (t) => {
  const rule = testRule({ id: 'lfv-test-rule' });
  const [stored] = findingsOf([lfvRecord()]).filter((finding) => finding.ProductFields?.['lfvaudit/RuleId'] === 'groups-0');
  if (stored === undefined) throw new Error('no finding');
  const fields = {
    ...stored.ProductFields,
    'lfvaudit/RuleId': 'lfv-test-rule',
    'lfvaudit/UserAgents': JSON.stringify(['curl/8 password=ZqStoredSecretValue1']),
    'lfvaudit/Principals': JSON.stringify(['arn:aws:iam::123456789012:user/token=ZqStoredSecretValue2']),
  };
  const group = findingGroupOf({ ...stored, ProductFields: fields });
  if (group === undefined) throw new Error('not read back');
  const text = JSON.stringify(buildFinding(group, rule, { now: NOW }));
  t.false(text.includes('ZqStoredSecretValue1'));
  t.false(text.includes('ZqStoredSecretValue2'));
});

/** A custom rule grouping by the error message of failed calls, as a rule author may well write. */
const FAILED_CALLS_BY_MESSAGE = `id: failed-calls-by-message
title: Failed Lookout for Vision call
description: A Lookout for Vision call failed.
severity: LOW
types: [Software and Configuration Checks/AWS Security Best Practices]
remediation: { text: Look at why the call failed. }
scope: { eventSource: [lookoutvision.amazonaws.com] }
groupBy: [principal, errorMessage, requestParameters.outputConfig.s3Location.prefix]
conditions:
  all:
    - { fact: errorCode, operator: exists, value: true }
tests:
  - { name: a failed call, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateDataset, errorCode: AccessDenied } }
  - { name: a call that succeeded, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateDataset } }
`;

test.serial(
  'through main(): the findings file, stdout and Security Hub hold none of the secrets in error messages, user agents, S3 keys and identities',
  async (t) => {
    const dir = tempFolder(t, 'secrets-in-findings');
    await writeFile(path.join(dir, 'package.json'), '{}');
    await mkdir(path.join(dir, 'rules'));
    await writeFile(path.join(dir, 'rules', 'failed-calls-by-message.yaml'), FAILED_CALLS_BY_MESSAGE);
    await writeFile(
      path.join(dir, '.lfvauditrc.yaml'),
      'rules:\n  paths: [rules]\nparams:\n  mfaRequiredActions: [CreateDataset, StartModelPackagingJob]\n  allowedSourceCidrs: [10.0.0.0/8]\nsecurityHub:\n  settleSeconds: 0.05\n',
    );
    const secrets = ['ZqErrorMessagePassword1', 'ZqUserAgentPassword2', 'ZqPresignedSignature3', 'ZqPresignedCredential4', 'ZqBearerToken5', 'ZqProjectToken6'];
    const [inError, inAgent, signature, credential, bearer, inProject] = secrets;
    const records = [
      lfvRecord({
        eventID: 'failed-login',
        errorCode: 'ValidationException',
        errorMessage: `Login failed for bob: password=${inError ?? ''}`,
        userAgent: `custom-uploader/1.0 password=${inAgent ?? ''}`,
      }),
      lfvRecord({
        eventID: 'packaging',
        eventName: 'StartModelPackagingJob',
        errorCode: 'AccessDenied',
        errorMessage: `Authorization: Bearer ${bearer ?? ''} was refused`,
        requestParameters: {
          projectName: `P1 token=${inProject ?? ''}`,
          outputConfig: {
            s3Location: {
              bucket: 'packages',
              prefix: `out/model.tar.gz?X-Amz-Credential=${credential ?? ''}%2F20251001%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=${signature ?? ''}`,
            },
          },
        },
      }),
    ];
    await mkdir(path.join(dir, 'logs'));
    await writeFile(path.join(dir, 'logs', 'trail.json'), JSON.stringify({ Records: records }));

    const emulator = await startAwsEmulator();
    t.teardown(() => emulator.close());
    const saved = { ...process.env };
    Object.assign(process.env, emulatorEnvironment(emulator));
    try {
      const io = capturedIo(dir);
      const status = await main(
        [
          'run',
          '--source',
          `file:${path.join(dir, 'logs')}`,
          '--sink',
          'securityhub',
          '--sink',
          `file:${path.join(dir, 'findings.json')}`,
          '--sink',
          'stdout',
          '--format',
          'json',
        ],
        io,
      );
      t.is(status, 0, io.err());
      const stored = JSON.stringify(emulator.state.securityHub.findings({ accountId: '123456789012', region: 'us-east-1' }));
      const written = await readFile(path.join(dir, 'findings.json'), 'utf8');
      t.true(stored.includes('failed-calls-by-message') && stored.includes('[redacted]'), stored.slice(0, 500));
      for (const [label, text] of [
        ['Security Hub', stored],
        ['findings.json', written],
        ['stdout', io.out()],
        ['stderr', io.err()],
      ] as const) {
        for (const value of secrets) t.false(text.includes(value), `${label} holds ${value}`);
      }
    } finally {
      process.env = saved;
    }
  },
);
