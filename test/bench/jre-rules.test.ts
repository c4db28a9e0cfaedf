import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { load } from 'js-yaml';
import { createPlainEngine } from '../../bench/jre-engine.js';
import { loadPlainRules, toPlainRule } from '../../bench/jre-rules.js';
import { generateRulePack, writeBenchConfig } from '../../bench/generate-rules.js';
import { tempFolder } from '../support/temp-folder.js';

type RuleYaml = { tests: { name: string; expect: 'match' | 'no-match'; event: Record<string, unknown> }[] } & Record<string, unknown>;

async function matches(rule: Record<string, unknown>, id: string, event: Record<string, unknown>, params: Record<string, unknown> = {}): Promise<boolean> {
  const plain = toPlainRule(rule, id, params);
  if ('reason' in plain) throw new Error(`${id}: ${plain.reason}`);
  const result = await createPlainEngine([plain]).run({ event });
  return result.events.length > 0;
}

test('every generated rule’s own tests hold under the plain json-rules-engine loop', async (t) => {
  const out = tempFolder(t, 'jre');
  generateRulePack({ outDir: out, builtInDir: join(out, 'none'), seed: 6, total: 100 });
  for (const name of readdirSync(out)) {
    const rule = load(readFileSync(join(out, name), 'utf8')) as RuleYaml;
    for (const ruleTest of rule.tests) {
      t.is(await matches(rule, name, ruleTest.event), ruleTest.expect === 'match', `${name}: ${ruleTest.name}`);
    }
  }
});

const ALLOWLIST = {
  scope: { eventSource: ['lookoutvision.amazonaws.com'] },
  params: { allowed: { type: 'cidr[]', description: 'ranges' } },
  conditions: { all: [{ fact: 'sourceIPAddress', operator: 'notInCidr', value: { param: 'allowed' } }] },
};
const CALL = { eventSource: 'lookoutvision.amazonaws.com', eventName: 'ListProjects' };

test('a parameter with neither a config value nor a default leaves the rule out as inactive', (t) => {
  t.deepEqual(toPlainRule(ALLOWLIST, 'allowlist', {}), { reason: 'parameter allowed is not set' });
});

test('the config’s parameter value is used in the condition', async (t) => {
  t.true(await matches(ALLOWLIST, 'allowlist', { ...CALL, sourceIPAddress: '198.51.100.7' }, { allowed: ['10.0.0.0/8'] }));
  t.false(await matches(ALLOWLIST, 'allowlist', { ...CALL, sourceIPAddress: '10.9.8.7' }, { allowed: ['10.0.0.0/8'] }));
});

test('a source address that is not an IP address is neither inside nor outside the ranges', async (t) => {
  const inside = { ...ALLOWLIST, conditions: { all: [{ fact: 'sourceIPAddress', operator: 'inCidr', value: ['10.0.0.0/8'] }] } };
  for (const address of ['AWS Internal', 'lookoutvision.amazonaws.com', '08.1.2.3']) {
    t.false(await matches(ALLOWLIST, 'allowlist', { ...CALL, sourceIPAddress: address }, { allowed: ['10.0.0.0/8'] }), address);
    t.false(await matches(inside, 'inside', { ...CALL, sourceIPAddress: address }), address);
  }
});

test('scope limits the rule to its event sources and names', async (t) => {
  const rule = {
    scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: ['DeleteModel'] },
    conditions: { all: [{ fact: 'userIdentity.type', operator: 'equal', value: 'Root' }] },
  };
  t.true(await matches(rule, 'scoped', { eventSource: 'lookoutvision.amazonaws.com', eventName: 'DeleteModel', userIdentity: { type: 'Root' } }));
  t.false(await matches(rule, 'scoped', { eventSource: 'lookoutvision.amazonaws.com', eventName: 'DescribeModel', userIdentity: { type: 'Root' } }));
  t.false(await matches(rule, 'scoped', { eventSource: 's3.amazonaws.com', eventName: 'DeleteModel', userIdentity: { type: 'Root' } }));
});

test('a fact path reads own fields only, never inherited ones', async (t) => {
  const rule = {
    scope: { eventSource: ['lookoutvision.amazonaws.com'] },
    conditions: { all: [{ fact: 'userIdentity.constructor', operator: 'exists', value: true }] },
  };
  t.false(await matches(rule, 'inherited', { ...CALL, userIdentity: { type: 'Root' } }));
});

test('the rules a bench config selects load with its parameters, and --only narrows them', (t) => {
  const root = tempFolder(t, 'jre');
  const rulesDir = join(root, 'rules');
  const pack = generateRulePack({ outDir: rulesDir, builtInDir: join(root, 'none'), seed: 6, total: 12 });
  writeFileSync(join(rulesDir, 'needs-param.yaml'), JSON.stringify({ id: 'needs-param', ...ALLOWLIST }));
  writeBenchConfig(join(root, 'bench-config.yaml'), rulesDir);
  const all = loadPlainRules(join(root, 'bench-config.yaml'));
  t.is(all.rules.length, 12);
  t.deepEqual(all.inactive, [{ id: 'needs-param', reason: 'parameter allowed is not set' }]);
  const three = loadPlainRules(join(root, 'bench-config.yaml'), new Set(pack.generatedIds.slice(0, 3)));
  t.deepEqual(three.rules.map((rule) => rule.name).sort(), pack.generatedIds.slice(0, 3).sort());
});
