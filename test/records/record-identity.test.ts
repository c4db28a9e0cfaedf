import test from 'ava';

import { canonicalJson, recordIdentity } from '../../src/records/record-identity.js';

test('a record is identified by its eventID', (t) => {
  t.is(recordIdentity({ eventID: '3b5e1c9a-7d2f-4e8b-9a1c-0d6f2e4b8a7c', eventName: 'CreateProject' }), '3b5e1c9a-7d2f-4e8b-9a1c-0d6f2e4b8a7c');
});

test('the same event delivered twice has one identity', (t) => {
  const first = { eventID: 'e-1', eventName: 'DetectAnomalies', eventTime: '2025-10-20T11:58:31Z' };
  t.is(recordIdentity(first), recordIdentity({ ...first }));
});

test('a record without an eventID is identified by a sha256 of its content', (t) => {
  t.regex(recordIdentity({ eventName: 'CreateProject' }), /^sha256:[0-9a-f]{64}$/);
});

test('an empty or non-string eventID falls back to the content hash', (t) => {
  t.regex(recordIdentity({ eventID: '', eventName: 'CreateProject' }), /^sha256:/);
  t.regex(recordIdentity({ eventID: 7, eventName: 'CreateProject' }), /^sha256:/);
});

test('the content hash does not depend on key order', (t) => {
  const a = { eventName: 'CreateProject', userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } };
  const b = { userIdentity: { arn: 'arn:aws:iam::123456789012:root', type: 'Root' }, eventName: 'CreateProject' };
  t.is(recordIdentity(a), recordIdentity(b));
});

test('records that differ anywhere have different content hashes', (t) => {
  const base = { eventName: 'CreateProject', requestParameters: { projectName: 'p1', tags: ['a', 'b'] } };
  const variants = [
    { eventName: 'CreateProject', requestParameters: { projectName: 'p2', tags: ['a', 'b'] } },
    { eventName: 'CreateProject', requestParameters: { projectName: 'p1', tags: ['b', 'a'] } },
    { eventName: 'CreateProject', requestParameters: { projectName: 'p1', tags: ['a', 'b'], extra: null } },
    { eventName: 'CreateProject', requestParameters: { projectName: 'p1', tags: 'a,b' } },
  ];
  for (const variant of variants) t.not(recordIdentity(variant), recordIdentity(base));
});

test('canonical JSON sorts keys at every level and is itself JSON of the same value', (t) => {
  const value = { b: [1, { d: true, c: null }], a: 'x"y', '': -0.5 };
  const text = canonicalJson(value);
  t.is(text, '{"":-0.5,"a":"x\\"y","b":[1,{"c":null,"d":true}]}');
  t.deepEqual(JSON.parse(text), value);
});

test('canonical JSON of empty containers', (t) => {
  t.is(canonicalJson({ a: {}, b: [] }), '{"a":{},"b":[]}');
});

test('a record nested far deeper than JSON.stringify can follow still gets an identity', (t) => {
  let deep: unknown = 'leaf';
  for (let level = 0; level < 100_000; level += 1) deep = [deep];
  t.regex(recordIdentity({ eventName: 'CreateProject', requestParameters: deep }), /^sha256:/);
});
