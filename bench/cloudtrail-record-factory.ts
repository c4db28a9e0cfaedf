import {
  ACCOUNT_ID,
  APPROVED_BUCKETS,
  CAMERA_USER_AGENT_WEIGHTS,
  DATASET_TYPES,
  FACTORY_NAT_ADDRESSES,
  ERROR_WEIGHTS,
  HUMAN_USER_AGENTS,
  IPV6_SOURCE_PREFIXES,
  LFV_EVENT_SOURCE,
  LFV_OPERATIONS,
  MANIFEST_BUCKETS,
  MODEL_VERSION_WEIGHTS,
  OLD_MODEL_VERSIONS,
  OTHER_BUCKETS,
  PARTNER_ACCOUNT_ID,
  PRIVATE_SOURCE_PREFIXES,
  PROJECT_NAMES,
  PUBLIC_SOURCE_ADDRESSES,
  type LfvOperation,
} from './lfv-vocabulary.js';
import { type SeededRandom, WeightedChoice } from './seeded-random.js';

/**
 * Builds realistic CloudTrail records for Lookout for Vision calls (and a few calls to other services that a
 * trail also holds), shaped like the documented examples in examples/records/. Pure: everything varies
 * only through the SeededRandom it is given.
 */

export type GeneratedRecord = Record<string, unknown>;

/** The region and the five minutes of calls one delivery file covers. */
export interface DeliveryWindow {
  readonly region: string;
  readonly startMs: number;
}

export const DELIVERY_WINDOW_MS = 5 * 60 * 1000;

type Caller =
  | { readonly kind: 'role'; readonly role: string; readonly session: string; readonly accountId: string; readonly device: boolean; readonly project?: string }
  | { readonly kind: 'user'; readonly userName: string; readonly console: boolean; readonly project?: string }
  | { readonly kind: 'root' }
  | { readonly kind: 'service' };

interface RoleGroup {
  readonly role: string;
  readonly sessions: readonly string[];
  readonly accountId: string;
  readonly device: boolean;
  /** A camera line inspects one project. */
  readonly project?: string;
}

const CAMERA_ROLES: readonly RoleGroup[] = [1, 2, 3, 4, 5, 6].map((line) => ({
  role: `Line${line}Inspection`,
  sessions: [`line${line}-camera-a`, `line${line}-camera-b`],
  accountId: ACCOUNT_ID,
  device: true,
  project: PROJECT_NAMES[line - 1] ?? 'pcb-line1',
}));

const HUMAN_ROLES: readonly RoleGroup[] = [
  { role: 'Admin', sessions: ['alice', 'bob'], accountId: ACCOUNT_ID, device: false },
  { role: 'MLOps', sessions: ['carol', 'dave', 'erin'], accountId: ACCOUNT_ID, device: false },
  { role: 'DataScientist', sessions: ['frank', 'grace', 'heidi'], accountId: ACCOUNT_ID, device: false },
  { role: 'AWSReservedSSO_ReadOnlyAccess_5c1f0e2d3b4a6978', sessions: ['ivan@example.com', 'judy@example.com'], accountId: ACCOUNT_ID, device: false },
];

const PARTNER_ROLE: RoleGroup = { role: 'PartnerIntegration', sessions: ['vendor-sync'], accountId: PARTNER_ACCOUNT_ID, device: false };

type CallerKind = 'camera' | 'human' | 'partner' | 'gateway-user' | 'pipeline-user' | 'console-user' | 'root' | 'service';

const INFERENCE_CALLERS = new WeightedChoice<CallerKind>([
  ['camera', 84],
  ['gateway-user', 12],
  ['human', 2],
  ['partner', 1],
  ['pipeline-user', 1],
]);

const CONTROL_PLANE_CALLERS = new WeightedChoice<CallerKind>([
  ['human', 60],
  ['camera', 8],
  ['pipeline-user', 12],
  ['console-user', 6],
  ['partner', 5],
  ['root', 2],
  ['service', 3],
]);

/**
 * A site whose controls hold: devices call through roles, people through MFA-protected roles that are
 * not the administrative ones, and only the service itself acts without an address.
 */
const CONFORMING_HUMAN_ROLES: readonly RoleGroup[] = HUMAN_ROLES.filter((group) => group.role !== 'Admin' && group.role !== 'MLOps');
const CONFORMING_CONTROL_PLANE_CALLERS = new WeightedChoice<'camera' | 'human' | 'service'>([
  ['human', 85],
  ['camera', 10],
  ['service', 5],
]);
/** The current SDKs; the old Java 1.x client is a deviation. */
const CONFORMING_CAMERA_USER_AGENTS = new WeightedChoice(CAMERA_USER_AGENT_WEIGHTS.filter(([userAgent]) => !userAgent.startsWith('aws-sdk-java/1.')));
/** Model versions no quality review has retired. */
const CONFORMING_MODEL_VERSIONS = new WeightedChoice(MODEL_VERSION_WEIGHTS.filter(([version]) => !OLD_MODEL_VERSIONS.includes(version)));
/** Approved networks only: the factory networks (10.0.0.0/8) and their NAT addresses. */
const CONFORMING_PRIVATE_PREFIXES: readonly string[] = PRIVATE_SOURCE_PREFIXES.filter((prefix) => prefix.startsWith('10.'));

const OPERATION_CHOICE = new WeightedChoice<LfvOperation>(LFV_OPERATIONS.map((operation) => [operation, operation.weight]));
const ERROR_CHOICE = new WeightedChoice(ERROR_WEIGHTS);
const CAMERA_USER_AGENT_CHOICE = new WeightedChoice(CAMERA_USER_AGENT_WEIGHTS);
const MODEL_VERSION_CHOICE = new WeightedChoice(MODEL_VERSION_WEIGHTS);
const TLS_WEIGHTS: readonly (readonly [readonly [string, string], number])[] = [
  [['TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'], 70],
  [['TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384'], 10],
  [['TLSv1.2', 'ECDHE-RSA-AES128-SHA'], 3],
  [['TLSv1.3', 'TLS_AES_128_GCM_SHA256'], 15],
  [['TLSv1.1', 'ECDHE-RSA-AES128-SHA'], 1],
  [['TLSv1', 'ECDHE-RSA-AES128-SHA'], 1],
];
const TLS_CHOICE = new WeightedChoice(TLS_WEIGHTS);
/** TLS 1.2 or 1.3 with an AEAD suite. */
const CONFORMING_TLS_CHOICE = new WeightedChoice(
  TLS_WEIGHTS.filter(([[version, suite]]) => (version === 'TLSv1.2' || version === 'TLSv1.3') && suite.includes('GCM')),
);
const EVENT_VERSION_CHOICE = new WeightedChoice<string>([
  ['1.08', 60],
  ['1.09', 25],
  ['1.10', 12],
  // before 1.08 CloudTrail wrote no tlsDetails
  ['1.05', 3],
]);

const VPC_ENDPOINT_ID = 'vpce-0a1b2c3d4e5f60718';

/** One Lookout for Vision call inside the delivery window. */
export function createLfvRecord(random: SeededRandom, window: DeliveryWindow): GeneratedRecord {
  const operation = OPERATION_CHOICE.pick(random);
  const caller = pickCaller(random, operation);
  const eventMs = window.startMs + random.below(DELIVERY_WINDOW_MS);
  const eventVersion = EVENT_VERSION_CHOICE.pick(random);
  const source = sourceOf(random, caller);
  const error = random.chance(0.03) ? ERROR_CHOICE.pick(random) : undefined;
  const project = projectOf(random, caller);
  const modelVersion = MODEL_VERSION_CHOICE.pick(random);
  const record: GeneratedRecord = {
    eventVersion,
    userIdentity: userIdentityOf(random, caller, eventMs),
    eventTime: isoSeconds(eventMs),
    eventSource: LFV_EVENT_SOURCE,
    eventName: operation.name,
    awsRegion: window.region,
    sourceIPAddress: source.address,
    userAgent: source.userAgent,
  };
  if (error !== undefined) {
    record.errorCode = error.code;
    record.errorMessage = error.message;
  }
  record.requestParameters = requestParametersOf(random, operation.name, window.region, project, modelVersion);
  record.responseElements = error === undefined ? responseElementsOf(operation.name, window.region, project, modelVersion, eventMs) : null;
  record.requestID = random.uuid();
  record.eventID = random.uuid();
  record.readOnly = operation.kind === 'read' || operation.kind === 'inference';
  record.eventType = 'AwsApiCall';
  record.managementEvent = true;
  record.recipientAccountId = ACCOUNT_ID;
  if (source.vpcEndpoint) record.vpcEndpointId = VPC_ENDPOINT_ID;
  record.eventCategory = 'Management';
  if (eventVersion !== '1.05') {
    const [tlsVersion, cipherSuite] = TLS_CHOICE.pick(random);
    record.tlsDetails = {
      tlsVersion,
      cipherSuite,
      clientProvidedHostHeader: source.vpcEndpoint
        ? `${VPC_ENDPOINT_ID}-${random.characters('abcdefghijklmnopqrstuvwxyz0123456789', 8)}.lookoutvision.${window.region}.vpce.amazonaws.com`
        : `lookoutvision.${window.region}.amazonaws.com`,
    };
  }
  if (caller.kind === 'user' && caller.console) record.sessionCredentialFromConsole = 'true';
  return record;
}

/**
 * One Lookout for Vision call as a site whose controls hold makes it: the same operations at the same rates
 * as createLfvRecord, but a role (with MFA for people) in this account, an address in the approved networks,
 * a current SDK over TLS 1.2+ with an AEAD suite, no error, a current model version, approved buckets, a
 * customer managed key and one inference unit. Rules about writes and deletions still fire on some of
 * these calls, as they do at any site.
 */
export function createConformingLfvRecord(random: SeededRandom, window: DeliveryWindow): GeneratedRecord {
  const operation = OPERATION_CHOICE.pick(random);
  const kind = operation.kind === 'inference' ? 'camera' : CONFORMING_CONTROL_PLANE_CALLERS.pick(random);
  const eventMs = window.startMs + random.below(DELIVERY_WINDOW_MS);
  const eventVersion = EVENT_VERSION_CHOICE.pick(random);
  let userIdentity: GeneratedRecord;
  let sourceIPAddress: string;
  let userAgent: string;
  let project: string;
  if (kind === 'service' && operation.kind === 'read') {
    userIdentity = { type: 'AWSService', invokedBy: LFV_EVENT_SOURCE };
    sourceIPAddress = LFV_EVENT_SOURCE;
    userAgent = LFV_EVENT_SOURCE;
    project = random.pick(PROJECT_NAMES);
  } else {
    const camera = kind === 'camera';
    const group = camera ? random.pick(CAMERA_ROLES) : random.pick(CONFORMING_HUMAN_ROLES);
    const session = random.pick(group.sessions);
    userIdentity = roleIdentity(group, session, random, eventMs, !camera);
    const home = fnv1a(`${group.role}/${session}`);
    sourceIPAddress = random.chance(0.6)
      ? addressIn(CONFORMING_PRIVATE_PREFIXES[home % CONFORMING_PRIVATE_PREFIXES.length] ?? '10.20.', home)
      : random.pick(FACTORY_NAT_ADDRESSES);
    userAgent = camera ? CONFORMING_CAMERA_USER_AGENTS.pick(random) : random.pick(HUMAN_USER_AGENTS);
    project = group.project ?? PROJECT_NAMES[(home + random.below(3)) % PROJECT_NAMES.length] ?? 'pcb-line1';
  }
  const modelVersion = CONFORMING_MODEL_VERSIONS.pick(random);
  const record: GeneratedRecord = {
    eventVersion,
    userIdentity,
    eventTime: isoSeconds(eventMs),
    eventSource: LFV_EVENT_SOURCE,
    eventName: operation.name,
    awsRegion: window.region,
    sourceIPAddress,
    userAgent,
    requestParameters: requestParametersOf(random, operation.name, window.region, project, modelVersion, 'conforming'),
    responseElements: responseElementsOf(operation.name, window.region, project, modelVersion, eventMs),
    requestID: random.uuid(),
    eventID: random.uuid(),
    readOnly: operation.kind === 'read' || operation.kind === 'inference',
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT_ID,
    eventCategory: 'Management',
  };
  if (eventVersion !== '1.05') {
    const [tlsVersion, cipherSuite] = CONFORMING_TLS_CHOICE.pick(random);
    record.tlsDetails = { tlsVersion, cipherSuite, clientProvidedHostHeader: `lookoutvision.${window.region}.amazonaws.com` };
  }
  return record;
}

/** A call to another service that the same trail delivers (KMS on behalf of the service, STS, S3). */
export function createOtherServiceRecord(random: SeededRandom, window: DeliveryWindow): GeneratedRecord {
  const eventMs = window.startMs + random.below(DELIVERY_WINDOW_MS);
  const common = { eventVersion: '1.08', eventTime: isoSeconds(eventMs), awsRegion: window.region };
  const tail = (readOnly: boolean): GeneratedRecord => ({
    requestID: random.uuid(),
    eventID: random.uuid(),
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT_ID,
    eventCategory: 'Management',
  });
  switch (random.below(3)) {
    case 0: {
      const keyArn = `arn:aws:kms:${window.region}:${ACCOUNT_ID}:key/${random.uuid()}`;
      return {
        eventVersion: common.eventVersion,
        userIdentity: { type: 'AWSService', invokedBy: LFV_EVENT_SOURCE },
        eventTime: common.eventTime,
        eventSource: 'kms.amazonaws.com',
        eventName: 'Decrypt',
        awsRegion: common.awsRegion,
        sourceIPAddress: LFV_EVENT_SOURCE,
        userAgent: LFV_EVENT_SOURCE,
        requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:lookoutvision:project': random.pick(PROJECT_NAMES) } },
        responseElements: null,
        ...tail(true),
        resources: [{ accountId: ACCOUNT_ID, type: 'AWS::KMS::Key', ARN: keyArn }],
      };
    }
    case 1: {
      const camera = random.pick(CAMERA_ROLES);
      const session = random.pick(camera.sessions);
      return {
        eventVersion: common.eventVersion,
        userIdentity: iamUserIdentity('camera-gateway', false, random, eventMs),
        eventTime: common.eventTime,
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        awsRegion: common.awsRegion,
        sourceIPAddress: random.pick(PUBLIC_SOURCE_ADDRESSES),
        userAgent: CAMERA_USER_AGENT_CHOICE.pick(random),
        requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${camera.role}`, roleSessionName: session, durationSeconds: 3600 },
        responseElements: {
          credentials: {
            accessKeyId: `ASIA${keySuffix(random)}`,
            sessionToken: 'HIDDEN_DUE_TO_SECURITY_REASONS',
            expiration: new Date(eventMs + 3_600_000).toUTCString(),
          },
          assumedRoleUser: {
            assumedRoleId: `${stableId('AROA', camera.role)}:${session}`,
            arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${camera.role}/${session}`,
          },
        },
        ...tail(false),
      };
    }
    default: {
      const human = random.pick(HUMAN_ROLES);
      return {
        eventVersion: common.eventVersion,
        userIdentity: roleIdentity(human, random.pick(human.sessions), random, eventMs),
        eventTime: common.eventTime,
        eventSource: 's3.amazonaws.com',
        eventName: 'GetBucketLocation',
        awsRegion: common.awsRegion,
        sourceIPAddress: random.pick(PUBLIC_SOURCE_ADDRESSES),
        userAgent: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]',
        requestParameters: { location: '', bucketName: random.pick(MANIFEST_BUCKETS), Host: 's3.amazonaws.com' },
        responseElements: null,
        additionalEventData: {
          SignatureVersion: 'SigV4',
          CipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
          bytesTransferredIn: 0,
          AuthenticationMethod: 'AuthHeader',
          bytesTransferredOut: 137,
        },
        ...tail(true),
      };
    }
  }
}

function pickCaller(random: SeededRandom, operation: LfvOperation): Caller {
  const kind = (operation.kind === 'inference' ? INFERENCE_CALLERS : CONTROL_PLANE_CALLERS).pick(random);
  const asRole = (group: RoleGroup): Caller => ({
    kind: 'role',
    role: group.role,
    session: random.pick(group.sessions),
    accountId: group.accountId,
    device: group.device,
    ...(group.project === undefined ? {} : { project: group.project }),
  });
  switch (kind) {
    case 'camera':
      return asRole(random.pick(CAMERA_ROLES));
    case 'human':
      return asRole(random.pick(HUMAN_ROLES));
    case 'partner':
      return asRole(PARTNER_ROLE);
    case 'gateway-user':
      // the gateway forwards images of the three circuit-board lines
      return { kind: 'user', userName: 'camera-gateway', console: false, project: random.pick(PROJECT_NAMES.slice(0, 3)) };
    case 'pipeline-user':
      return { kind: 'user', userName: random.pick(['ci-pipeline', 'labeling-tool']), console: false };
    case 'console-user':
      return { kind: 'user', userName: 'jane.doe', console: true };
    case 'root':
      return { kind: 'root' };
    case 'service':
      // the service calls only read its own resources on a customer's behalf
      return operation.kind === 'read' ? { kind: 'service' } : asRole(random.pick(HUMAN_ROLES));
  }
}

function userIdentityOf(random: SeededRandom, caller: Caller, eventMs: number): GeneratedRecord {
  switch (caller.kind) {
    case 'role':
      return roleIdentity(caller, caller.session, random, eventMs);
    case 'user':
      return iamUserIdentity(caller.userName, caller.console, random, eventMs);
    case 'root':
      return {
        type: 'Root',
        principalId: ACCOUNT_ID,
        arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
        accountId: ACCOUNT_ID,
        accessKeyId: `ASIA${keySuffix(random)}`,
        sessionContext: {
          attributes: { creationDate: isoSeconds(eventMs - random.below(3_600_000)), mfaAuthenticated: random.chance(0.85) ? 'true' : 'false' },
        },
      };
    case 'service':
      return { type: 'AWSService', invokedBy: LFV_EVENT_SOURCE };
  }
}

/** `withMfa` fixes whether the session was MFA-authenticated; without it, people sometimes are and devices never. */
function roleIdentity(
  group: { readonly role: string; readonly accountId: string; readonly device?: boolean },
  session: string,
  random: SeededRandom,
  eventMs: number,
  withMfa?: boolean,
): GeneratedRecord {
  const rolePrincipalId = stableId('AROA', group.role);
  const mfa = withMfa ?? (group.device !== true && random.chance(0.35));
  return {
    type: 'AssumedRole',
    principalId: `${rolePrincipalId}:${session}`,
    arn: `arn:aws:sts::${group.accountId}:assumed-role/${group.role}/${session}`,
    accountId: group.accountId,
    accessKeyId: `ASIA${keySuffix(random)}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: rolePrincipalId,
        arn: `arn:aws:iam::${group.accountId}:role/${group.role}`,
        accountId: group.accountId,
        userName: group.role,
      },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(eventMs - random.below(3_600_000)), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
}

function iamUserIdentity(userName: string, fromConsole: boolean, random: SeededRandom, eventMs: number): GeneratedRecord {
  const identity: GeneratedRecord = {
    type: 'IAMUser',
    principalId: stableId('AIDA', userName),
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${userName}`,
    accountId: ACCOUNT_ID,
    // long-term keys are fixed per user; a console session gets temporary ones
    accessKeyId: fromConsole ? `ASIA${keySuffix(random)}` : stableId('AKIA', userName),
    userName,
  };
  if (fromConsole) {
    identity.sessionContext = {
      attributes: { creationDate: isoSeconds(eventMs - random.below(3_600_000)), mfaAuthenticated: random.chance(0.7) ? 'true' : 'false' },
    };
  }
  return identity;
}

interface CallSource {
  readonly address: string;
  readonly userAgent: string;
  readonly vpcEndpoint: boolean;
}

/**
 * Devices keep their address, people move between a few (VPN, home, office): a site shows tens of addresses,
 * not one per call, which matters to rules that group findings by source address.
 */
function sourceOf(random: SeededRandom, caller: Caller): CallSource {
  if (caller.kind === 'service') return { address: LFV_EVENT_SOURCE, userAgent: LFV_EVENT_SOURCE, vpcEndpoint: false };
  const device = (caller.kind === 'role' && caller.device) || (caller.kind === 'user' && caller.userName === 'camera-gateway');
  const userAgent = device ? CAMERA_USER_AGENT_CHOICE.pick(random) : random.pick(HUMAN_USER_AGENTS);
  const home = fnv1a(principalKey(caller));
  const draw = random.next();
  if (draw < 0.001) return { address: `0${random.between(1, 9)}.1.250.${random.between(1, 254)}`, userAgent, vpcEndpoint: false };
  if (device) {
    if (draw < 0.6) return { address: addressIn(PRIVATE_SOURCE_PREFIXES[home % 2] ?? '10.20.', home), userAgent, vpcEndpoint: random.chance(0.2) };
    if (draw < 0.97) return { address: random.pick(FACTORY_NAT_ADDRESSES), userAgent, vpcEndpoint: false };
    return { address: `${IPV6_SOURCE_PREFIXES[0] ?? '2001:db8:1::'}${(home % 4096).toString(16)}`, userAgent, vpcEndpoint: false };
  }
  if (draw < 0.05) return { address: 'AWS Internal', userAgent: 'AWS Internal', vpcEndpoint: false };
  // a VPN or DHCP lease moves a person between neighbouring addresses
  if (draw < 0.3)
    return { address: addressIn(PRIVATE_SOURCE_PREFIXES[2 + (home % 2)] ?? '172.20.', home + random.below(3)), userAgent, vpcEndpoint: random.chance(0.3) };
  if (draw < 0.4) return { address: `${IPV6_SOURCE_PREFIXES[home % 2] ?? '2001:db8:1::'}${((home >>> 4) % 4096).toString(16)}`, userAgent, vpcEndpoint: false };
  return { address: random.pick(PUBLIC_SOURCE_ADDRESSES), userAgent, vpcEndpoint: false };
}

/** A camera line inspects its own project; a person works on about three; the service and root touch any. */
function projectOf(random: SeededRandom, caller: Caller): string {
  if (caller.kind === 'service' || caller.kind === 'root') return random.pick(PROJECT_NAMES);
  if (caller.project !== undefined) return caller.project;
  return PROJECT_NAMES[(fnv1a(principalKey(caller)) + random.below(3)) % PROJECT_NAMES.length] ?? 'pcb-line1';
}

/** An IPv4 address under `prefix` (two or three octets, ending in a dot) picked by `host`. */
function addressIn(prefix: string, host: number): string {
  const lastOctet = 10 + (host % 200);
  return prefix.split('.').length === 3 ? `${prefix}${1 + ((host >>> 8) % 4)}.${lastOctet}` : `${prefix}${lastOctet}`;
}

function principalKey(caller: Exclude<Caller, { kind: 'service' }>): string {
  switch (caller.kind) {
    case 'role':
      return `${caller.role}/${caller.session}`;
    case 'user':
      return caller.userName;
    case 'root':
      return 'root';
  }
}

/**
 * A conforming site changes only training data, encrypts models with its own key, starts models with one
 * inference unit and packages them into approved buckets. Both variants draw the same random numbers, so
 * the alert-storm data does not depend on this option.
 */
function requestParametersOf(
  random: SeededRandom,
  operation: string,
  region: string,
  project: string,
  modelVersion: string,
  site: 'any' | 'conforming' = 'any',
): GeneratedRecord | null {
  const conforming = site === 'conforming';
  const drawnDatasetType = random.pick(DATASET_TYPES);
  const datasetType = conforming && operation !== 'DescribeDataset' && operation !== 'ListDatasetEntries' ? 'train' : drawnDatasetType;
  const clientToken = random.uuid();
  switch (operation) {
    case 'DetectAnomalies':
      return { projectName: project, modelVersion, contentType: random.chance(0.8) ? 'image/jpeg' : 'image/png' };
    case 'DescribeModel':
    case 'DeleteModel':
    case 'StopModel':
      return { projectName: project, modelVersion };
    case 'StartModel': {
      const drawnUnits = random.between(1, 4);
      const minInferenceUnits = conforming ? 1 : drawnUnits;
      return { projectName: project, modelVersion, minInferenceUnits, maxInferenceUnits: minInferenceUnits + random.below(3), clientToken };
    }
    case 'DescribeProject':
    case 'DeleteProject':
    case 'ListModels':
    case 'ListModelPackagingJobs':
      return { projectName: project };
    case 'CreateProject':
      return { projectName: project, clientToken };
    case 'ListProjects':
      return random.chance(0.5) ? null : { maxResults: 100 };
    case 'DescribeDataset':
    case 'DeleteDataset':
      return { projectName: project, datasetType };
    case 'CreateDataset': {
      const parameters: GeneratedRecord = { projectName: project, datasetType, clientToken };
      if (random.chance(0.7))
        parameters.datasetSource = { groundTruthManifest: { s3Object: { bucket: random.pick(MANIFEST_BUCKETS), key: `${project}/${datasetType}.manifest` } } };
      return parameters;
    }
    case 'ListDatasetEntries':
      return { projectName: project, datasetType, labeled: random.chance(0.5), maxResults: 100 };
    case 'UpdateDatasetEntries':
      return { projectName: project, datasetType, changes: 'HIDDEN_DUE_TO_SECURITY_REASONS', clientToken };
    case 'CreateModel': {
      const parameters: GeneratedRecord = {
        projectName: project,
        description: { description: `retrain ${project} with the latest labels` },
        outputConfig: { s3Location: { bucket: random.pick(APPROVED_BUCKETS), prefix: `models/${project}/` } },
        clientToken,
      };
      if (random.chance(0.4) || conforming) parameters.kmsKeyId = `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${random.uuid()}`;
      return parameters;
    }
    case 'StartModelPackagingJob':
      return {
        projectName: project,
        modelVersion,
        jobName: `${project}-model-${modelVersion}-jetson`,
        configuration: {
          greengrass: {
            targetDevice: 'jetson_xavier',
            s3OutputLocation: {
              bucket: random.chance(0.8) || conforming ? random.pick(APPROVED_BUCKETS) : random.pick(OTHER_BUCKETS),
              prefix: `lookoutvision/${project}/`,
            },
            componentName: `${project.replace(/-/g, '')}AnomalyDetector`,
            componentVersion: `1.0.${random.below(10)}`,
          },
        },
        clientToken,
      };
    case 'DescribeModelPackagingJob':
      return { projectName: project, jobName: `${project}-model-${modelVersion}-jetson` };
    case 'TagResource':
      return { resourceArn: modelArn(region, project, modelVersion), tags: [{ key: 'cost-center', value: `cc-${random.between(100, 999)}` }] };
    case 'UntagResource':
      return { resourceArn: modelArn(region, project, modelVersion), tagKeys: ['cost-center'] };
    case 'ListTagsForResource':
      return { resourceArn: modelArn(region, project, modelVersion) };
    default:
      return null;
  }
}

function responseElementsOf(operation: string, region: string, project: string, modelVersion: string, eventMs: number): GeneratedRecord | null {
  const created = isoSeconds(eventMs);
  switch (operation) {
    case 'CreateProject':
      return { projectMetadata: { projectArn: projectArn(region, project), projectName: project, creationTimestamp: created } };
    case 'CreateModel':
      return { modelMetadata: { creationTimestamp: created, modelVersion, modelArn: modelArn(region, project, modelVersion), status: 'TRAINING' } };
    case 'CreateDataset':
      return { datasetMetadata: { creationTimestamp: created, status: 'CREATE_IN_PROGRESS' } };
    case 'StartModel':
      return { status: 'STARTING_HOSTING' };
    case 'StopModel':
      return { status: 'STOPPING_HOSTING' };
    case 'UpdateDatasetEntries':
      return { status: 'UPDATE_IN_PROGRESS' };
    case 'StartModelPackagingJob':
      return { jobName: `${project}-model-${modelVersion}-jetson` };
    case 'DeleteModel':
      return { modelArn: modelArn(region, project, modelVersion) };
    case 'DeleteProject':
      return { projectArn: projectArn(region, project) };
    default:
      return null;
  }
}

function projectArn(region: string, project: string): string {
  return `arn:aws:lookoutvision:${region}:${ACCOUNT_ID}:project/${project}`;
}

function modelArn(region: string, project: string, modelVersion: string): string {
  return `arn:aws:lookoutvision:${region}:${ACCOUNT_ID}:model/${project}/${modelVersion}`;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function keySuffix(random: SeededRandom): string {
  return random.characters(KEY_ALPHABET, 16);
}

/** A fixed IAM-style id for a name (AROA… for a role, AIDA… for a user, AKIA… for its access key), no randomness. */
function stableId(prefix: string, name: string): string {
  let id = prefix;
  for (let round = 0; id.length < prefix.length + 16; round++) {
    const hash = fnv1a(`${prefix}:${name}:${round}`);
    id += `${KEY_ALPHABET[hash % KEY_ALPHABET.length] ?? 'A'}${KEY_ALPHABET[(hash >>> 8) % KEY_ALPHABET.length] ?? 'A'}`;
  }
  return id.slice(0, prefix.length + 16);
}

/** 32-bit FNV-1a: a fixed number for a name. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

/** CloudTrail writes eventTime without milliseconds. */
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
