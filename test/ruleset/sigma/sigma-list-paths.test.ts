import test from 'ava';
import type { Condition } from '../../../src/ruleset/rule.js';
import { callerRecord } from './sigma-rule-events.js';
import { loadSigmaRule, loadSigmaText, sigmaMatches, sigmaRuleText } from './sigma-fixture.js';

/**
 * A Sigma field path reaches values through lists, as Sigma backends over JSON documents read a dotted
 * field (Elasticsearch's multi-valued fields): a comparison holds when some value reached matches. Every
 * verdict comes from both evaluators (sigmaMatches throws when they disagree).
 */

const rule = (lines: readonly string[]): ReturnType<typeof loadSigmaRule> => loadSigmaRule([...lines, 'condition: selection'].join('\n'));

/** A RegisterTaskDefinition record whose requestParameters hold these container definitions. */
function containers(...definitions: readonly unknown[]): ReturnType<typeof callerRecord> {
  return callerRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { requestParameters: { family: 'web', containerDefinitions: definitions } });
}

test('plain values, contains, startswith and endswith reach values in lists of objects, at any depth', async (t) => {
  const value = await rule(['selection:', '    requestParameters.containerDefinitions.environment.value|contains: 169.254.170.2']);
  const web = { name: 'web', environment: [{ name: 'MODE', value: 'prod' }] };
  const agent = {
    name: 'agent',
    environment: [
      { name: 'MODE', value: 'prod' },
      { name: 'CREDS', value: 'http://169.254.170.2/v2/credentials' },
    ],
  };
  t.true(await sigmaMatches(value, containers(web, agent)));
  t.false(await sigmaMatches(value, containers(web, { name: 'agent', environment: [{ name: 'CREDS', value: 'http://10.0.0.1/' }] })));
  // The address under another key of the element is not the field's value.
  t.false(await sigmaMatches(value, containers(web, { name: 'agent', environment: [{ name: 'http://169.254.170.2/', value: 'x' }] })));
  // An object where a list may be is its only element.
  t.true(await sigmaMatches(value, containers({ name: 'one', environment: { name: 'CREDS', value: '169.254.170.2' } })));
  const name = await rule(['selection:', '    requestParameters.containerDefinitions.name|startswith: AGE']);
  t.true(await sigmaMatches(name, containers(web, agent)));
  t.false(await sigmaMatches(name, containers(web)));
});

test('a list the record shape documents is read through too, with no unknown-field warning', async (t) => {
  const loaded = await loadSigmaText(sigmaRuleText(['selection:', '    resources.type: AWS::KMS::Key', 'condition: selection'].join('\n')));
  t.deepEqual(loaded.diagnostics, []);
  const kms = await rule(['selection:', '    resources.type: AWS::KMS::Key']);
  t.true(await sigmaMatches(kms, callerRecord('kms.amazonaws.com', 'X', { resources: [{ type: 'AWS::IAM::Role' }, { type: 'aws::kms::key' }] })));
  t.false(await sigmaMatches(kms, callerRecord('kms.amazonaws.com', 'X', { resources: [{ type: 'AWS::IAM::Role' }] })));
  t.false(await sigmaMatches(kms, callerRecord('kms.amazonaws.com', 'X')));
});

test('re, cidr and the numeric modifiers hold when some value reached through lists holds them', async (t) => {
  const pattern = await rule(['selection:', "    requestParameters.containerDefinitions.command|re: '^curl .*AWS_CONTAINER'"]);
  t.true(await sigmaMatches(pattern, containers({ command: ['sh'] }, { command: ['sh', 'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] })));
  t.false(await sigmaMatches(pattern, containers({ command: ['sh', 'echo curl $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] })));
  const range = await rule(['selection:', "    requestParameters.ipPermissions.items.ipRanges.items.cidrIp|cidr: '0.0.0.0/8'"]);
  const permissions = (...cidrs: readonly string[]): ReturnType<typeof callerRecord> =>
    callerRecord('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
      requestParameters: { ipPermissions: { items: [{ ipProtocol: 'tcp', ipRanges: { items: cidrs.map((cidrIp) => ({ cidrIp })) } }] } },
    });
  t.true(await sigmaMatches(range, permissions('10.0.0.0', '0.0.0.0')));
  t.false(await sigmaMatches(range, permissions('10.0.0.0')));
  const ports = await rule(['selection:', '    requestParameters.containerDefinitions.portMappings.containerPort|lt: 1024']);
  t.true(
    await sigmaMatches(ports, containers({ portMappings: [{ containerPort: 8080 }] }, { portMappings: [{ containerPort: 8443 }, { containerPort: 22 }] })),
  );
  t.false(await sigmaMatches(ports, containers({ portMappings: [{ containerPort: 8080 }] })));
  // A value that is itself a list is compared element by element.
  const layers = await rule(['selection:', "    requestParameters.layers|re: ':layer:evil'"]);
  t.true(
    await sigmaMatches(
      layers,
      callerRecord('lambda.amazonaws.com', 'X', { requestParameters: { layers: ['arn:aws:lambda:x:1:layer:ok:1', 'arn:aws:lambda:x:1:layer:evil:2'] } }),
    ),
  );
});

test('all needs each value matched by some value reached, in the same element or in different ones', async (t) => {
  const both = await rule(['selection:', '    requestParameters.containerDefinitions.command|contains|all: [curl, AWS_CONTAINER_CREDENTIALS]']);
  t.true(await sigmaMatches(both, containers({ command: ['curl $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] })));
  t.true(await sigmaMatches(both, containers({ command: ['curl http://x'] }, { command: ['echo $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] })));
  t.false(await sigmaMatches(both, containers({ command: ['curl http://x'] }, { command: ['wget'] })));
});

test('null and exists: false hold when the path reaches no value that is present and not null', async (t) => {
  const none = await rule(['selection:', '    requestParameters.containerDefinitions.command: null']);
  const absent = await rule(['selection:', '    requestParameters.containerDefinitions.command|exists: false']);
  const present = await rule(['selection:', '    requestParameters.containerDefinitions.command|exists: true']);
  const noValue = [
    callerRecord('ecs.amazonaws.com', 'RegisterTaskDefinition'),
    containers(),
    containers({ name: 'web' }, { name: 'agent', command: null }),
    containers({ name: 'web', command: [] }),
    containers({ name: 'web', command: [null] }),
  ];
  for (const [index, record] of noValue.entries()) {
    t.true(await sigmaMatches(none, record), `null, record ${index}`);
    t.true(await sigmaMatches(absent, record), `exists: false, record ${index}`);
    t.false(await sigmaMatches(present, record), `exists: true, record ${index}`);
  }
  const oneValue = containers({ name: 'web' }, { name: 'agent', command: ['sh'] });
  t.false(await sigmaMatches(none, oneValue));
  t.false(await sigmaMatches(absent, oneValue));
  t.true(await sigmaMatches(present, oneValue));
  // A value and null in one list of values: either holds.
  const valueOrNone = await rule(['selection:', '    requestParameters.containerDefinitions.command: [null, sh]']);
  t.true(await sigmaMatches(valueOrNone, oneValue));
  t.true(await sigmaMatches(valueOrNone, containers({ name: 'web' })));
  t.false(await sigmaMatches(valueOrNone, containers({ name: 'web', command: ['bash'] })));
});

test('not negates "some value reached matches": true when no element matches, when the list is empty and when the field is absent', async (t) => {
  const notCurl = await loadSigmaRule(
    [
      'selection:',
      '    eventName: RegisterTaskDefinition',
      'curl:',
      '    requestParameters.containerDefinitions.command|contains: curl',
      'condition: selection and not curl',
    ].join('\n'),
  );
  t.false(await sigmaMatches(notCurl, containers({ command: ['sh'] }, { command: ['curl x'] })));
  t.true(await sigmaMatches(notCurl, containers({ command: ['sh'] }, { command: ['wget x'] })));
  t.true(await sigmaMatches(notCurl, containers()));
  t.true(await sigmaMatches(notCurl, callerRecord('ecs.amazonaws.com', 'RegisterTaskDefinition')));
});

test('keywords search the values in lists at any depth', async (t) => {
  const keywords = await loadSigmaRule(['keywords:', '    - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'condition: keywords'].join('\n'));
  t.true(await sigmaMatches(keywords, containers({ command: ['sh'] }, { command: ['curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] })));
  t.false(await sigmaMatches(keywords, containers({ command: ['sh'] })));
});

test('fieldref compares the two fields ignoring case, as Sigma compares strings', async (t) => {
  const same = await rule(['selection:', '    userIdentity.userName|fieldref: requestParameters.userName']);
  t.true(await sigmaMatches(same, callerRecord('iam.amazonaws.com', 'UpdateLoginProfile', { requestParameters: { userName: 'ALICE' } })));
  t.false(await sigmaMatches(same, callerRecord('iam.amazonaws.com', 'UpdateLoginProfile', { requestParameters: { userName: 'bob' } })));
  t.false(await sigmaMatches(same, callerRecord('iam.amazonaws.com', 'UpdateLoginProfile')));
  // A list value compares by each of its values.
  t.true(await sigmaMatches(same, callerRecord('iam.amazonaws.com', 'X', { requestParameters: { userName: ['bob', 'Alice'] } })));
});

test('fieldref through a documented list is an error at its position, since the other field is read from the record', async (t) => {
  const loaded = await loadSigmaText(sigmaRuleText(['selection:', '    userIdentity.arn|fieldref: resources.ARN', 'condition: selection'].join('\n')));
  t.is(loaded.definitions.length, 0);
  t.like(loaded.diagnostics[0], { severity: 'error', code: 'sigma-unsupported', line: 17, column: 36 });
  t.regex(loaded.diagnostics[0]?.message ?? '', /fieldref.*through the elements of the list resources/);
});

test('a field path that crosses no list stays one comparison: no element condition around documented fields or one step below a free-form field', async (t) => {
  const simple = await rule([
    'selection:',
    '    eventName: RegisterTaskDefinition',
    '    userIdentity.sessionContext.sessionIssuer.type: Role',
    '    requestParameters.family|startswith: web',
    '    errorCode: null',
  ]);
  const leaves = (simple.conditions as { all: readonly Condition[] }).all;
  t.deepEqual(
    leaves.map((condition) => ('operator' in condition ? `${condition.fact} ${condition.operator}` : 'element condition')),
    [
      'eventName matchesWildcard',
      'userIdentity.sessionContext.sessionIssuer.type matchesWildcard',
      'requestParameters.family matchesWildcard',
      'errorCode exists',
    ],
  );
  const deep = await rule(['selection:', '    requestParameters.containerDefinitions.command|contains: curl']);
  t.like(deep.conditions, {
    fact: 'requestParameters.containerDefinitions',
    quantifier: 'anyElement',
    element: { fact: 'command', operator: 'matchesWildcard' },
  });
});

test('a field the record shape does not document inside the elements of a list is a warning with a did-you-mean', async (t) => {
  const loaded = await loadSigmaText(sigmaRuleText(['selection:', '    resources.typ: AWS::KMS::Key', 'condition: selection'].join('\n')));
  t.is(loaded.definitions.length, 1);
  t.like(loaded.diagnostics[0], { severity: 'warning', code: 'unknown-fact', line: 17 });
  t.regex(loaded.diagnostics[0]?.message ?? '', /unknown field 'typ' in an element of resources \(did you mean 'type'\?\).*never holds/);
});
