import { unknownRegionProblem } from '../aws/regions.js';
import { UsageError } from './usage-error.js';

/** A Region named on the command line (`--region`, `--source cloudtrail:R`, `--sink securityhub:R`): a made-up one is a usage error. */
export function checkRegionArgument(flag: string, region: string): string {
  const problem = unknownRegionProblem(region);
  if (problem !== undefined) throw new UsageError(`${flag}: ${problem}`);
  return region;
}

/**
 * AWS_REGION, which the SDK would use for any client not given a Region: a made-up one is refused
 * before any call, as a flag's would be. Checked only by commands about to call AWS.
 */
export function checkRegionEnvironment(env: Readonly<Record<string, string | undefined>>): void {
  const region = env['AWS_REGION'];
  if (region === undefined || region === '') return;
  const problem = unknownRegionProblem(region);
  if (problem !== undefined) throw new UsageError(`AWS_REGION in the environment: ${problem}`);
}
