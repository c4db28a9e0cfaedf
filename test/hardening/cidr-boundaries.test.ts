import test from 'ava';
import { evaluatorFor, EVALUATOR_ENGINES, type EvaluatorEngine } from '../../src/evaluate/evaluator-engine.js';
import { loadRuleDefinitions, resolveRules } from '../../src/ruleset/index.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

// The edges of every range: its first and last address, the first address past each end, /0, /32 and
// /128, prefixes that split an octet or a group, and IPv4-mapped IPv6 in both directions. A range that
// came out one bit longer (a /8 read as /9) or shorter loses its upper half or gains its neighbour,
// and one of these addresses says so; in-range addresses in the lower half alone never could.

interface RangeCase {
  /** What the case is about, for its test title. */
  readonly about: string;
  readonly ranges: readonly string[];
  readonly inside: readonly string[];
  readonly outside: readonly string[];
}

const CASES: readonly RangeCase[] = [
  {
    about: 'an IPv4 /8',
    ranges: ['10.0.0.0/8'],
    inside: ['10.0.0.0', '10.127.255.255', '10.128.0.0', '10.255.255.255'],
    outside: ['9.255.255.255', '11.0.0.0'],
  },
  // Host bits set in the written range are ignored.
  { about: 'an IPv4 /8 written with host bits', ranges: ['10.7.7.7/8'], inside: ['10.0.0.0', '10.255.255.255'], outside: ['9.255.255.255', '11.0.0.0'] },
  { about: 'an IPv4 /23 (splits an octet)', ranges: ['192.168.2.0/23'], inside: ['192.168.2.0', '192.168.3.255'], outside: ['192.168.1.255', '192.168.4.0'] },
  { about: 'an IPv4 /31', ranges: ['203.0.113.6/31'], inside: ['203.0.113.6', '203.0.113.7'], outside: ['203.0.113.5', '203.0.113.8'] },
  { about: 'an IPv4 /32', ranges: ['203.0.113.5/32'], inside: ['203.0.113.5', '::ffff:203.0.113.5'], outside: ['203.0.113.4', '203.0.113.6'] },
  { about: 'an IPv4 /1', ranges: ['128.0.0.0/1'], inside: ['128.0.0.0', '255.255.255.255'], outside: ['127.255.255.255', '0.0.0.0'] },
  // Every IPv4 address, and no IPv6 address but the IPv4-mapped ones.
  {
    about: 'the IPv4 /0',
    ranges: ['0.0.0.0/0'],
    inside: ['0.0.0.0', '127.255.255.255', '128.0.0.0', '255.255.255.255', '::ffff:203.0.113.9'],
    outside: ['2001:db8::1', '::1', '::'],
  },
  {
    about: 'an IPv6 /32',
    ranges: ['2001:db8::/32'],
    inside: ['2001:db8::', '2001:db8:7fff:ffff:ffff:ffff:ffff:ffff', '2001:db8:8000::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    outside: ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9::'],
  },
  {
    about: 'an IPv6 /65 (splits a group)',
    ranges: ['2001:db8:0:1::/65'],
    inside: ['2001:db8:0:1::', '2001:db8:0:1:7fff:ffff:ffff:ffff'],
    outside: ['2001:db8:0:0:ffff:ffff:ffff:ffff', '2001:db8:0:1:8000::'],
  },
  { about: 'an IPv6 /127', ranges: ['2001:db8::a/127'], inside: ['2001:db8::a', '2001:db8::b'], outside: ['2001:db8::9', '2001:db8::c'] },
  { about: 'an IPv6 /128', ranges: ['2001:db8::7/128'], inside: ['2001:db8::7', '2001:db8:0:0:0:0:0:7'], outside: ['2001:db8::6', '2001:db8::8'] },
  // Every IPv6 address, as in AWS security groups, but no IPv4 address: IPv4 has its own /0.
  {
    about: 'the IPv6 /0',
    ranges: ['::/0'],
    inside: ['::', '::1', '2001:db8::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    outside: ['0.0.0.0', '203.0.113.9', '255.255.255.255', '::ffff:203.0.113.9'],
  },
  { about: 'an IPv6 /1', ranges: ['::/1'], inside: ['::', '7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], outside: ['8000::', '11.1.2.3'] },
  {
    about: 'an IPv6 /10, with a zone',
    ranges: ['fe80::/10'],
    inside: ['fe80::', 'fe80::1%eth0', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    outside: ['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fec0::'],
  },
  // An IPv4-mapped IPv6 address is its IPv4 address, in any of its spellings.
  {
    about: 'IPv4-mapped addresses against an IPv4 /8',
    ranges: ['10.0.0.0/8'],
    inside: ['::ffff:10.0.0.0', '::ffff:10.255.255.255', '::ffff:a00:0', '::FFFF:AFF:FFFF', '0:0:0:0:0:ffff:a80:1', '0:0:0:0:0:ffff:10.128.0.1'],
    outside: ['::ffff:9.255.255.255', '::ffff:11.0.0.0', '::ffff:b00:0', '::10.0.0.1', '::a00:1'],
  },
  // A range written in mapped form is the IPv4 range it maps.
  {
    about: 'a /104 written in IPv4-mapped form',
    ranges: ['::ffff:10.0.0.0/104'],
    inside: ['10.0.0.0', '10.255.255.255', '::ffff:10.255.255.255'],
    outside: ['9.255.255.255', '11.0.0.0', '::ffff:11.0.0.0'],
  },
  {
    about: 'the whole IPv4-mapped block, /96',
    ranges: ['::ffff:0:0/96'],
    inside: ['0.0.0.0', '255.255.255.255', '::ffff:0:0', '::ffff:ffff:ffff'],
    outside: ['::fffe:ffff:ffff', '::1:0:0:0', '2001:db8::1'],
  },
  { about: 'a mapped /128', ranges: ['::ffff:203.0.113.5/128'], inside: ['203.0.113.5'], outside: ['203.0.113.4', '203.0.113.6'] },
  {
    about: 'an IPv4 and an IPv6 range together',
    ranges: ['10.0.0.0/8', '2001:db8::/32'],
    inside: ['10.255.255.255', '2001:db8:ffff::'],
    outside: ['11.0.0.0', '2001:db9::'],
  },
];

/** Whether each engine finds `address` inside and outside `ranges`, as [inCidr, notInCidr]. */
async function verdicts(engine: EvaluatorEngine, ranges: readonly string[], address: string): Promise<[boolean, boolean]> {
  const inside = testRule({ id: 'in-range', conditions: { all: [{ fact: 'sourceIPAddress', operator: 'inCidr', value: [...ranges] }] } });
  const outside = testRule({ id: 'out-of-range', conditions: { all: [{ fact: 'sourceIPAddress', operator: 'notInCidr', value: [...ranges] }] } });
  const matched = (await evaluatorFor(engine, [inside, outside]).matchingRules(lfvRecord({ sourceIPAddress: address }))).map((rule) => rule.id);
  return [matched.includes('in-range'), matched.includes('out-of-range')];
}

for (const engine of EVALUATOR_ENGINES) {
  for (const { about, ranges, inside, outside } of CASES) {
    test(`${engine} engine: inCidr and notInCidr at the edges of ${about} (${ranges.join(', ')})`, async (t) => {
      for (const address of inside) t.deepEqual(await verdicts(engine, ranges, address), [true, false], `${address} is inside ${ranges.join(', ')}`);
      for (const address of outside) t.deepEqual(await verdicts(engine, ranges, address), [false, true], `${address} is outside ${ranges.join(', ')}`);
    });
  }
}

async function allowlistRule(allowedSourceCidrs: readonly string[]): Promise<ResolvedRule> {
  const { definitions } = await loadRuleDefinitions({ builtIn: true, paths: [] });
  const { rules } = resolveRules(
    definitions.filter((definition) => definition.id === 'lfv-source-ip-allowlist'),
    { allowedSourceCidrs: [...allowedSourceCidrs] },
  );
  const [rule] = rules;
  if (rule?.active !== true) throw new Error('lfv-source-ip-allowlist did not resolve to an active rule');
  return rule;
}

for (const engine of EVALUATOR_ENGINES) {
  test(`${engine} engine: lfv-source-ip-allowlist matches exactly the calls from outside the approved ranges, at their edges`, async (t) => {
    for (const { ranges, inside, outside } of CASES) {
      const rule = await allowlistRule(ranges);
      const evaluator = evaluatorFor(engine, [rule]);
      const matches = async (address: string): Promise<boolean> => (await evaluator.matchingRules(lfvRecord({ sourceIPAddress: address }))).length === 1;
      for (const address of inside) t.false(await matches(address), `${address} is approved by ${ranges.join(', ')}`);
      for (const address of outside) t.true(await matches(address), `${address} is not approved by ${ranges.join(', ')}`);
    }
  });
}
