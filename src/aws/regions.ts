import { quoted } from '../shared/diagnostics.js';
import { didYouMean } from '../shared/did-you-mean.js';

/**
 * The AWS Regions of the partitions lfvaudit serves: aws, aws-cn and aws-us-gov. Copied from the AWS
 * SDK's endpoint rules (`partitions` in @aws-sdk/core 3.981, util-endpoints/lib/aws/partitions.js), left
 * out the `aws-global`-style pseudo-regions; refresh it from there when AWS opens a Region. The SDK
 * itself sends a request to any name that looks like a region (`us-east-99`), which then fails on DNS
 * or hangs: lfvaudit checks names against this list before any call.
 */
export const AWS_REGIONS: Readonly<Record<'aws' | 'aws-cn' | 'aws-us-gov', readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(AWS_REGIONS).flat());

/**
 * Undefined for a known Region; otherwise why the name is refused, with the closest known one:
 * `unknown AWS region 'us-east-99' (did you mean 'us-east-1'?)`.
 */
export function unknownRegionProblem(region: string): string | undefined {
  if (KNOWN_REGIONS.has(region)) return undefined;
  return `unknown AWS region ${quoted(region)}${didYouMean(region, KNOWN_REGIONS)}`;
}
