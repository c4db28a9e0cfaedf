import test from 'ava';

import { detectFormat } from '../../src/records/document-format.js';
import { createProject, eventBridgeEnvelope, lookupEvent } from './document-fixtures.js';

test('an object with Records is a trail log file', (t) => {
  t.is(detectFormat({ Records: [] }), 'cloudtrail-log-file');
});

test('an object with Events is lookup-events output', (t) => {
  t.is(detectFormat({ Events: [], NextToken: 'x' }), 'lookup-events');
});

test('an object with CloudTrailEvent is one lookup event', (t) => {
  t.is(detectFormat(lookupEvent(createProject)), 'lookup-event');
});

test('an object with detail-type and detail is an EventBridge event', (t) => {
  t.is(detectFormat(eventBridgeEnvelope(createProject)), 'eventbridge-event');
});

test('an array is a record array', (t) => {
  t.is(detectFormat([createProject]), 'record-array');
});

test('any one of eventVersion, eventName, eventSource, eventTime or eventID makes an object a record', (t) => {
  for (const marker of ['eventVersion', 'eventName', 'eventSource', 'eventTime', 'eventID']) {
    t.is(detectFormat({ [marker]: 'x', userIdentity: {} }), 'record', marker);
  }
});

test('an object with only a userIdentity is not a record', (t) => {
  t.is(detectFormat({ userIdentity: { type: 'IAMUser' }, partial: true }), undefined);
});

test('an object with any digest-only key is a digest', (t) => {
  for (const key of ['digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestPublicKeyFingerprint']) {
    t.is(detectFormat({ awsAccountId: '123456789012', [key]: 'x' }), 'cloudtrail-digest', key);
  }
});

test('a scalar has no format', (t) => {
  for (const value of [null, 1, 'Records', true]) t.is(detectFormat(value), undefined);
});

test('keys inherited from a prototype do not count', (t) => {
  const inherited = Object.create({ Records: [], eventName: 'CreateProject' }) as object;
  t.is(detectFormat(inherited), undefined);
});
