import type { Resource } from '@aws-sdk/client-securityhub';
import type { FindingGroup } from '../grouping/finding-group.js';
import { MISSING_KEY_VALUE } from '../grouping/group-key.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { partitionOf } from '../grouping/record-resources.js';

/** Callers always keep this many of the 32 slots when there are more resources than fit. */
const CALLER_SLOTS = 8;

/**
 * The longest resource id kept: 2048 characters, the longest ARN IAM allows. Ids are built from event
 * data (a project name, a caller ARN), and a cut-off id would name another resource, so a longer one
 * is left out; without the cap, 32 of them could push a finding past its 240 KB.
 */
const RESOURCE_ID_MAX_LENGTH = 2048;

/**
 * The finding's Resources: the Lookout for Vision projects and models first (what was acted on), then
 * the callers (`AwsIamRole`, `AwsIamUser` or `Other`), at most 32 in all. There is no Lookout for Vision
 * resource type, so its ARNs are `Other`. A group that names neither (a call without a project by an
 * unidentified caller) gets its account, since a finding needs at least one resource.
 */
export function asffResourcesOf(group: FindingGroup): Resource[] {
  const max = ASFF_LIMITS.resources.max;
  const targets = group.resources.values.filter((arn) => arn.length <= RESOURCE_ID_MAX_LENGTH);
  const callers = group.callers.values.filter((caller) => caller.id.length <= RESOURCE_ID_MAX_LENGTH);
  const callerCount = Math.min(callers.length, Math.max(CALLER_SLOTS, max - targets.length), max);
  const chosen = [...targets.slice(0, max - callerCount).map((arn) => ({ type: 'Other', id: arn })), ...callers.slice(0, callerCount)];
  if (chosen.length === 0) {
    chosen.push(/^\d{12}$/.test(group.account) ? { type: 'AwsAccount', id: `AWS::::Account:${group.account}` } : { type: 'Other', id: 'unknown' });
  }
  const region = group.region === MISSING_KEY_VALUE ? undefined : group.region;
  return chosen.map(({ type, id }) => ({
    Type: type,
    Id: id,
    Partition: partitionOf(region ?? ''),
    ...(region === undefined ? {} : { Region: region }),
  }));
}
