import test from 'ava';
import { callerRecord } from './sigma-rule-events.js';
import { loadSigmaRule, sigmaMatches } from './sigma-fixture.js';

/** The Sigma specification's semantics, one construct at a time, through both evaluators. */

test('a map is AND, a list of values OR, and strings compare ignoring case', async (t) => {
  const rule = await loadSigmaRule(
    ['selection:', '    eventSource: CloudTrail.amazonaws.com', '    eventName: [StopLogging, DeleteTrail]', 'condition: selection'].join('\n'),
  );
  t.true(await sigmaMatches(rule, callerRecord('cloudtrail.amazonaws.com', 'stoplogging')));
  t.true(await sigmaMatches(rule, callerRecord('cloudtrail.amazonaws.com', 'DeleteTrail')));
  t.false(await sigmaMatches(rule, callerRecord('cloudtrail.amazonaws.com', 'StartLogging')));
  t.false(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'StopLogging')));
  t.deepEqual(rule.scope, { eventSource: ['cloudtrail.amazonaws.com'] });
});

test('a list of maps is OR of the maps', async (t) => {
  const rule = await loadSigmaRule(['selection:', '    - eventName: A', '    - userAgent: B', 'condition: selection'].join('\n'));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'A')));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X', { userAgent: 'b' })));
  t.false(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X')));
});

test('contains, startswith, endswith and contains|all place the wildcards; * and ? in values are wildcards, \\* a star', async (t) => {
  const rule = await loadSigmaRule(
    [
      'selection:',
      '    userAgent|contains|all: [aws-cli, Python]',
      '    eventName|startswith: Update',
      '    awsRegion|endswith: "-1"',
      '    requestParameters.name: "a?c\\\\*"',
      'condition: selection',
    ].join('\n'),
  );
  const record = callerRecord('s3.amazonaws.com', 'UpdateThing', { requestParameters: { name: 'abc*' } });
  t.true(await sigmaMatches(rule, record));
  t.false(await sigmaMatches(rule, { ...record, userAgent: 'aws-cli/2 Go' }));
  t.false(await sigmaMatches(rule, { ...record, eventName: 'PutUpdate' }));
  t.false(await sigmaMatches(rule, { ...record, awsRegion: 'eu-west-2' }));
  t.false(await sigmaMatches(rule, { ...record, requestParameters: { name: 'abcd' } }));
});

test('null matches a missing or null field, and numbers and booleans in the data compare as text', async (t) => {
  const rule = await loadSigmaRule(['selection:', '    errorCode: null', '    readOnly: "FALSE"', 'condition: selection'].join('\n'));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X')));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X', { errorCode: null })));
  t.false(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X', { errorCode: 'AccessDenied' })));
  t.false(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X', { readOnly: true })));
});

test('re uses RE2 and is case-sensitive unless its i flag says otherwise', async (t) => {
  const cased = await loadSigmaRule(['selection:', "    userIdentity.arn|re: ':assumed-role/aws:'", 'condition: selection'].join('\n'));
  const folded = await loadSigmaRule(['selection:', "    userIdentity.arn|re|i: ':ASSUMED-ROLE/AWS:'", 'condition: selection'].join('\n'));
  const record = callerRecord('s3.amazonaws.com', 'X', { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/aws:ec2/i-1' } });
  t.true(await sigmaMatches(cased, record));
  t.true(await sigmaMatches(folded, record));
  t.false(await sigmaMatches(cased, { ...record, userIdentity: { arn: 'arn:aws:sts::1:ASSUMED-ROLE/AWS:ec2/i-1' } }));
});

test('cidr takes IPv4 and IPv6 ranges, exists and the numeric modifiers compare as they say', async (t) => {
  const rule = await loadSigmaRule(
    [
      'selection:',
      "    sourceIPAddress|cidr: ['10.0.0.0/8', '2001:db8::/32']",
      '    errorMessage|exists: false',
      '    requestParameters.maxResults|gte: 100',
      'condition: selection',
    ].join('\n'),
  );
  const record = callerRecord('s3.amazonaws.com', 'X', { sourceIPAddress: '2001:db8::7', requestParameters: { maxResults: 500 } });
  t.true(await sigmaMatches(rule, record));
  t.true(await sigmaMatches(rule, { ...record, sourceIPAddress: '10.1.2.3' }));
  t.false(await sigmaMatches(rule, { ...record, sourceIPAddress: '203.0.113.9' }));
  t.false(await sigmaMatches(rule, { ...record, errorMessage: 'denied' }));
  t.false(await sigmaMatches(rule, { ...record, requestParameters: { maxResults: 5 } }));
});

test('fieldref compares two fields of the record', async (t) => {
  const rule = await loadSigmaRule(['selection:', '    userIdentity.userName|fieldref: requestParameters.userName', 'condition: selection'].join('\n'));
  t.true(await sigmaMatches(rule, callerRecord('iam.amazonaws.com', 'X', { requestParameters: { userName: 'alice' } })));
  t.false(await sigmaMatches(rule, callerRecord('iam.amazonaws.com', 'X', { requestParameters: { userName: 'bob' } })));
});

test('base64 and base64offset search the encoded forms of the value; windash tries every flag character', async (t) => {
  const encoded = await loadSigmaRule(['selection:', '    requestParameters.userData|base64offset|contains: curl', 'condition: selection'].join('\n'));
  for (const prefix of ['', 'x', 'xy']) {
    const userData = Buffer.from(`#!/bin/sh\n${prefix}curl http://x`).toString('base64');
    t.true(await sigmaMatches(encoded, callerRecord('ec2.amazonaws.com', 'X', { requestParameters: { userData } })), prefix);
  }
  t.false(
    await sigmaMatches(encoded, callerRecord('ec2.amazonaws.com', 'X', { requestParameters: { userData: Buffer.from('wget http://x').toString('base64') } })),
  );
  const whole = await loadSigmaRule(['selection:', '    requestParameters.userData|base64: curl', 'condition: selection'].join('\n'));
  t.true(await sigmaMatches(whole, callerRecord('ec2.amazonaws.com', 'X', { requestParameters: { userData: 'Y3VybA==' } })));
  const dashes = await loadSigmaRule(['selection:', '    requestParameters.command|windash|contains: " -enc "', 'condition: selection'].join('\n'));
  t.true(await sigmaMatches(dashes, callerRecord('ssm.amazonaws.com', 'X', { requestParameters: { command: 'powershell /enc AAA' } })));
  t.false(await sigmaMatches(dashes, callerRecord('ssm.amazonaws.com', 'X', { requestParameters: { command: 'powershell enc AAA' } })));
});

test('keywords search every value of the record, ignoring case', async (t) => {
  const rule = await loadSigmaRule(['keywords:', '    - 169.254.170.2', '    - EvilCorp', 'condition: keywords'].join('\n'));
  t.true(await sigmaMatches(rule, callerRecord('ecs.amazonaws.com', 'X', { requestParameters: { env: [{ value: 'http://169.254.170.2/v2' }] } })));
  t.true(await sigmaMatches(rule, callerRecord('ecs.amazonaws.com', 'X', { userAgent: 'evilcorp-scanner' })));
  t.false(await sigmaMatches(rule, callerRecord('ecs.amazonaws.com', 'X')));
});

test('1 of / all of with patterns and them, not, and and or with parentheses', async (t) => {
  const rule = await loadSigmaRule(
    [
      'selection_a:',
      '    eventName: A',
      'selection_b:',
      '    eventName: B',
      'filter_ua:',
      '    userAgent|contains: console',
      'filter_region:',
      '    awsRegion: us-east-1',
      'condition: (1 of selection_* and not all of filter_*) or (selection_a and filter_ua and filter_region)',
    ].join('\n'),
  );
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'B')));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'A', { userAgent: 'console' })));
  t.false(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'B', { userAgent: 'console', awsRegion: 'us-east-1' })));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'A', { userAgent: 'console', awsRegion: 'us-east-1' })));
  const them = await loadSigmaRule(['a:', '    eventName: A', 'b:', '    awsRegion: eu-west-1', 'condition: all of them'].join('\n'));
  t.true(await sigmaMatches(them, callerRecord('s3.amazonaws.com', 'A')));
  t.false(await sigmaMatches(them, callerRecord('s3.amazonaws.com', 'B')));
});

test('not binds tighter than and, and and tighter than or', async (t) => {
  const rule = await loadSigmaRule(
    ['a:', '    eventName: A', 'b:', '    awsRegion: us-east-1', 'c:', '    userAgent: c', 'condition: not a and b or c'].join('\n'),
  );
  // ((not a) and b) or c
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'X', { awsRegion: 'us-east-1' })));
  t.true(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'A', { userAgent: 'C' })));
  t.false(await sigmaMatches(rule, callerRecord('s3.amazonaws.com', 'A', { awsRegion: 'us-east-1' })));
});
