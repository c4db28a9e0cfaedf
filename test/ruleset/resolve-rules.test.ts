import test from 'ava';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { resolveRules, type ParamValues } from '../../src/ruleset/index.js';
import type { Condition, ParamDeclaration, RuleDefinition } from '../../src/ruleset/rule.js';

/** A rule definition as the loader returns it; only what a test names differs. */
function definition(fields: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    id: 'lfv-resolve',
    title: 'A rule with parameters',
    description: 'Calls from outside the allowed ranges.',
    severity: 'MEDIUM',
    types: ['Unusual Behaviors/Network/Unexpected Source IP'],
    remediation: { text: 'Call from the allowed ranges.' },
    scope: { eventSource: ['lookoutvision.amazonaws.com'] },
    conditions: { all: [{ fact: 'sourceIPAddress', operator: 'notInCidr', value: { param: 'allowedSourceCidrs' } }] },
    groupBy: ['principal', 'project'],
    params: { allowedSourceCidrs: { type: 'cidr[]', description: 'Allowed ranges.' } },
    tests: [],
    file: '/rules/lfv-resolve.yaml',
    builtIn: false,
    ...fields,
  };
}

function resolvedValue(condition: Condition): unknown {
  return 'all' in condition && condition.all[0] !== undefined && 'value' in condition.all[0] ? condition.all[0].value : undefined;
}

function resolveOne(rule: RuleDefinition, params: ParamValues): { rule: ReturnType<typeof resolveRules>['rules'][number]; problems: string[] } {
  const { rules, diagnostics } = resolveRules([rule], params, { configFile: '/project/lfvaudit.yaml' });
  const [resolved] = rules;
  if (resolved === undefined) throw new Error('no rule resolved');
  return { rule: resolved, problems: diagnostics.map(formatDiagnostic) };
}

const WITH_DEFAULT: Readonly<Record<string, ParamDeclaration>> = {
  allowedSourceCidrs: { type: 'cidr[]', description: 'Allowed ranges.', default: ['10.0.0.0/8'] },
};

test('a rule without parameters resolves active and unchanged', (t) => {
  const rule = definition({ params: {}, conditions: { all: [{ fact: 'eventName', operator: 'equal', value: 'DeleteProject' }] } });
  const { rule: resolved, problems } = resolveOne(rule, {});
  t.deepEqual(problems, []);
  t.true(resolved.active);
  t.is(resolved.inactiveReason, undefined);
  t.deepEqual(resolved.conditions, rule.conditions);
});

test("a parameter's default is substituted when the config does not set it", (t) => {
  const { rule, problems } = resolveOne(definition({ params: WITH_DEFAULT }), {});
  t.deepEqual(problems, []);
  t.true(rule.active);
  t.deepEqual(resolvedValue(rule.conditions), ['10.0.0.0/8']);
});

test('a config value replaces the default', (t) => {
  const { rule } = resolveOne(definition({ params: WITH_DEFAULT }), { allowedSourceCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
  t.deepEqual(resolvedValue(rule.conditions), ['203.0.113.0/24', '2001:db8::/32']);
});

test('a scope eventName parameter is substituted into the scope', (t) => {
  const rule = definition({
    scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: { param: 'watched' } },
    params: { ...WITH_DEFAULT, watched: { type: 'string[]', description: 'Watched operations.', default: ['CreateDataset'] } },
  });
  t.deepEqual(resolveOne(rule, { watched: ['DeleteProject', 'DeleteModel'] }).rule.scope, {
    eventSource: ['lookoutvision.amazonaws.com'],
    eventName: ['DeleteProject', 'DeleteModel'],
  });
});

test('a parameter with no default that the config leaves unset makes the rule inactive, saying why', (t) => {
  const { rule, problems } = resolveOne(definition(), {});
  t.deepEqual(problems, []);
  t.false(rule.active);
  t.is(rule.inactiveReason, 'parameter allowedSourceCidrs is not set (no default, or an empty list)');
});

test('an empty list from the config makes the rule inactive', (t) => {
  const { rule } = resolveOne(definition({ params: WITH_DEFAULT }), { allowedSourceCidrs: [] });
  t.false(rule.active);
  t.is(rule.inactiveReason, 'parameter allowedSourceCidrs is not set (no default, or an empty list)');
});

test('a config value of the wrong type is an error naming params.NAME and the config file', (t) => {
  const { rule, problems } = resolveOne(definition({ params: WITH_DEFAULT }), { allowedSourceCidrs: '10.0.0.0/8' });
  t.deepEqual(problems, [
    '/project/lfvaudit.yaml: error param-type: params.allowedSourceCidrs must be a list of CIDR ranges (type cidr[]), not the string "10.0.0.0/8" (rule lfv-resolve declares it as cidr[])',
  ]);
  t.false(rule.active);
  t.is(rule.inactiveReason, 'parameter allowedSourceCidrs has an invalid value in the config');
});

test('every CIDR of a config list is validated', (t) => {
  const { problems } = resolveOne(definition(), { allowedSourceCidrs: ['10.0.0.0/8', '10.0.0.300/24', 'fd00::/129'] });
  t.deepEqual(problems, [
    "/project/lfvaudit.yaml: error invalid-cidr: params.allowedSourceCidrs[1] '10.0.0.300/24': '10.0.0.300' is not an IPv4 or IPv6 address (rule lfv-resolve declares it as cidr[])",
    "/project/lfvaudit.yaml: error invalid-cidr: params.allowedSourceCidrs[2] 'fd00::/129': an IPv6 prefix length is at most 128 (rule lfv-resolve declares it as cidr[])",
  ]);
});

test('the same mistake is reported once even when several rules read the parameter', (t) => {
  const { diagnostics } = resolveRules([definition(), definition({ id: 'lfv-resolve-2' })], { allowedSourceCidrs: 'x' }, { configFile: 'c.yaml' });
  t.is(diagnostics.length, 2);
  t.true(diagnostics.every((d) => d.code === 'param-type'));
});

test('a config parameter no rule reads is a warning with a did-you-mean', (t) => {
  const { problems } = resolveOne(definition({ params: WITH_DEFAULT }), { allowedSourceCidr: ['10.0.0.0/8'] });
  t.deepEqual(problems, [
    "/project/lfvaudit.yaml: warning unknown-param: params.allowedSourceCidr is not read by any loaded rule (did you mean 'allowedSourceCidrs'?); rules read: allowedSourceCidrs",
  ]);
});

test('a config pattern that RE2 cannot compile is an error, and the rule does not run', (t) => {
  const rule = definition({
    params: { agentPattern: { type: 'string', description: 'User agents.', default: '^aws-cli' } },
    conditions: { all: [{ fact: 'userAgent', operator: 'matches', value: { param: 'agentPattern' } }] },
  });
  const { rule: resolved, problems } = resolveOne(rule, { agentPattern: '^(?!aws-cli)' });
  t.deepEqual(problems, [
    '/project/lfvaudit.yaml: error invalid-regex: params.agentPattern: invalid RE2 pattern: error parsing regexp: invalid or unsupported Perl syntax: `(?!` (rule lfv-resolve, userAgent matches)',
  ]);
  t.false(resolved.active);
});

test('config event names for a Lookout for Vision scope must be operations', (t) => {
  const rule = definition({
    scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: { param: 'watched' } },
    params: { ...WITH_DEFAULT, watched: { type: 'string[]', description: 'Watched operations.', default: ['CreateDataset'] } },
  });
  const { rule: resolved, problems } = resolveOne(rule, { watched: ['CreateDatset'] });
  t.deepEqual(problems, [
    "/project/lfvaudit.yaml: error unknown-event-name: params.watched: 'CreateDatset' is not an event of lookoutvision.amazonaws.com (did you mean 'CreateDataset'?) (rule lfv-resolve)",
  ]);
  t.false(resolved.active);
});

test('a parameter named constructor is read from the config, never from Object.prototype', (t) => {
  const params: Record<string, ParamDeclaration> = Object.fromEntries([['constructor', { type: 'string[]', description: 'A badly named list.' }]]);
  const rule = definition({ params, conditions: { all: [{ fact: 'awsRegion', operator: 'in', value: { param: 'constructor' } }] } });
  const unset = resolveOne(rule, {});
  t.false(unset.rule.active);
  t.is(unset.rule.inactiveReason, 'parameter constructor is not set (no default, or an empty list)');
  t.deepEqual(resolvedValue(resolveOne(rule, JSON.parse('{"constructor": ["us-east-1"]}') as ParamValues).rule.conditions), ['us-east-1']);
});

test('rules keep their order', (t) => {
  const { rules } = resolveRules([definition({ id: 'b' }), definition({ id: 'a' })], {});
  t.deepEqual(
    rules.map((rule) => rule.id),
    ['b', 'a'],
  );
});
