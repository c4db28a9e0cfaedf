import { isIPv4, isIPv6 } from 'node:net';

/**
 * What a CloudTrail `sourceIPAddress` holds: an IPv4 or IPv6 address, the host name of the AWS
 * service that made the call (`lookoutvision.amazonaws.com`), or something else (`AWS Internal`).
 */
export interface SourceAddress {
  readonly kind: 'ipv4' | 'ipv6' | 'domain' | 'other';
  readonly value: string;
}

export function classifySourceAddress(value: string): SourceAddress {
  if (isIPv4(value)) return { kind: 'ipv4', value };
  if (isIPv6(value)) return { kind: 'ipv6', value };
  if (isHostName(value)) return { kind: 'domain', value };
  return { kind: 'other', value };
}

/** RFC 1123 host name with at least two labels and a top-level label that is not all digits (`08.1.2.3` is not a host). */
function isHostName(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  if (labels.length < 2) return false;
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
  return labels.every((part) => label.test(part)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}
