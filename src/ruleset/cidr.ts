import { BlockList, isIP } from 'node:net';
import { quoted } from '../shared/diagnostics.js';

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
  { readonly ok: true; readonly address: string; readonly prefix: number; readonly family: IpFamily } | { readonly ok: false; readonly message: string };

const CIDR_SYNTAX = /^([^/%\s]+)\/(0|[1-9][0-9]{0,2})$/;

/** Parses `203.0.113.0/24` or `2001:db8::/32`. Host bits may be set; they are ignored, as everywhere. */
export function parseCidr(text: string): CidrParse {
  const match = CIDR_SYNTAX.exec(text);
  if (match === null) {
    const bare = isIP(text);
    if (bare !== 0) return { ok: false, message: `'${text}' is an address, not a range: write ${text}/${bare === 4 ? 32 : 128}` };
    return { ok: false, message: `${quoted(text)} is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32` };
  }
  const address = match[1] ?? '';
  const prefix = Number(match[2]);
  const family = isIP(address);
  if (family === 0) return { ok: false, message: `${quoted(text)}: ${quoted(address)} is not an IPv4 or IPv6 address` };
  const maxPrefix = family === 4 ? 32 : 128;
  if (prefix > maxPrefix) return { ok: false, message: `'${text}': an IPv${family} prefix length is at most ${maxPrefix}` };
  return { ok: true, address, prefix, family: family === 4 ? 4 : 6 };
}

/**
 * A set of CIDR ranges, built once when a rule is loaded.
 *
 * An IPv4 address and its IPv4-mapped IPv6 form (`::ffff:10.1.2.3`, `::ffff:a01:203`) are the same
 * host: both are checked against the IPv4 ranges, and a range written in mapped form with a prefix of
 * at least 96 (`::ffff:10.0.0.0/104`) is the IPv4 range it maps (`10.0.0.0/8`). Any other IPv6 range
 * holds IPv6 addresses only: `::/0` is every IPv6 address, as in AWS security groups, not every address
 * (node's BlockList alone would put every IPv4 address inside it, through the mapped form).
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
  const ipv4 = new BlockList();
  const ipv6 = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new Error(parsed.message);
    const mapped = parsed.family === 6 && parsed.prefix >= MAPPED_PREFIX ? mappedIpv4Of(parsed.address) : undefined;
    if (mapped !== undefined) ipv4.addSubnet(mapped, parsed.prefix - MAPPED_PREFIX, 'ipv4');
    else if (parsed.family === 4) ipv4.addSubnet(parsed.address, parsed.prefix, 'ipv4');
    else ipv6.addSubnet(parsed.address, parsed.prefix, 'ipv6');
  }
  const written = Object.freeze([...cidrs]);
  return Object.freeze({
    cidrs: written,
    has: (ip: IpAddress) => {
      const asIpv4 = ip.family === 4 ? ip.address : mappedIpv4Of(ip.address);
      return asIpv4 === undefined ? ipv6.check(ip.address, 'ipv6') : ipv4.check(asIpv4, 'ipv4');
    },
    toJSON: () => written,
  });
}

/** IPv4-mapped IPv6 addresses are `::ffff:0:0/96`: the IPv4 address is the last 32 bits. */
const MAPPED_PREFIX = 96;
const MAPPED_BLOCK = new BlockList();
MAPPED_BLOCK.addSubnet('::ffff:0:0', MAPPED_PREFIX, 'ipv6');

/** The IPv4 address an IPv4-mapped IPv6 address (valid, without a zone) stands for; undefined for any other address. */
function mappedIpv4Of(address: string): string | undefined {
  if (!MAPPED_BLOCK.check(address, 'ipv6')) return undefined;
  const groups = ipv6Groups(address);
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and a trailing dotted quad read as two groups. */
function ipv6Groups(address: string): number[] {
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = quad === null ? address : `${address.slice(0, quad.index)}${hexGroup(quad[1], quad[2])}:${hexGroup(quad[3], quad[4])}`;
  const [head = '', tail] = text.split('::');
  const groupsOf = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const first = groupsOf(head);
  const last = groupsOf(tail);
  return tail === undefined ? first : [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

function hexGroup(high: string | undefined, low: string | undefined): string {
  return ((Number(high) << 8) | Number(low)).toString(16);
}
