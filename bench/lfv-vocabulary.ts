/**
 * The names, addresses and values the generated events and the generated rules share, so that rules match a
 * realistic share of the events (a rule pack that never fires measures nothing about grouping and findings).
 */

export const ACCOUNT_ID = '123456789012';
export const PARTNER_ACCOUNT_ID = '111122223333';
export const LFV_EVENT_SOURCE = 'lookoutvision.amazonaws.com';

/** Regions a typical customer used Lookout for Vision in: one home region, a European site, two smaller ones. */
export const REGION_WEIGHTS: readonly (readonly [string, number])[] = [
  ['us-east-1', 55],
  ['eu-west-1', 25],
  ['us-west-2', 12],
  ['ap-northeast-1', 8],
];
export const REGIONS: readonly string[] = REGION_WEIGHTS.map(([region]) => region);
/** The regions every region policy of the benchmark's rule pack allows. */
export const HOME_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];

export type OperationKind = 'inference' | 'read' | 'write' | 'destructive';

export interface LfvOperation {
  readonly name: string;
  readonly kind: OperationKind;
  /** Calls per 10,000: DetectAnomalies dominates (every inspected image), control-plane writes are rare. */
  readonly weight: number;
}

/** The 22 Lookout for Vision operations. */
export const LFV_OPERATIONS: readonly LfvOperation[] = [
  { name: 'DetectAnomalies', kind: 'inference', weight: 7000 },
  { name: 'DescribeModel', kind: 'read', weight: 520 },
  { name: 'DescribeProject', kind: 'read', weight: 420 },
  { name: 'ListProjects', kind: 'read', weight: 330 },
  { name: 'ListModels', kind: 'read', weight: 320 },
  { name: 'DescribeDataset', kind: 'read', weight: 260 },
  { name: 'ListDatasetEntries', kind: 'read', weight: 220 },
  { name: 'ListTagsForResource', kind: 'read', weight: 150 },
  { name: 'DescribeModelPackagingJob', kind: 'read', weight: 110 },
  { name: 'ListModelPackagingJobs', kind: 'read', weight: 100 },
  { name: 'UpdateDatasetEntries', kind: 'write', weight: 100 },
  { name: 'StartModel', kind: 'write', weight: 30 },
  { name: 'StopModel', kind: 'write', weight: 30 },
  { name: 'TagResource', kind: 'write', weight: 30 },
  { name: 'CreateModel', kind: 'write', weight: 20 },
  { name: 'CreateDataset', kind: 'write', weight: 20 },
  { name: 'StartModelPackagingJob', kind: 'write', weight: 20 },
  { name: 'UntagResource', kind: 'write', weight: 10 },
  { name: 'CreateProject', kind: 'write', weight: 10 },
  { name: 'DeleteDataset', kind: 'destructive', weight: 10 },
  { name: 'DeleteModel', kind: 'destructive', weight: 10 },
  { name: 'DeleteProject', kind: 'destructive', weight: 5 },
];

export function operationNames(kinds: readonly OperationKind[]): string[] {
  return LFV_OPERATIONS.filter((operation) => kinds.includes(operation.kind)).map((operation) => operation.name);
}

/** The first six are the inspection lines' projects (Line1Inspection inspects pcb-line1, …). */
export const PROJECT_NAMES: readonly string[] = [
  'pcb-line1',
  'pcb-line2',
  'pcb-line3',
  'prod-weld-seams',
  'prod-bottle-caps',
  'line4-cookies',
  'qa-fabric-defects',
  'scratch-test',
  'demo-circuit-boards',
];
/** Inference mostly runs on the newest versions; old ones linger on a few lines. */
export const MODEL_VERSION_WEIGHTS: readonly (readonly [string, number])[] = [
  ['12', 40],
  ['7', 25],
  ['5', 15],
  ['4', 8],
  ['3', 5],
  ['2', 4],
  ['1', 3],
];
export const MODEL_VERSIONS: readonly string[] = MODEL_VERSION_WEIGHTS.map(([version]) => version);
/** Versions a quality review may have retired (never the newest ones). */
export const OLD_MODEL_VERSIONS: readonly string[] = ['1', '2', '3', '4'];
export const DATASET_TYPES: readonly string[] = ['train', 'test'];

export const APPROVED_BUCKETS: readonly string[] = ['acme-lfv-artifacts', 'acme-greengrass-components'];
export const OTHER_BUCKETS: readonly string[] = ['partner-share-artifacts', 'tmp-export-bucket', 'acme-lfv-artifacts-dr'];
export const MANIFEST_BUCKETS: readonly string[] = ['acme-lfv-datasets', 'acme-labeling-output', 'public-datasets-mirror'];

/** CIDR ranges the generated rules allow, each with an address inside it (for the rules' no-match tests). */
export const CORPORATE_RANGES: readonly { readonly cidr: string; readonly inside: string }[] = [
  { cidr: '10.0.0.0/8', inside: '10.20.30.40' },
  { cidr: '172.16.0.0/12', inside: '172.20.1.9' },
  { cidr: '192.168.0.0/16', inside: '192.168.10.77' },
  { cidr: '203.0.113.0/24', inside: '203.0.113.50' },
  { cidr: '2001:db8:1::/48', inside: '2001:db8:1::2a' },
];
/** Addresses outside every range above (documentation and public addresses, IPv4 and IPv6). */
export const OUTSIDE_ADDRESSES: readonly string[] = ['198.51.100.23', '192.0.2.145', '81.2.69.160', '2001:db8:9::17', '52.94.133.131'];

/** Public NAT addresses of the factory sites, inside 203.0.113.0/24: where cameras without a VPN come from. */
export const FACTORY_NAT_ADDRESSES: readonly string[] = ['203.0.113.9', '203.0.113.17', '203.0.113.120'];
/** Public addresses of offices, home workers and partners. */
export const PUBLIC_SOURCE_ADDRESSES: readonly string[] = [
  ...FACTORY_NAT_ADDRESSES,
  '198.51.100.23',
  '198.51.100.140',
  '192.0.2.145',
  '81.2.69.160',
  '52.94.133.131',
];
/** Factory networks (10.x) first, then office VPN ranges. */
export const PRIVATE_SOURCE_PREFIXES: readonly string[] = ['10.20.', '10.31.', '172.20.', '192.168.10.'];
export const IPV6_SOURCE_PREFIXES: readonly string[] = ['2001:db8:1::', '2001:db8:9::'];

/** Device SDKs; the old Java 1.x client on a few legacy cameras is what the outdated-SDK rules look for. */
export const CAMERA_USER_AGENT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['aws-sdk-java/2.20.43 Linux/5.10.186 OpenJDK_64-Bit_Server_VM/17.0.6+10-LTS Java/17.0.6', 60],
  ['Boto3/1.34.62 Python/3.10.12 Linux/5.15.0-1034-nvidia Botocore/1.34.62', 37],
  ['aws-sdk-java/1.11.60 Windows_7/6.1 Java_HotSpot(TM)_Client_VM/25.45-b02/1.8.0_45', 3],
];
export const HUMAN_USER_AGENTS: readonly string[] = [
  'aws-cli/2.13.25 Python/3.11.5 Darwin/22.6.0 exe/x86_64 prompt/off command/lookoutvision',
  'aws-cli/2.15.10 Python/3.11.6 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/lookoutvision',
  'Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/macos#23.2.0 md/arch#arm64 lang/python#3.12.1 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.14',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
];

export const ERROR_WEIGHTS: readonly (readonly [{ readonly code: string; readonly message: string }, number])[] = [
  [{ code: 'ThrottlingException', message: 'Rate exceeded' }, 40],
  [{ code: 'AccessDenied', message: 'User is not authorized to perform this operation' }, 15],
  [{ code: 'AccessDeniedException', message: 'User is not authorized to perform: lookoutvision action on resource' }, 10],
  [{ code: 'ResourceNotFoundException', message: 'The specified resource does not exist' }, 15],
  [{ code: 'ValidationException', message: '1 validation error detected' }, 10],
  [{ code: 'ConflictException', message: 'The model is not in a state that allows this operation' }, 5],
  [{ code: 'ServiceQuotaExceededException', message: 'Inference unit quota exceeded' }, 3],
  [{ code: 'InternalServerException', message: 'Internal server error' }, 2],
];

/** Parameters for the built-in rules that have no defaults, so that every rule of the pack is active. */
export const BENCH_PARAMS: Readonly<Record<string, unknown>> = {
  allowedSourceCidrs: CORPORATE_RANGES.map((range) => range.cidr),
  allowedRegions: ['us-east-1', 'us-west-2', 'eu-west-1'],
  approvedPackagingBuckets: [...APPROVED_BUCKETS],
};
