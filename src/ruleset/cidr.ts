import { BlockList, isIP } from 'node:net';

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly address: string;
  readonly family: IpFamily;
}

/**
 * The IP address a fact holds, or undefined. Strict: node's `isIP` refuses leading zeros (`08.1.2.3`),
 * spaces and host names (`AWS Internal`, `lookoutvision.amazonaws.com`, which CloudTrail writes in
 * sourceIPAddress for calls made by services). An IPv6 zone (`fe80::1%eth0`) is dropped.
 */
export function ipAddressOf(fact: unknown): IpAddress | undefined {
  if (typeof fact !== 'string') return undefined;
  const family = isIP(fact);
  if (family === 0) return undefined;
  if (family === 4) return { address: fact, family: 4 };
  const zone = fact.indexOf('%');
  return { address: zone === -1 ? fact : fact.slice(0, zone), family: 6 };
}

export type CidrParse =
  | { readonly ok: true; readonly address: string; readonly prefix: number; readonly family: IpFamily }
  | { readonly ok: false; readonly message: string };

const CIDR_SYNTAX = /^([^/%\s]+)\/(0|[1-9][0-9]{0,2})$/;

/** Parses `203.0.113.0/24` or `2001:db8::/32`. Host bits may be set; they are ignored, as everywhere. */
export function parseCidr(text: string): CidrParse {
  const match = CIDR_SYNTAX.exec(text);
  if (match === null) {
    const bare = isIP(text);
    if (bare !== 0) return { ok: false, message: `'${text}' is an address, not a range: write ${text}/${bare === 4 ? 32 : 128}` };
    return { ok: false, message: `'${text}' is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32` };
  }
  const address = match[1] ?? '';
  const prefix = Number(match[2]);
  const family = isIP(address);
  if (family === 0) return { ok: false, message: `'${text}': '${address}' is not an IPv4 or IPv6 address` };
  const maxPrefix = family === 4 ? 32 : 128;
  if (prefix > maxPrefix) return { ok: false, message: `'${text}': an IPv${family} prefix length is at most ${maxPrefix}` };
  return { ok: true, address, prefix, family: family === 4 ? 4 : 6 };
}

/**
 * A set of CIDR ranges, built once when a rule is loaded. Node's BlockList treats an IPv4-mapped IPv6
 * address (`::ffff:10.1.2.3`) as its IPv4 address, in both directions.
 *
 * The compiled ranges live in a closure, not in a property: json-rules-engine deep-clones each rule's
 * conditions, values included, on every run, and its cloner copies functions by reference.
 */
export interface CidrRanges {
  /** The ranges as written, for display and serialisation. */
  readonly cidrs: readonly string[];
  has(ip: IpAddress): boolean;
  toJSON(): readonly string[];
}

/** @throws Error when a range is invalid: check them with parseCidr first. */
export function cidrRanges(cidrs: readonly string[]): CidrRanges {
  const ranges = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new Error(parsed.message);
    ranges.addSubnet(parsed.address, parsed.prefix, parsed.family === 4 ? 'ipv4' : 'ipv6');
  }
  const written = Object.freeze([...cidrs]);
  return Object.freeze({
    cidrs: written,
    has: (ip: IpAddress) => ranges.check(ip.address, ip.family === 4 ? 'ipv4' : 'ipv6'),
    toJSON: () => written,
  });
}
