import type { Action, AwsApiCallAction } from '@aws-sdk/client-securityhub';
import type { FindingGroup } from '../grouping/finding-group.js';
import { compareStrings } from '../shared/bounded-collections.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { truncateText } from '../shared/fit-text.js';
import { classifySourceAddress } from './source-address.js';

/**
 * The finding's Action: the API called (the most frequent name when the group holds several) and,
 * when every event came from one address, where from: `remoteIp` with RemoteIpDetails for IPv4,
 * `remoteIp` alone for IPv6 (ASFF has no IPv6 field here; ProductFields carries it), `domain` with
 * DomainDetails for a service host name. `AWS Internal` and mixed sources name no caller type.
 */
export function apiCallActionOf(group: FindingGroup): Action {
  const call: AwsApiCallAction = {};
  const api = mostFrequent(group.eventNames.counts);
  if (api !== undefined) call.Api = truncateText(api, ASFF_LIMITS.apiLength);
  const [service] = group.eventSources.values;
  if (service !== undefined) call.ServiceName = service;

  const [onlyAddress] = group.sourceAddresses.values;
  if (onlyAddress !== undefined && group.sourceAddresses.values.length === 1 && !group.sourceAddresses.more) {
    const address = classifySourceAddress(onlyAddress);
    // The API reference spells the value `remoteip` in one place and `remoteIp` in another; lfvaudit uses `remoteIp`.
    if (address.kind === 'ipv4' || address.kind === 'ipv6') call.CallerType = 'remoteIp';
    if (address.kind === 'ipv4') call.RemoteIpDetails = { IpAddressV4: address.value };
    if (address.kind === 'domain' && address.value.length <= ASFF_LIMITS.domainLength) {
      call.CallerType = 'domain';
      call.DomainDetails = { Domain: address.value };
    }
  }
  if (group.firstEventTime !== undefined) call.FirstSeen = new Date(group.firstEventTime).toISOString();
  if (group.lastEventTime !== undefined) call.LastSeen = new Date(group.lastEventTime).toISOString();
  return { ActionType: 'AWS_API_CALL', AwsApiCallAction: call };
}

/** Highest count; ties go to the alphabetically first name, so the choice never depends on input order. */
function mostFrequent(counts: readonly (readonly [string, number])[]): string | undefined {
  let best: readonly [string, number] | undefined;
  for (const entry of counts) {
    if (best === undefined || entry[1] > best[1] || (entry[1] === best[1] && compareStrings(entry[0], best[0]) < 0)) best = entry;
  }
  return best?.[0];
}
