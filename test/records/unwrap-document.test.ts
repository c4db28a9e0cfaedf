import test from 'ava';

import { unwrapDocument, type UnwrappedDocument } from '../../src/records/unwrap-document.js';
import {
  createProject,
  detectAnomalies,
  DIGEST_TEXT,
  eventBridgeEnvelope,
  FORMAT_EXAMPLES,
  lfvCall,
  lookupEvent,
  SINGLE_RECORD_EXAMPLES,
} from './document-fixtures.js';

const ORIGIN = 'logs/example.json';

function unwrap(text: string | Buffer): UnwrappedDocument {
  return unwrapDocument(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, ORIGIN);
}

/** The problems without the fields every problem shares (file, severity), for short assertions. */
function problemsOf(document: UnwrappedDocument): object[] {
  return document.problems.map(({ file: _file, severity: _severity, ...rest }) => rest);
}

const line = (value: unknown): string => JSON.stringify(value);

// Formats

for (const { format, text } of FORMAT_EXAMPLES) {
  test(`a ${format} document yields its records in order`, (t) => {
    t.deepEqual(unwrap(text), { format, records: [createProject, detectAnomalies], problems: [] });
  });
}

for (const { format, text } of SINGLE_RECORD_EXAMPLES) {
  test(`a ${format} document yields its one record`, (t) => {
    t.deepEqual(unwrap(text), { format, records: [createProject], problems: [] });
  });
}

test('a trail log file with no records is read without problems', (t) => {
  t.deepEqual(unwrap('{"Records":[]}'), { format: 'cloudtrail-log-file', records: [], problems: [] });
});

test('an EventBridge envelope without a version is still an envelope', (t) => {
  const { version: _version, ...envelope } = eventBridgeEnvelope(createProject);
  t.deepEqual(unwrap(line(envelope)).records, [createProject]);
});

test('EventBridge envelopes of console sign-ins and service events via CloudTrail are unwrapped too', (t) => {
  const signIn = lfvCall('ConsoleLogin', { eventSource: 'signin.amazonaws.com' });
  const document = unwrap(
    [
      line(eventBridgeEnvelope(signIn, 'AWS Console Sign In via CloudTrail')),
      line(eventBridgeEnvelope(createProject, 'AWS Service Event via CloudTrail')),
    ].join('\n'),
  );
  t.deepEqual(document.records, [signIn, createProject]);
});

test('a record missing most of its usual fields is still a record', (t) => {
  t.deepEqual(unwrap('{"eventName":"GetObject","userIdentity":{"type":"AWSAccount"}}').records, [
    { eventName: 'GetObject', userIdentity: { type: 'AWSAccount' } },
  ]);
  t.deepEqual(unwrap('{"eventVersion":"1.07","@timestamp":"2020-09-14T00:44:23.000Z"}').format, 'record');
});

test('JSON Lines skip blank lines and Windows line endings', (t) => {
  const document = unwrap(`\r\n${line(createProject)}\r\n\r\n   \n${line(lookupEvent(detectAnomalies))}\r\n`);
  t.deepEqual(document, { format: 'json-lines', records: [createProject, detectAnomalies], problems: [] });
});

test('a line of JSON Lines may hold a whole trail log file', (t) => {
  const document = unwrap(`${line({ Records: [createProject] })}\n${line({ Records: [detectAnomalies] })}`);
  t.deepEqual(document.records, [createProject, detectAnomalies]);
});

test('array elements may be EventBridge envelopes or lookup events', (t) => {
  t.deepEqual(unwrap(line([eventBridgeEnvelope(createProject), lookupEvent(detectAnomalies)])).records, [createProject, detectAnomalies]);
});

test('a UTF-8 byte order mark before the JSON is ignored', (t) => {
  t.deepEqual(unwrap(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line({ Records: [createProject] }))])).records, [createProject]);
});

test('a digest file is skipped on purpose, not reported as a problem', (t) => {
  t.deepEqual(unwrap(DIGEST_TEXT), { format: 'cloudtrail-digest', records: [], problems: [], skipped: 'CloudTrail digest file' });
});

// Problems

test('every problem names the document it was found in and is an error', (t) => {
  t.like(unwrap('[1]').problems[0], { file: ORIGIN, severity: 'error' });
});

test('invalid JSON is reported at its line and column', (t) => {
  const document = unwrap('{\n  "Records": [\n    {"eventName": "CreateProject",}\n  ]\n}');
  t.deepEqual(problemsOf(document), [{ line: 3, column: 35, code: 'invalid-json', message: "expected a double-quoted property name, found '}'" }]);
  t.is(document.format, undefined);
});

test('a document cut short is reported where it ends', (t) => {
  t.deepEqual(problemsOf(unwrap('{"Records":[{"eventName":"CreateProject"}')), [
    { line: 1, column: 42, code: 'invalid-json', message: "expected ',' or ']' after an array element, found the end of the input" },
  ]);
});

test('bytes that are not UTF-8 are reported at the first bad byte', (t) => {
  const bytes = Buffer.concat([Buffer.from('{"Records":[\n{"userName":"'), Buffer.from([0xe9]), Buffer.from('"}]}')]);
  t.deepEqual(problemsOf(unwrap(bytes)), [{ line: 2, column: 14, code: 'invalid-utf8', message: 'byte 0xE9 at byte offset 26 is not valid UTF-8' }]);
});

test('an empty file is reported as empty', (t) => {
  t.deepEqual(problemsOf(unwrap('')), [{ code: 'empty-file', message: 'the file is empty' }]);
});

test('a file of only whitespace is reported as empty', (t) => {
  t.deepEqual(problemsOf(unwrap(' \r\n\t\n')), [{ code: 'empty-file', message: 'the file holds only whitespace' }]);
});

test('an element of Records that is not an object is reported by its index, and the others are kept', (t) => {
  const document = unwrap(line({ Records: [createProject, 'CreateProject', null, detectAnomalies] }));
  t.deepEqual(document.records, [createProject, detectAnomalies]);
  t.deepEqual(problemsOf(document), [
    { code: 'not-an-object', message: 'Records[1]: expected an object, found a string' },
    { code: 'not-an-object', message: 'Records[2]: expected an object, found null' },
  ]);
});

test('an element of a record array that is not an object is reported by its index', (t) => {
  const document = unwrap(line([createProject, 42]));
  t.deepEqual(document.records, [createProject]);
  t.deepEqual(problemsOf(document), [{ code: 'not-an-object', message: '[1]: expected an object, found a number' }]);
});

test('an element of a record array that is no kind of record is reported by its index', (t) => {
  t.deepEqual(problemsOf(unwrap(line([{ name: 'not a record' }]))), [
    { code: 'not-cloudtrail', message: '[0]: not a CloudTrail record: expected a record, an EventBridge envelope or a LookupEvents event' },
  ]);
});

test('Records that is not an array is reported', (t) => {
  t.deepEqual(problemsOf(unwrap('{"Records": {"eventName": "CreateProject"}}')), [
    { code: 'not-an-array', message: 'Records: expected an array, found an object' },
  ]);
});

test('a CloudTrailEvent string that is not JSON is reported with the event index and the position in the string', (t) => {
  const document = unwrap(line({ Events: [lookupEvent(createProject), { EventId: 'e2', CloudTrailEvent: '{"eventName": CreateProject}' }] }));
  t.deepEqual(document.records, [createProject]);
  t.deepEqual(problemsOf(document), [
    { code: 'invalid-cloudtrail-event', message: "Events[1].CloudTrailEvent: not valid JSON: expected a value, found 'C' (at character 15 of the string)" },
  ]);
});

test('a lookup event without a CloudTrailEvent string is reported', (t) => {
  t.deepEqual(
    problemsOf(
      unwrap(
        line({
          Events: [
            { EventId: 'e1', EventName: 'CreateProject' },
            { EventId: 'e2', CloudTrailEvent: { eventName: 'CreateProject' } },
          ],
        }),
      ),
    ),
    [
      { code: 'invalid-cloudtrail-event', message: 'Events[0].CloudTrailEvent: expected a JSON string, found nothing' },
      { code: 'invalid-cloudtrail-event', message: 'Events[1].CloudTrailEvent: expected a JSON string, found an object' },
    ],
  );
});

test('a CloudTrailEvent string holding JSON that is not an object is reported', (t) => {
  t.deepEqual(problemsOf(unwrap(line({ EventId: 'e1', CloudTrailEvent: '[]' }))), [
    { code: 'invalid-cloudtrail-event', message: 'CloudTrailEvent: expected a JSON object, found an array' },
  ]);
});

test('an element of Events that is not an object is reported by its index', (t) => {
  t.deepEqual(problemsOf(unwrap('{"Events": [7]}')), [{ code: 'not-an-object', message: 'Events[0]: expected an object, found a number' }]);
});

test('an object of no known shape is reported as not a CloudTrail log', (t) => {
  t.deepEqual(unwrap('{"findings": []}'), {
    format: undefined,
    records: [],
    problems: [
      {
        file: ORIGIN,
        code: 'not-cloudtrail',
        message: 'not a CloudTrail log: expected Records, Events, a record, JSON Lines or an EventBridge envelope',
        severity: 'error',
      },
    ],
  });
});

test('a record written with lower-case keys gets a hint that keys are case-sensitive', (t) => {
  t.deepEqual(problemsOf(unwrap('{"eventname": "DescribeProject", "eventsource": "lookoutvision.amazonaws.com"}')), [
    {
      code: 'not-cloudtrail',
      message:
        "not a CloudTrail log: expected Records, Events, a record, JSON Lines or an EventBridge envelope (keys are case-sensitive: found 'eventname', expected 'eventName')",
    },
  ]);
});

test('a JSON value that is not an object or an array is reported', (t) => {
  t.deepEqual(problemsOf(unwrap('"CreateProject"')), [{ code: 'not-an-object', message: 'expected an object or an array, found a string' }]);
});

test('a bad line of JSON Lines is reported with its line and column, and the other lines still yield records', (t) => {
  const document = unwrap([line(createProject), '{"eventName": "DeleteModel", }', '', line(detectAnomalies)].join('\n'));
  t.is(document.format, 'json-lines');
  t.deepEqual(document.records, [createProject, detectAnomalies]);
  t.deepEqual(problemsOf(document), [{ line: 2, column: 30, code: 'invalid-json', message: "expected a double-quoted property name, found '}'" }]);
});

test('a line of JSON Lines that is not CloudTrail is reported with its line', (t) => {
  const document = unwrap([line(createProject), '[1]', '{"p_log_type": "AWS.CloudTrail"}', '"text"'].join('\n'));
  t.deepEqual(problemsOf(document), [
    { line: 2, code: 'not-an-object', message: '[0]: expected an object, found a number' },
    { line: 3, code: 'not-cloudtrail', message: 'not CloudTrail: expected a record, an EventBridge envelope, a LookupEvents event, Records or Events' },
    { line: 4, code: 'not-an-object', message: 'expected an object or an array, found a string' },
  ]);
});

test('a digest on a line of JSON Lines is reported, since only whole digest files are skipped', (t) => {
  t.deepEqual(problemsOf(unwrap(`${line(createProject)}\n${DIGEST_TEXT}`)), [
    { line: 2, code: 'not-cloudtrail', message: 'a CloudTrail digest (hashes of log files), not events' },
  ]);
});

test('a pretty-printed document with an error is one invalid document, not JSON Lines', (t) => {
  const document = unwrap(`[\n${line(createProject)},\n${line(detectAnomalies)}\n${line(createProject)}\n]`);
  t.deepEqual(problemsOf(document), [{ line: 4, column: 1, code: 'invalid-json', message: "expected ',' or ']' after an array element, found '{'" }]);
  t.deepEqual(document.records, []);
});

test('an EventBridge event that does not come from CloudTrail is reported with its detail-type', (t) => {
  const finding = eventBridgeEnvelope({ findings: [] }, 'Security Hub Findings - Imported');
  t.deepEqual(problemsOf(unwrap(line(finding))), [
    { code: 'not-cloudtrail', message: "an EventBridge event of detail-type 'Security Hub Findings - Imported', not one from CloudTrail" },
  ]);
});

test('an EventBridge envelope whose detail is not an object is reported', (t) => {
  t.deepEqual(problemsOf(unwrap(line([eventBridgeEnvelope('CreateProject')]))), [
    { code: 'not-an-object', message: '[0].detail: expected an object, found a string' },
  ]);
});

// Untrusted keys

test('a __proto__ key in a record stays an own field and pollutes nothing', (t) => {
  const document = unwrap('{"Records": [{"eventName": "CreateProject", "__proto__": {"polluted": true}}]}');
  const record = document.records[0];
  t.true(record !== undefined && Object.hasOwn(record, '__proto__'));
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test('a Records key reached only through __proto__ is not read', (t) => {
  t.like(problemsOf(unwrap('{"__proto__": {"Records": [{"eventName": "CreateProject"}]}}'))[0], { code: 'not-cloudtrail' });
});
