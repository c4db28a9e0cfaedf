import {
  ACCOUNT_ID,
  APPROVED_BUCKETS,
  CORPORATE_RANGES,
  LFV_EVENT_SOURCE,
  MODEL_VERSIONS,
  OLD_MODEL_VERSIONS,
  OTHER_BUCKETS,
  OUTSIDE_ADDRESSES,
  PARTNER_ACCOUNT_ID,
  REGIONS,
  operationNames,
} from './lfv-vocabulary.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Families of realistic rules in the YAML rule format (docs/rules.md). Each template draws its variant's
 * operations, lists and parameter defaults from a SeededRandom, and writes the match and no-match test events
 * that go with exactly those values, so every generated rule carries tests that hold.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Condition = { [key: string]: Json };

export interface GeneratedRuleTest {
  readonly name: string;
  readonly expect: 'match' | 'no-match';
  readonly event: { [key: string]: Json };
}

/** A rule as it is written to YAML: keys in the order docs/rules.md shows them. */
export interface GeneratedRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  readonly types: readonly string[];
  readonly remediation: { readonly text: string; readonly url?: string };
  readonly scope: { readonly eventSource: readonly string[]; readonly eventName?: readonly string[] };
  readonly params?: { readonly [name: string]: { readonly type: string; readonly description: string; readonly default: Json } };
  readonly groupBy?: readonly string[];
  readonly conditions: Condition;
  readonly tests: readonly GeneratedRuleTest[];
}

export interface RuleTemplate {
  /** Part of the generated ids: `bench-<name>-<number>`. */
  readonly name: string;
  /** `tag` is unique per generated rule (its number), for parameter names that must not collide across rules. */
  build(random: SeededRandom, id: string, tag: string): GeneratedRule;
}

const WRITE_OPERATIONS = operationNames(['write', 'destructive']);
const DESTRUCTIVE_OPERATIONS = operationNames(['destructive']);
const ALL_OPERATIONS = operationNames(['inference', 'read', 'write', 'destructive']);
const GROUPINGS: readonly (readonly string[] | undefined)[] = [
  undefined,
  ['principal'],
  ['principal', 'sourceIPAddress'],
  ['account', 'region'],
  ['principal', 'eventName'],
];
const BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';

function fact(path: string, operator: string, value: Json): Condition {
  return { fact: path, operator, value };
}

function lfvEvent(eventName: string, fields: { [key: string]: Json }): { [key: string]: Json } {
  return { eventSource: LFV_EVENT_SOURCE, eventName, awsRegion: 'us-east-1', recipientAccountId: ACCOUNT_ID, ...fields };
}

function assumedRole(role: string, session: string, mfa: 'true' | 'false' = 'false'): { [key: string]: Json } {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT_ID,
    sessionContext: { attributes: { mfaAuthenticated: mfa } },
  };
}

/** Some variants narrow the rule to a few operations (the index key), others look at every Lookout for Vision call. */
function maybeOperations(random: SeededRandom, from: readonly string[]): string[] | undefined {
  return random.chance(0.5) ? random.sample(from, random.between(2, 5)) : undefined;
}

function scopeOf(operations: readonly string[] | undefined): GeneratedRule['scope'] {
  return operations === undefined ? { eventSource: [LFV_EVENT_SOURCE] } : { eventSource: [LFV_EVENT_SOURCE], eventName: operations };
}

function groupingOf(random: SeededRandom): Pick<GeneratedRule, 'groupBy'> {
  const groupBy = random.pick(GROUPINGS);
  return groupBy === undefined ? {} : { groupBy };
}

function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  {
    name: 'privileged-caller',
    build(random, id) {
      const operations = random.sample(WRITE_OPERATIONS, random.between(2, 4));
      const callerTypes = random.pick([['Root'], ['Root', 'IAMUser'], ['IAMUser']]);
      const operation = operations[0] ?? 'CreateModel';
      return {
        id,
        title: `Lookout for Vision ${listText(operations)} called by ${listText(callerTypes)}`,
        description: `A ${listText(callerTypes)} identity changed Lookout for Vision resources; changes are expected to come from roles assumed through the identity provider.`,
        severity: callerTypes.includes('Root') ? 'HIGH' : 'MEDIUM',
        types: [`${BEST_PRACTICES}/Least Privilege`],
        remediation: { text: 'Make the change through a role assumed via the identity provider and remove the caller’s direct permissions.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: { all: [fact('userIdentity.type', 'in', callerTypes)] },
        tests: [
          {
            name: `${operation} by ${callerTypes[0] ?? 'Root'}`,
            expect: 'match',
            event: lfvEvent(operation, { userIdentity: { type: callerTypes[0] ?? 'Root', accountId: ACCOUNT_ID } }),
          },
          { name: `${operation} through an assumed role`, expect: 'no-match', event: lfvEvent(operation, { userIdentity: assumedRole('MLOps', 'carol') }) },
        ],
      };
    },
  },
  {
    name: 'network-allowlist',
    build(random, id, tag) {
      // the factory networks (10.0.0.0/8 and their NAT range) are always allowed; offices differ
      const factories = CORPORATE_RANGES.filter((range) => range.cidr === '10.0.0.0/8' || range.cidr === '203.0.113.0/24');
      const ranges = [
        ...factories,
        ...random.sample(
          CORPORATE_RANGES.filter((range) => !factories.includes(range)),
          random.between(1, 2),
        ),
      ];
      const param = `allowedCidrs${tag}`;
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'DescribeProject';
      const outside = random.pick(OUTSIDE_ADDRESSES);
      return {
        id,
        title: `Lookout for Vision call from outside ${listText(ranges.map((range) => range.cidr))}`,
        description: 'A Lookout for Vision operation was called from an IP address outside the approved networks of this site.',
        severity: 'MEDIUM',
        types: ['Unusual Behaviors/IP address/Call From Unapproved Network'],
        remediation: { text: 'Confirm the caller; deny calls from other networks with an aws:SourceIp condition.' },
        scope: scopeOf(operations),
        params: { [param]: { type: 'cidr[]', description: 'Networks the calls may come from.', default: ranges.map((range) => range.cidr) } },
        ...groupingOf(random),
        conditions: { all: [fact('sourceIPAddress', 'isIpAddress', true), fact('sourceIPAddress', 'notInCidr', { param })] },
        tests: [
          { name: `${operation} from ${outside}`, expect: 'match', event: lfvEvent(operation, { sourceIPAddress: outside }) },
          {
            name: `${operation} from inside ${ranges[0]?.cidr ?? ''}`,
            expect: 'no-match',
            event: lfvEvent(operation, { sourceIPAddress: ranges[0]?.inside ?? '10.1.1.1' }),
          },
          { name: `${operation} made by AWS internally`, expect: 'no-match', event: lfvEvent(operation, { sourceIPAddress: 'AWS Internal' }) },
        ],
      };
    },
  },
  {
    name: 'destructive-off-network',
    build(random, id) {
      const ranges = random.sample(CORPORATE_RANGES, random.between(1, 3));
      const operations = random.sample(DESTRUCTIVE_OPERATIONS, random.between(2, 3));
      const operation = operations[0] ?? 'DeleteModel';
      return {
        id,
        title: `${listText(operations)} from outside the corporate network`,
        description: 'A Lookout for Vision resource was deleted from an address outside the corporate network ranges.',
        severity: 'HIGH',
        types: ['TTPs/Impact/Data Destruction'],
        remediation: { text: 'Verify the deletion with its owner; restrict delete operations to the corporate network.' },
        scope: { eventSource: [LFV_EVENT_SOURCE] },
        ...groupingOf(random),
        conditions: {
          all: [
            fact('eventName', 'in', operations),
            {
              not: fact(
                'sourceIPAddress',
                'inCidr',
                ranges.map((range) => range.cidr),
              ),
            },
          ],
        },
        tests: [
          { name: `${operation} from a public address`, expect: 'match', event: lfvEvent(operation, { sourceIPAddress: random.pick(OUTSIDE_ADDRESSES) }) },
          {
            name: `${operation} from the corporate network`,
            expect: 'no-match',
            event: lfvEvent(operation, { sourceIPAddress: ranges[0]?.inside ?? '10.1.1.1' }),
          },
        ],
      };
    },
  },
  {
    name: 'legacy-sdk',
    build(random, id) {
      const variant = random.pick([
        { pattern: '^aws-sdk-java/1\\.', example: 'aws-sdk-java/1.11.60 Windows_7/6.1 Java_HotSpot(TM)_Client_VM/25.45-b02/1.8.0_45' },
        { pattern: 'Java_HotSpot\\(TM\\)_Client_VM', example: 'aws-sdk-java/1.11.60 Windows_7/6.1 Java_HotSpot(TM)_Client_VM/25.45-b02/1.8.0_45' },
        { pattern: '^Boto3/1\\.(1[0-9]|2[0-8])\\.', example: 'Boto3/1.28.62 Python/3.10.12 Linux/5.15.0-1034-nvidia Botocore/1.31.62' },
      ]);
      const operations = random.chance(0.5) ? ['DetectAnomalies'] : undefined;
      const operation = operations?.[0] ?? 'DescribeModel';
      return {
        id,
        title: `Lookout for Vision called by an outdated SDK (${variant.pattern})`,
        description: 'The caller’s user agent names an SDK release that is out of support; such clients miss security fixes and modern TLS defaults.',
        severity: 'LOW',
        types: [`${BEST_PRACTICES}/Outdated Client`],
        remediation: { text: 'Upgrade the SDK on the device or pipeline that made the call.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: { any: [fact('userAgent', 'matches', variant.pattern), fact('userAgent', 'startsWith', ['aws-cli/1.', 'aws-sdk-go/1.'])] },
        tests: [
          { name: 'a call from the old SDK', expect: 'match', event: lfvEvent(operation, { userAgent: variant.example }) },
          { name: 'a call from the AWS CLI v1', expect: 'match', event: lfvEvent(operation, { userAgent: 'aws-cli/1.29.62 Python/3.8.10 Linux/5.4.0' }) },
          {
            name: 'a call from a current SDK',
            expect: 'no-match',
            event: lfvEvent(operation, { userAgent: 'aws-sdk-java/2.20.43 Linux/5.10.186 OpenJDK_64-Bit_Server_VM/17.0.6+10-LTS Java/17.0.6' }),
          },
        ],
      };
    },
  },
  {
    name: 'project-naming',
    build(random, id, tag) {
      const prefix = random.pick(['pcb-', 'prod-', 'line']);
      const param = `projectPrefix${tag}`;
      const operations = random.sample(['CreateProject', 'CreateDataset', 'CreateModel'], random.between(1, 3));
      const operation = operations[0] ?? 'CreateProject';
      return {
        id,
        title: `Lookout for Vision project not named ${prefix}…`,
        description: 'A project was created or changed whose name does not follow the naming convention, so cost and ownership reports miss it.',
        severity: 'INFORMATIONAL',
        types: [`${BEST_PRACTICES}/Resource Naming`],
        remediation: { text: 'Rename the project (create a new one and move the datasets) to follow the convention.' },
        scope: scopeOf(operations),
        params: { [param]: { type: 'string', description: 'The prefix project names must start with.', default: prefix } },
        ...groupingOf(random),
        conditions: { all: [fact('requestParameters.projectName', 'exists', true), fact('requestParameters.projectName', 'not:startsWith', { param })] },
        tests: [
          {
            name: 'a project named outside the convention',
            expect: 'match',
            event: lfvEvent(operation, { requestParameters: { projectName: 'scratch-test' } }),
          },
          {
            name: 'a project that follows the convention',
            expect: 'no-match',
            event: lfvEvent(operation, { requestParameters: { projectName: `${prefix}inspection` } }),
          },
        ],
      };
    },
  },
  {
    name: 'error-codes',
    build(random, id) {
      const codes = random.sample(
        ['ThrottlingException', 'ServiceQuotaExceededException', 'AccessDenied', 'AccessDeniedException', 'ValidationException', 'ConflictException'],
        random.between(2, 3),
      );
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'DescribeModel';
      return {
        id,
        title: `Lookout for Vision calls failing with ${listText(codes)}`,
        description: 'Lookout for Vision calls failed with errors that point at missing permissions, exhausted quotas or a misconfigured client.',
        severity: 'LOW',
        types: ['Unusual Behaviors/Application/Failed Calls'],
        remediation: { text: 'Look at the failing client and its permissions or quotas.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: { all: [fact('errorCode', 'in', codes)] },
        tests: [
          {
            name: `${operation} failing with ${codes[0] ?? ''}`,
            expect: 'match',
            event: lfvEvent(operation, { errorCode: codes[0] ?? 'ThrottlingException' }),
          },
          { name: `${operation} that succeeded`, expect: 'no-match', event: lfvEvent(operation, {}) },
        ],
      };
    },
  },
  {
    name: 'write-without-mfa',
    build(random, id) {
      const operations = random.sample(WRITE_OPERATIONS, random.between(3, 6));
      const operation = operations[0] ?? 'CreateModel';
      return {
        id,
        title: `Lookout for Vision ${listText(operations)} without MFA`,
        description: 'A human identity changed Lookout for Vision resources from a session that was not MFA-authenticated.',
        severity: 'MEDIUM',
        types: [`${BEST_PRACTICES}/MFA`],
        remediation: { text: 'Require aws:MultiFactorAuthPresent for these actions.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: {
          all: [
            fact('readOnly', 'equal', false),
            fact('userIdentity.type', 'in', ['IAMUser', 'AssumedRole', 'Root']),
            fact('userIdentity.sessionContext.attributes.mfaAuthenticated', 'notEqual', 'true'),
          ],
        },
        tests: [
          {
            name: `${operation} from a session without MFA`,
            expect: 'match',
            event: lfvEvent(operation, { readOnly: false, userIdentity: assumedRole('Admin', 'alice', 'false') }),
          },
          {
            name: `${operation} from an MFA session`,
            expect: 'no-match',
            event: lfvEvent(operation, { readOnly: false, userIdentity: assumedRole('Admin', 'alice', 'true') }),
          },
        ],
      };
    },
  },
  {
    name: 'packaging-bucket',
    build(random, id, tag) {
      const approved = random.sample(APPROVED_BUCKETS, random.between(1, 2));
      const param = `approvedBuckets${tag}`;
      const path = 'requestParameters.configuration.greengrass.s3OutputLocation.bucket';
      const bucket = random.pick(OTHER_BUCKETS);
      const job = (name: string): { [key: string]: Json } => ({
        projectName: 'pcb-line1',
        modelVersion: '1',
        configuration: { greengrass: { s3OutputLocation: { bucket: name, prefix: 'out/' } } },
      });
      return {
        id,
        title: `Model packaged into a bucket other than ${listText(approved)}`,
        description: 'A model packaging job wrote its Greengrass component to a bucket outside the approved list.',
        severity: 'HIGH',
        types: ['Effects/Data Exposure/Model Artifacts'],
        remediation: { text: 'Delete the artifacts from the bucket and package again into an approved bucket.' },
        scope: { eventSource: [LFV_EVENT_SOURCE], eventName: ['StartModelPackagingJob'] },
        params: { [param]: { type: 'string[]', description: 'Buckets packaging jobs may write to.', default: approved } },
        ...groupingOf(random),
        conditions: { all: [fact(path, 'exists', true), fact(path, 'notIn', { param })] },
        tests: [
          { name: `packaging into ${bucket}`, expect: 'match', event: lfvEvent('StartModelPackagingJob', { requestParameters: job(bucket) }) },
          {
            name: `packaging into ${approved[0] ?? ''}`,
            expect: 'no-match',
            event: lfvEvent('StartModelPackagingJob', { requestParameters: job(approved[0] ?? 'acme-lfv-artifacts') }),
          },
        ],
      };
    },
  },
  {
    name: 'retired-model-version',
    build(random, id, tag) {
      const retired = random.sample(OLD_MODEL_VERSIONS, random.between(1, 3));
      const current = MODEL_VERSIONS.find((version) => !retired.includes(version)) ?? '99';
      const param = `retiredVersions${tag}`;
      const operations = random.sample(['DetectAnomalies', 'StartModel'], random.between(1, 2));
      const operation = operations[0] ?? 'DetectAnomalies';
      return {
        id,
        title: `Retired model version ${listText(retired)} still in use`,
        description: 'A model version that was retired after a quality review is still started or used for inference.',
        severity: 'LOW',
        types: ['Software and Configuration Checks/Vulnerabilities/Retired Model'],
        remediation: { text: 'Stop the retired model and point the devices at the current version.' },
        scope: scopeOf(operations),
        params: { [param]: { type: 'string[]', description: 'Model versions that must no longer run.', default: retired } },
        ...groupingOf(random),
        conditions: { all: [fact('requestParameters.modelVersion', 'in', { param }), fact('errorCode', 'exists', false)] },
        tests: [
          {
            name: `version ${retired[0] ?? ''} in use`,
            expect: 'match',
            event: lfvEvent(operation, { requestParameters: { projectName: 'pcb-line1', modelVersion: retired[0] ?? '1' } }),
          },
          {
            name: `version ${current} in use`,
            expect: 'no-match',
            event: lfvEvent(operation, { requestParameters: { projectName: 'pcb-line1', modelVersion: current } }),
          },
          {
            name: 'a failed call with a retired version',
            expect: 'no-match',
            event: lfvEvent(operation, {
              errorCode: 'ResourceNotFoundException',
              requestParameters: { projectName: 'pcb-line1', modelVersion: retired[0] ?? '1' },
            }),
          },
        ],
      };
    },
  },
  {
    name: 'test-dataset-change',
    build(random, id) {
      const operations = random.sample(['UpdateDatasetEntries', 'DeleteDataset', 'CreateDataset'], random.between(1, 3));
      const operation = operations[0] ?? 'UpdateDatasetEntries';
      return {
        id,
        title: `Test dataset changed by ${listText(operations)}`,
        description: 'The test dataset, which measures model quality, was changed; results before and after no longer compare.',
        severity: 'LOW',
        types: [`${BEST_PRACTICES}/Change Control`],
        remediation: { text: 'Confirm the change was part of a reviewed labelling round.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: { all: [fact('requestParameters.datasetType', 'equal', 'test'), fact('userIdentity.type', 'notIn', ['AWSService'])] },
        tests: [
          {
            name: `${operation} on the test dataset`,
            expect: 'match',
            event: lfvEvent(operation, {
              userIdentity: assumedRole('DataScientist', 'frank'),
              requestParameters: { projectName: 'pcb-line2', datasetType: 'test' },
            }),
          },
          {
            name: `${operation} on the training dataset`,
            expect: 'no-match',
            event: lfvEvent(operation, {
              userIdentity: assumedRole('DataScientist', 'frank'),
              requestParameters: { projectName: 'pcb-line2', datasetType: 'train' },
            }),
          },
        ],
      };
    },
  },
  {
    name: 'long-term-credentials',
    build(random, id) {
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'ListModels';
      return {
        id,
        title: 'Lookout for Vision called with long-term credentials',
        description: 'The root user, or an IAM user with an access key rather than a session, called Lookout for Vision.',
        severity: 'MEDIUM',
        types: [`${BEST_PRACTICES}/Temporary Credentials`],
        remediation: { text: 'Replace the access key with a role the client assumes.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: {
          any: [
            { all: [fact('userIdentity.type', 'equal', 'Root')] },
            { all: [fact('userIdentity.type', 'equal', 'IAMUser'), { not: fact('userIdentity.accessKeyId', 'startsWith', 'ASIA') }] },
          ],
        },
        tests: [
          {
            name: 'an IAM user with an access key',
            expect: 'match',
            event: lfvEvent(operation, { userIdentity: { type: 'IAMUser', userName: 'ci-pipeline', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' } }),
          },
          { name: 'the root user', expect: 'match', event: lfvEvent(operation, { userIdentity: { type: 'Root', accessKeyId: 'ASIAIOSFODNN7EXAMPLE' } }) },
          {
            name: 'an IAM user in a console session',
            expect: 'no-match',
            event: lfvEvent(operation, { userIdentity: { type: 'IAMUser', userName: 'jane.doe', accessKeyId: 'ASIAIOSFODNN7EXAMPLE' } }),
          },
        ],
      };
    },
  },
  {
    name: 'weak-cipher',
    build(random, id) {
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'DetectAnomalies';
      return {
        id,
        title: 'Lookout for Vision called with a CBC or legacy cipher suite',
        description: 'The TLS connection used a cipher suite without authenticated encryption.',
        severity: 'LOW',
        types: [`${BEST_PRACTICES}/Encryption in Transit`],
        remediation: { text: 'Update the client’s TLS library so it negotiates an AEAD cipher suite.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: {
          any: [fact('tlsDetails.cipherSuite', 'endsWith', ['-SHA', '-MD5']), fact('tlsDetails.cipherSuite', 'stringContains', ['RC4', '3DES', 'CBC'])],
        },
        tests: [
          {
            name: 'a CBC suite with SHA-1',
            expect: 'match',
            event: lfvEvent(operation, { tlsDetails: { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-SHA' } }),
          },
          {
            name: 'an AEAD suite',
            expect: 'no-match',
            event: lfvEvent(operation, { tlsDetails: { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256' } }),
          },
          { name: 'a record without tlsDetails', expect: 'no-match', event: lfvEvent(operation, {}) },
        ],
      };
    },
  },
  {
    name: 'unapproved-region',
    build(random, id, tag) {
      // the two main regions are always allowed; the smaller ones differ by policy
      const allowed = [...REGIONS.slice(0, 2), ...random.sample(REGIONS.slice(2), random.between(0, 1))];
      const elsewhere = REGIONS.find((region) => !allowed.includes(region)) ?? 'sa-east-1';
      const param = `allowedRegions${tag}`;
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'CreateProject';
      return {
        id,
        title: `Lookout for Vision used outside ${listText(allowed)}`,
        description: 'Lookout for Vision was used in a region where this organisation does not keep inspection data.',
        severity: 'MEDIUM',
        types: ['Software and Configuration Checks/Industry and Regulatory Standards/Data Residency'],
        remediation: { text: 'Move the project to an approved region and deny the others with a service control policy.' },
        scope: scopeOf(operations),
        params: { [param]: { type: 'string[]', description: 'Regions Lookout for Vision may be used in.', default: allowed } },
        ...groupingOf(random),
        conditions: { all: [fact('awsRegion', 'exists', true), fact('awsRegion', 'notIn', { param })] },
        tests: [
          { name: `${operation} in ${elsewhere}`, expect: 'match', event: lfvEvent(operation, { awsRegion: elsewhere }) },
          { name: `${operation} in ${allowed[0] ?? ''}`, expect: 'no-match', event: lfvEvent(operation, { awsRegion: allowed[0] ?? 'us-east-1' }) },
        ],
      };
    },
  },
  {
    name: 'endpoint-host',
    build(random, id) {
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'DetectAnomalies';
      const path = 'tlsDetails.clientProvidedHostHeader';
      return {
        id,
        title: 'Lookout for Vision reached through a host other than its public regional endpoint',
        description: 'The client addressed the service by a host name other than lookoutvision.<region>.amazonaws.com, such as a VPC endpoint or a proxy.',
        severity: 'INFORMATIONAL',
        types: [`${BEST_PRACTICES}/Network Path`],
        remediation: { text: 'Confirm the endpoint is one of the organisation’s VPC endpoints.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: { all: [fact(path, 'exists', true), { not: fact(path, 'matches', '^lookoutvision\\.[a-z0-9-]+\\.amazonaws\\.com$') }] },
        tests: [
          {
            name: 'a VPC endpoint host',
            expect: 'match',
            event: lfvEvent(operation, {
              tlsDetails: { tlsVersion: 'TLSv1.2', clientProvidedHostHeader: 'vpce-0a1b2c3d4e5f60718-abcd1234.lookoutvision.us-east-1.vpce.amazonaws.com' },
            }),
          },
          {
            name: 'the regional endpoint',
            expect: 'no-match',
            event: lfvEvent(operation, { tlsDetails: { tlsVersion: 'TLSv1.2', clientProvidedHostHeader: 'lookoutvision.us-east-1.amazonaws.com' } }),
          },
        ],
      };
    },
  },
  {
    name: 'admin-role-change',
    build(random, id) {
      const roles = random.sample(['Admin', 'OrganizationAccountAccessRole', 'MLOps'], random.between(1, 2));
      const operations = random.sample(WRITE_OPERATIONS, random.between(2, 5));
      const operation = operations[0] ?? 'CreateModel';
      return {
        id,
        title: `Lookout for Vision changed through the ${listText(roles)} role`,
        description: 'A broad administrative role changed Lookout for Vision resources instead of the pipeline role meant for it.',
        severity: 'LOW',
        types: [`${BEST_PRACTICES}/Least Privilege`],
        remediation: { text: 'Make routine changes through the pipeline role.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: { all: [fact('userIdentity.type', 'equal', 'AssumedRole'), fact('userIdentity.arn', 'matches', `:assumed-role/(${roles.join('|')})/`)] },
        tests: [
          {
            name: `${operation} through ${roles[0] ?? ''}`,
            expect: 'match',
            event: lfvEvent(operation, { userIdentity: assumedRole(roles[0] ?? 'Admin', 'alice') }),
          },
          {
            name: `${operation} through DataScientist`,
            expect: 'no-match',
            event: lfvEvent(operation, { userIdentity: assumedRole('DataScientist', 'frank') }),
          },
        ],
      };
    },
  },
  {
    name: 'caller-without-address',
    build(random, id) {
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'DescribeProject';
      return {
        id,
        title: 'Lookout for Vision called by a person from no IP address',
        description: 'A person’s call carries no IP address (sourceIPAddress is "AWS Internal" or a host name), so network controls did not apply to it.',
        severity: 'INFORMATIONAL',
        types: ['Unusual Behaviors/IP address/No Source Address'],
        remediation: { text: 'Check which console or service made the call on the person’s behalf.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: {
          all: [fact('sourceIPAddress', 'exists', true), fact('sourceIPAddress', 'isIpAddress', false), fact('userIdentity.type', 'notEqual', 'AWSService')],
        },
        tests: [
          {
            name: 'a console call made internally',
            expect: 'match',
            event: lfvEvent(operation, { sourceIPAddress: 'AWS Internal', userIdentity: assumedRole('Admin', 'bob') }),
          },
          {
            name: 'a call from an IP address',
            expect: 'no-match',
            event: lfvEvent(operation, { sourceIPAddress: '10.20.30.40', userIdentity: assumedRole('Admin', 'bob') }),
          },
          {
            name: 'a call the service made itself',
            expect: 'no-match',
            event: lfvEvent(operation, { sourceIPAddress: LFV_EVENT_SOURCE, userIdentity: { type: 'AWSService', invokedBy: LFV_EVENT_SOURCE } }),
          },
        ],
      };
    },
  },
  {
    name: 'inference-units',
    build(random, id, tag) {
      const limit = random.between(2, 3);
      const operator = random.pick(['greaterThan', 'greaterThanInclusive']);
      const param = `inferenceUnitLimit${tag}`;
      return {
        id,
        title: `Model started with ${operator === 'greaterThan' ? 'more than' : 'at least'} ${limit} inference units`,
        description: 'A model was started with more inference units than the budget allows; each unit is billed by the hour.',
        severity: 'LOW',
        types: [`${BEST_PRACTICES}/Cost Control`],
        remediation: { text: 'Stop the model and start it again with fewer inference units.' },
        scope: { eventSource: [LFV_EVENT_SOURCE], eventName: ['StartModel'] },
        params: { [param]: { type: 'number', description: 'Inference units a model may start with.', default: limit } },
        ...groupingOf(random),
        conditions: { all: [fact('requestParameters.minInferenceUnits', operator, { param })] },
        tests: [
          {
            name: `starting with ${limit + 1} units`,
            expect: 'match',
            event: lfvEvent('StartModel', { requestParameters: { projectName: 'pcb-line1', modelVersion: '3', minInferenceUnits: limit + 1 } }),
          },
          {
            name: 'starting with 1 unit',
            expect: 'no-match',
            event: lfvEvent('StartModel', { requestParameters: { projectName: 'pcb-line1', modelVersion: '3', minInferenceUnits: 1 } }),
          },
        ],
      };
    },
  },
  {
    name: 'foreign-account',
    build(random, id, tag) {
      const param = `trustedAccounts${tag}`;
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'DescribeModel';
      return {
        id,
        title: 'Lookout for Vision called from an account outside the trusted list',
        description: 'A principal from another AWS account called Lookout for Vision in this account.',
        severity: 'MEDIUM',
        types: ['Unusual Behaviors/User/Cross Account Access'],
        remediation: { text: 'Review the role trust policy that let the other account in.' },
        scope: scopeOf(operations),
        params: { [param]: { type: 'string[]', description: 'Accounts whose principals may call Lookout for Vision here.', default: [ACCOUNT_ID] } },
        ...groupingOf(random),
        conditions: { all: [fact('userIdentity.accountId', 'exists', true), fact('userIdentity.accountId', 'notIn', { param })] },
        tests: [
          {
            name: 'a partner account’s role',
            expect: 'match',
            event: lfvEvent(operation, { userIdentity: { type: 'AssumedRole', accountId: PARTNER_ACCOUNT_ID } }),
          },
          { name: 'a role of this account', expect: 'no-match', event: lfvEvent(operation, { userIdentity: assumedRole('MLOps', 'dave') }) },
        ],
      };
    },
  },
  {
    name: 'console-without-mfa',
    build(random, id) {
      const operations = maybeOperations(random, ALL_OPERATIONS);
      const operation = operations?.[0] ?? 'ListProjects';
      return {
        id,
        title: 'Lookout for Vision console session without MFA',
        description: 'Someone signed in to the console without MFA and used Lookout for Vision.',
        severity: 'MEDIUM',
        types: [`${BEST_PRACTICES}/MFA`],
        remediation: { text: 'Enforce MFA for console sign-in.' },
        scope: scopeOf(operations),
        ...groupingOf(random),
        conditions: {
          all: [
            fact('sessionCredentialFromConsole', 'equal', 'true'),
            { not: fact('userIdentity.sessionContext.attributes.mfaAuthenticated', 'equal', 'true') },
          ],
        },
        tests: [
          {
            name: 'a console session without MFA',
            expect: 'match',
            event: lfvEvent(operation, {
              sessionCredentialFromConsole: 'true',
              userIdentity: { type: 'IAMUser', userName: 'jane.doe', sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
            }),
          },
          {
            name: 'a console session with MFA',
            expect: 'no-match',
            event: lfvEvent(operation, {
              sessionCredentialFromConsole: 'true',
              userIdentity: { type: 'IAMUser', userName: 'jane.doe', sessionContext: { attributes: { mfaAuthenticated: 'true' } } },
            }),
          },
          { name: 'a call with an access key', expect: 'no-match', event: lfvEvent(operation, { userIdentity: { type: 'IAMUser', userName: 'ci-pipeline' } }) },
        ],
      };
    },
  },
];
