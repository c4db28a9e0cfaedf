import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { dump } from 'js-yaml';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { tempFolder } from '../support/temp-folder.js';

/** A valid rule; each test changes one thing and expects exactly the problems that change causes. */
const BASE_RULE = {
  id: 'lfv-check',
  title: 'A rule to check the validator',
  description: 'Deletes of Lookout for Vision projects.',
  severity: 'LOW',
  types: ['Software and Configuration Checks/Industry and Regulatory Standards/Fixture'],
  remediation: { text: 'Nothing to do.' },
  scope: { eventSource: ['lookoutvision.amazonaws.com'] },
  conditions: { all: [{ fact: 'eventName', operator: 'equal', value: 'DeleteProject' }] },
  tests: [
    { name: 'a delete', expect: 'match', event: { eventSource: 'lookoutvision.amazonaws.com', eventName: 'DeleteProject' } },
    { name: 'a create', expect: 'no-match', event: { eventSource: 'lookoutvision.amazonaws.com', eventName: 'CreateProject' } },
  ],
};

type RuleChanges = Readonly<Record<string, unknown>>;

/** `severity code: message` for each problem of the base rule with `changes` applied (undefined removes a key). */
async function problemsOf(t: ExecutionContext, changes: RuleChanges, fileName = 'lfv-check.yaml'): Promise<string[]> {
  const rule: Record<string, unknown> = { ...BASE_RULE };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete rule[key];
    else Object.defineProperty(rule, key, { value, enumerable: true, writable: true, configurable: true });
  }
  const folder = tempFolder(t, 'validation');
  await writeFile(join(folder, fileName), dump(rule));
  const { diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  return diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`);
}

function comparison(fact: string, operator: string, value: unknown): RuleChanges {
  return { conditions: { all: [{ fact, operator, value }] } };
}

test('the base rule is valid', async (t) => {
  t.deepEqual(await problemsOf(t, {}), []);
});

test('the id must equal the file name', async (t) => {
  t.deepEqual(await problemsOf(t, {}, 'lfv-other.yaml'), ["error id-mismatch: id 'lfv-check' must equal the file name without its extension: 'lfv-other'"]);
});

test('a missing required key is named', async (t) => {
  t.deepEqual(await problemsOf(t, { conditions: undefined }), ["error missing-key: missing required key 'conditions'"]);
});

test('a wrong type is named with the expected type', async (t) => {
  t.deepEqual(await problemsOf(t, { title: 5, types: 'Effects/Data Exposure' }), [
    'error wrong-type: title must be a string, not the number 5',
    'error wrong-type: types must be a list, not the string "Effects/Data Exposure"',
  ]);
});

test('an unknown top-level key such as __proto__ is refused with the valid keys', async (t) => {
  const problems = await problemsOf(t, { ['__proto__']: { polluted: true } });
  t.deepEqual(problems, [
    "error unknown-key: unknown key '__proto__'; valid keys: id, title, description, severity, types, remediation, scope, params, groupBy, threshold, conditions, tests",
  ]);
  t.is(({} as { polluted?: unknown }).polluted, undefined);
});

test('a misspelt condition key gets a did-you-mean', async (t) => {
  t.deepEqual(await problemsOf(t, { conditions: { all: [{ alll: [] }] } }), [
    "error invalid-value: conditions.all[0]: a condition needs the keys all, any or not, fact with anyElement or everyElement, or fact, operator and value (found 'alll'; did you mean 'all'?)",
  ]);
});

test('the top of the condition tree must be all, any or not', async (t) => {
  t.deepEqual(await problemsOf(t, { conditions: { fact: 'eventName', operator: 'equal', value: 'DeleteProject' } }), [
    "error invalid-value: conditions: the top of the condition tree needs one of the keys all, any or not (found 'fact', 'operator', 'value')",
  ]);
});

test('a value that is a mapping is neither a literal nor a reference', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('eventName', 'equal', { name: 'DeleteProject' })), [
    'error invalid-value: conditions.all[0].value: must be a string, number, boolean or null, a list of those, {param: NAME}, {list: NAME} or {fact: PATH}',
  ]);
});

test('an unknown operator gets a did-you-mean and the list of operators', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('eventName', 'startWith', 'Delete')), [
    "error unknown-operator: unknown operator 'startWith' (did you mean 'startsWith'?); operators: equal, notEqual, in, notIn, contains, doesNotContain, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, startsWith, endsWith, stringContains, anyStringContains, matches, inCidr, notInCidr, isIpAddress, exists, matchesWildcard, equalsText",
  ]);
});

test('only the decorators not, someValue, everyValue and ignoreCase are allowed', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('eventName', 'someFact:equal', 'DeleteProject')), [
    "error unknown-decorator: unknown decorator 'someFact' in 'someFact:equal'; decorators: not, someValue, everyValue, ignoreCase",
  ]);
});

test('notIn with an empty list can never be true', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.type', 'notIn', [])), [
    'error invalid-operator-value: `notIn` with an empty list can never be true',
  ]);
});

test('equal with a list suggests in', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.type', 'equal', ['Root'])), [
    'error invalid-operator-value: `equal` compares with one string, number, boolean or null, not a list; to compare with a list use `in`',
  ]);
});

test('a bare address in a CIDR list gets the range to write', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('sourceIPAddress', 'inCidr', ['203.0.113.5', '2001:db8::/32'])), [
    "error invalid-cidr: '203.0.113.5' is an address, not a range: write 203.0.113.5/32",
  ]);
});

test('numeric operators need a number, exists and isIpAddress need a boolean', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('requestParameters.maxResults', 'greaterThan', '50')), [
    'error invalid-operator-value: `greaterThan` needs a number, not the string "50"',
  ]);
  t.deepEqual(await problemsOf(t, comparison('errorCode', 'exists', 'true')), [
    'error invalid-operator-value: `exists` needs true or false, not the string "true"',
  ]);
  t.deepEqual(await problemsOf(t, comparison('sourceIPAddress', 'isIpAddress', 1)), [
    'error invalid-operator-value: `isIpAddress` needs true or false, not the number 1',
  ]);
});

test('someValue needs a list of values', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('eventName', 'someValue:startsWith', 'Delete')), [
    'error invalid-operator-value: `someValue:startsWith` needs a non-empty list of values (someValue tries each), not the string "Delete"',
  ]);
});

test('every pattern under someValue:matches must compile', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userAgent', 'someValue:matches', ['^aws-cli', '(a)\\1'])), [
    'error invalid-regex: invalid RE2 pattern: error parsing regexp: invalid escape sequence: `\\1`',
  ]);
});

test('contains on a string field suggests stringContains, doesNotContain suggests not:stringContains', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userAgent', 'doesNotContain', 'aws-cli')), [
    'error operator-fact-type: `doesNotContain` needs a list fact, but userAgent is a string in CloudTrail records; use `not:stringContains`',
  ]);
});

test('a string operator on a boolean field is refused', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('readOnly', 'startsWith', 't')), [
    'error operator-fact-type: `startsWith` needs a string fact, but readOnly is a boolean in CloudTrail records',
  ]);
});

test('comparing a boolean field with a string says how to write the boolean', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('readOnly', 'equal', 'false')), [
    'error value-type: readOnly is a boolean in CloudTrail records, so it never equals the string "false"; write false without quotes',
  ]);
});

test('comparing mfaAuthenticated with a boolean says to write the string', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.sessionContext.attributes.mfaAuthenticated', 'notEqual', true)), [
    'error value-type: userIdentity.sessionContext.attributes.mfaAuthenticated is a string in CloudTrail records, so it never equals the boolean true; write "true"',
  ]);
});

test('a fact path outside the CloudTrail record shape is refused with a did-you-mean', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.arm', 'endsWith', ':root')), [
    "error unknown-fact: unknown field 'arm' in userIdentity (did you mean 'arn'?); known fields: type, principalId, arn, accountId, accessKeyId, userName, invokedBy, credentialId, identityProvider, onBehalfOf, inScopeOf, sessionContext",
  ]);
});

test('a fact path through an inherited name such as constructor is refused', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('constructor.name', 'equal', 'Object')), [
    "error unknown-fact: unknown field 'constructor' in a CloudTrail record; known fields: eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, requestParameters, responseElements, additionalEventData, requestID, eventID, readOnly, resources, eventType, apiVersion, managementEvent, recipientAccountId, serviceEventDetails, sharedEventID, vpcEndpointId, vpcEndpointAccountId, eventCategory, addendum, sessionCredentialFromConsole, edgeDeviceDetails, tlsDetails, insightDetails",
  ]);
});

test('a {fact: PATH} value is accepted and its path is checked too', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.accountId', 'notEqual', { fact: 'recipientAccountId' })), []);
  t.deepEqual(await problemsOf(t, comparison('userIdentity.accountId', 'notEqual', { fact: 'recipientAccountID' })), [
    "error unknown-fact: unknown field 'recipientAccountID' in a CloudTrail record (did you mean 'recipientAccountId'?); known fields: eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, requestParameters, responseElements, additionalEventData, requestID, eventID, readOnly, resources, eventType, apiVersion, managementEvent, recipientAccountId, serviceEventDetails, sharedEventID, vpcEndpointId, vpcEndpointAccountId, eventCategory, addendum, sessionCredentialFromConsole, edgeDeviceDetails, tlsDetails, insightDetails",
  ]);
});

test('a {fact: PATH} value is refused where the value is compiled at load', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userAgent', 'matches', { fact: 'eventName' })), [
    'error invalid-operator-value: `matches` cannot compare with {fact: ...}: its value must be written in the rule',
  ]);
});

test('a {param} must be declared, with a did-you-mean', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      params: { allowedRegions: { type: 'string[]', description: 'Regions.', default: ['us-east-1'] } },
      ...comparison('awsRegion', 'notIn', { param: 'allowedRegion' }),
    }),
    [
      "error undeclared-param: parameter 'allowedRegion' is not declared under params (did you mean 'allowedRegions'?); declared: allowedRegions",
      "warning unused-param: parameter 'allowedRegions' is declared but no condition or scope reads it",
    ],
  );
});

test('a {param} must have a type that fits the operator', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      params: { region: { type: 'string', description: 'A region.', default: 'us-east-1' } },
      ...comparison('awsRegion', 'notIn', { param: 'region' }),
    }),
    ["error param-type: `notIn` needs a parameter of type string[] or cidr[], but 'region' is declared as string"],
  );
});

test('a parameter default must have its declared type', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      params: { allowedSourceCidrs: { type: 'cidr[]', description: 'Ranges.', default: ['10.0.0.0/8', 'office'] } },
      ...comparison('sourceIPAddress', 'notInCidr', { param: 'allowedSourceCidrs' }),
    }),
    ["error invalid-cidr: 'office' is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32"],
  );
});

test('a parameter default must suit the operator that reads it', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      params: { agentPattern: { type: 'string', description: 'A user agent pattern.', default: '(?i)aws-cli(?=/2)' } },
      ...comparison('userAgent', 'matches', { param: 'agentPattern' }),
    }),
    ['error invalid-regex: invalid RE2 pattern: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  );
});

test('a declared parameter nothing reads is a warning, and the rule still loads', async (t) => {
  t.deepEqual(await problemsOf(t, { params: { spare: { type: 'number', description: 'Unused.' } } }), [
    "warning unused-param: parameter 'spare' is declared but no condition or scope reads it",
  ]);
});

test('an event source must look like <service>.amazonaws.com', async (t) => {
  t.deepEqual(await problemsOf(t, { scope: { eventSource: ['lookoutvision'] } }), [
    "error invalid-event-source: 'lookoutvision' is not an event source: CloudTrail writes them as <service>.amazonaws.com, e.g. lookoutvision.amazonaws.com",
  ]);
});

test('scope event names must be Lookout for Vision operations', async (t) => {
  t.deepEqual(
    await problemsOf(t, { scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: ['DeleteProject', 'StartTrialDetection', 'DetectAnomaly'] } }),
    ["error unknown-event-name: 'DetectAnomaly' is not an event name of the rule's event source (did you mean 'DetectAnomalies'?)"],
  );
});

test('the default of a scope eventName parameter is checked against the operations', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: { param: 'watched' } },
      params: { watched: { type: 'string[]', description: 'Watched operations.', default: ['DeleteProjects'] } },
    }),
    ["error unknown-event-name: 'DeleteProjects' is not an event name of the rule's event source (did you mean 'DeleteProject'?)"],
  );
});

test('a scope eventName parameter must be a string list', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      scope: { eventSource: ['lookoutvision.amazonaws.com'], eventName: { param: 'watched' } },
      params: { watched: { type: 'string', description: 'A watched operation.', default: 'DeleteProject' } },
    }),
    ["error param-type: scope.eventName needs a parameter of type string[], but 'watched' is declared as string"],
  );
});

test('eventName compared with notIn is checked against the operations', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('eventName', 'notIn', ['ListProjects', 'DescribeModels'])), [
    "error unknown-event-name: 'DescribeModels' is not an event name of the rule's event source (did you mean 'DescribeModel'?)",
  ]);
});

test('event names of every catalogued service are checked, not only Lookout for Vision ones', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      scope: { eventSource: ['s3.amazonaws.com'] },
      conditions: { all: [{ fact: 'eventName', operator: 'equal', value: 'GetObject' }] },
      tests: [
        { name: 'a get', expect: 'match', event: { eventSource: 's3.amazonaws.com', eventName: 'GetObject' } },
        { name: 'a put', expect: 'no-match', event: { eventSource: 's3.amazonaws.com', eventName: 'PutObject' } },
      ],
    }),
    [],
  );
});

test('a groupBy key is a known key or a record field', async (t) => {
  t.deepEqual(await problemsOf(t, { groupBy: ['principal', 'requestParameters.projectName', 'acount'] }), [
    "error unknown-group-key: unknown grouping key 'acount' (did you mean 'account'?); keys: principal, project, account, region, sourceIPAddress, eventName, or a dotted path into the record",
  ]);
});

test('every rule needs a match test and a no-match test', async (t) => {
  t.deepEqual(await problemsOf(t, { tests: [BASE_RULE.tests[1]] }), ['error missing-test: every rule needs at least one test with expect: match']);
});

test('a test has exactly one of event and eventFile', async (t) => {
  const [match, noMatch] = BASE_RULE.tests;
  t.deepEqual(await problemsOf(t, { tests: [{ ...match, eventFile: 'x.json' }, { name: 'no event', expect: 'no-match' }, noMatch] }), [
    'error invalid-test: a test has either event or eventFile, not both',
    'error event-file: eventFile x.json (relative to this rule file): cannot read the file: no such file',
    'error invalid-test: a test needs an event: write event: (inline) or eventFile: (a JSON file)',
  ]);
});

test("a test's parameters must be declared and of the declared type", async (t) => {
  const [match, noMatch] = BASE_RULE.tests;
  t.deepEqual(
    await problemsOf(t, {
      params: { allowedRegions: { type: 'string[]', description: 'Regions.' } },
      ...comparison('awsRegion', 'notIn', { param: 'allowedRegions' }),
      tests: [{ ...match, params: { allowedRegions: 'us-east-1', allowedRegion: ['x'] } }, noMatch],
    }),
    [
      'error param-type: must be a list of strings (type string[]), not the string "us-east-1"',
      "error undeclared-param: parameter 'allowedRegion' is not declared under params (did you mean 'allowedRegions'?)",
    ],
  );
});

test('a parameter with a mistyped type is reported once, not again where it is read', async (t) => {
  t.deepEqual(
    await problemsOf(t, {
      params: { allowedRegions: { type: 'string list', description: 'Regions.', default: ['us-east-1'] } },
      ...comparison('awsRegion', 'notIn', { param: 'allowedRegions' }),
    }),
    ['error invalid-value: params.allowedRegions.type must be one of string, string[], number, boolean, cidr[], not the string "string list"'],
  );
});

test('ignoreCase applies only to the operators that compare text, with what to write for matches', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userAgent', 'ignoreCase:matches', '^aws-cli')), [
    'error decorator-operator: `ignoreCase:` does not apply to `matches`: start the pattern with (?i) instead; it applies to equal, notEqual, in, notIn, startsWith, endsWith, stringContains',
  ]);
  t.deepEqual(await problemsOf(t, comparison('sourceIPAddress', 'not:ignoreCase:inCidr', ['10.0.0.0/8'])), [
    'error decorator-operator: `ignoreCase:` does not apply to `inCidr`; it applies to equal, notEqual, in, notIn, startsWith, endsWith, stringContains',
  ]);
});

test('ignoreCase refuses a {fact: PATH} value, since its value is folded at load', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.accountId', 'ignoreCase:equal', { fact: 'recipientAccountId' })), [
    'error invalid-operator-value: `ignoreCase:equal` cannot compare with {fact: ...}: its value must be written in the rule',
  ]);
});

test('a misspelt ignoreCase gets a did-you-mean, and event names compared ignoring case are checked ignoring case', async (t) => {
  t.deepEqual(await problemsOf(t, comparison('userIdentity.type', 'ignorecase:equal', 'root')), [
    "error unknown-decorator: unknown decorator 'ignorecase' in 'ignorecase:equal' (did you mean 'ignoreCase'?); decorators: not, someValue, everyValue, ignoreCase",
  ]);
  t.deepEqual(await problemsOf(t, comparison('eventName', 'ignoreCase:in', ['deleteproject', 'DeleteModels'])), [
    "error unknown-event-name: 'DeleteModels' is not an event name of the rule's event source (did you mean 'DeleteModel'?)",
  ]);
});
