import test from 'ava';
import { lookupFactPath } from '../../src/ruleset/record-shape.js';

test('a documented field is found with its type', (t) => {
  t.deepEqual(lookupFactPath('eventName'), { ok: true, type: 'string' });
  t.deepEqual(lookupFactPath('readOnly'), { ok: true, type: 'boolean' });
  t.deepEqual(lookupFactPath('userIdentity.sessionContext.attributes.mfaAuthenticated'), { ok: true, type: 'string' });
  t.deepEqual(lookupFactPath('userIdentity'), { ok: true, type: 'object' });
});

test('anything below a free-form field is accepted', (t) => {
  t.deepEqual(lookupFactPath('requestParameters.outputConfig.s3Location.bucket'), { ok: true, type: 'free-form' });
  t.deepEqual(lookupFactPath('requestParameters.constructor'), { ok: true, type: 'free-form' });
});

test('list elements are addressed by index', (t) => {
  t.deepEqual(lookupFactPath('resources'), { ok: true, type: 'list' });
  t.deepEqual(lookupFactPath('resources.0.ARN'), { ok: true, type: 'string' });
});

test('a list addressed without an index says how to address it', (t) => {
  t.deepEqual(lookupFactPath('resources.ARN'), {
    ok: false,
    message: 'resources is a list: address an element by its index, e.g. resources.0.ARN, or test every element with {fact: resources, anyElement: ...}',
  });
});

test('a misspelt field gets a did-you-mean and the fields that exist there', (t) => {
  t.deepEqual(lookupFactPath('userIdentity.sessionContext.sessionIssuer.userNme'), {
    ok: false,
    message:
      "unknown field 'userNme' in userIdentity.sessionContext.sessionIssuer (did you mean 'userName'?); known fields: type, principalId, arn, accountId, userName",
  });
});

test('a misspelt top-level field is named as a field of a CloudTrail record', (t) => {
  const lookup = lookupFactPath('sourceIpAddress');
  t.false(lookup.ok);
  t.regex(
    lookup.ok ? '' : lookup.message,
    /^unknown field 'sourceIpAddress' in a CloudTrail record \(did you mean 'sourceIPAddress'\?\); known fields: eventVersion, /,
  );
});

test('a path below a string field is refused', (t) => {
  t.deepEqual(lookupFactPath('eventName.length'), { ok: false, message: "eventName is a string in CloudTrail records and has no field 'length'" });
});

test('inherited names such as constructor and __proto__ are not fields', (t) => {
  t.false(lookupFactPath('constructor').ok);
  t.false(lookupFactPath('__proto__').ok);
  t.false(lookupFactPath('userIdentity.toString').ok);
});

test('empty segments are refused', (t) => {
  t.deepEqual(lookupFactPath('userIdentity..type'), { ok: false, message: "'userIdentity..type' is not a dotted path: segments must not be empty" });
});
