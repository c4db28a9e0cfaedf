import { BlockList, isIP } from 'node:net';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { RE2JS } from 're2js';

/**
 * json-rules-engine set up the way a developer would for CloudTrail records: one fact `event` holding the
 * record, a plain dot-path resolver (several times faster than the default JSONPath), and the rule language's
 * extra operators registered with `addOperator`. This is the benchmark's baseline, not lfvaudit's evaluator.
 */
export function createPlainEngine(rules: readonly RuleProperties[]): Engine {
  const engine = new Engine([], { pathResolver: dotPath });
  const patterns = new Map<string, RE2JS>();
  const ranges = new WeakMap<object, BlockList>();
  engine.addOperator('startsWith', (fact: unknown, value: unknown) => someText(fact, value, (text, part) => text.startsWith(part)));
  engine.addOperator('endsWith', (fact: unknown, value: unknown) => someText(fact, value, (text, part) => text.endsWith(part)));
  engine.addOperator('stringContains', (fact: unknown, value: unknown) => someText(fact, value, (text, part) => text.includes(part)));
  engine.addOperator('matches', (fact: unknown, value: unknown) => {
    if (typeof fact !== 'string' || typeof value !== 'string') return false;
    let pattern = patterns.get(value);
    if (pattern === undefined) {
      pattern = RE2JS.compile(value);
      patterns.set(value, pattern);
    }
    return pattern.matcher(fact).find();
  });
  const inRanges = (fact: unknown, value: unknown): boolean | undefined => {
    const family = typeof fact === 'string' ? isIP(fact) : 0;
    if (family === 0 || !Array.isArray(value)) return undefined;
    let list = ranges.get(value);
    if (list === undefined) {
      list = blockListOf(value);
      ranges.set(value, list);
    }
    return list.check(fact as string, family === 4 ? 'ipv4' : 'ipv6');
  };
  // a fact that is not an IP address is false for both, as docs/rules.md specifies
  engine.addOperator('inCidr', (fact: unknown, value: unknown) => inRanges(fact, value) === true);
  engine.addOperator('notInCidr', (fact: unknown, value: unknown) => inRanges(fact, value) === false);
  engine.addOperator('isIpAddress', (fact: unknown, value: unknown) => (typeof fact === 'string' && isIP(fact) !== 0) === value);
  engine.addOperator('exists', (fact: unknown, value: unknown) => (fact !== undefined && fact !== null) === value);
  for (const rule of rules) engine.addRule(rule);
  return engine;
}

/** `userIdentity.sessionContext.attributes.mfaAuthenticated` → that field, reading own properties only. */
export function dotPath(value: object, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function someText(fact: unknown, value: unknown, test: (text: string, part: string) => boolean): boolean {
  if (typeof fact !== 'string') return false;
  if (typeof value === 'string') return test(fact, value);
  return Array.isArray(value) && value.some((part) => typeof part === 'string' && test(fact, part));
}

function blockListOf(cidrs: readonly unknown[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    if (typeof cidr !== 'string') continue;
    const [network = '', prefix = ''] = cidr.split('/');
    const family = isIP(network);
    if (family === 0) continue;
    list.addSubnet(network, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}
