import test from 'ava';
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents, type Event } from '@aws-sdk/client-cloudtrail';
import { emulatorClientConfig, EVENT_HISTORY_RETENTION_MS, TEST_CREDENTIAL } from '../support/aws-emulator/index.js';
import { emulatedAws, recordAt, secondsAgo } from './fixtures.js';
import { lookupEventsRequest, sendRaw, signRequest } from './raw-request.js';

test('LookupEvents wraps a record with ReadOnly as a string, EventTime as a date and the record as JSON', async (t) => {
  const aws = await emulatedAws(t);
  const record = recordAt(aws.clock, 60, {
    readOnly: true,
    eventName: 'DescribeProject',
    userIdentity: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAALICE' },
    resources: [{ ARN: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1', type: 'AWS::LookoutVision::Project' }],
  });
  aws.emulator.state.cloudTrail.load([record]);

  const { Events = [] } = await aws.lookupEvents({});

  t.deepEqual(Events, [
    {
      EventId: record.eventID as string,
      EventName: 'DescribeProject',
      ReadOnly: 'true',
      AccessKeyId: 'AKIAALICE',
      EventTime: new Date(record.eventTime as string),
      EventSource: 'lookoutvision.amazonaws.com',
      Username: 'alice',
      Resources: [{ ResourceType: 'AWS::LookoutVision::Project', ResourceName: 'arn:aws:lookoutvision:us-east-1:123456789012:project/P1' }],
      CloudTrailEvent: JSON.stringify(record),
    },
  ]);
});

test('on the wire, EventTime is in epoch seconds and the error shape is {__type, message}', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 30)]);
  const signing = { service: 'cloudtrail', region: aws.scope.region, credential: TEST_CREDENTIAL };

  const ok = await sendRaw(aws.emulator.endpoint, await signRequest(aws.emulator.endpoint, lookupEventsRequest({}), signing));
  const failed = await sendRaw(aws.emulator.endpoint, await signRequest(aws.emulator.endpoint, lookupEventsRequest({ MaxResults: 99 }), signing));

  t.is(ok.headers['content-type'], 'application/x-amz-json-1.1');
  t.like(JSON.parse(ok.body), { Events: [{ EventTime: Math.floor(aws.clock.now() / 1000) - 30 }] });
  t.is(failed.status, 400);
  t.deepEqual(Object.keys(JSON.parse(failed.body) as object), ['__type', 'message']);
  t.like(JSON.parse(failed.body), { __type: 'InvalidMaxResultsException' });
});

test('LookupEvents pages through 120 events newest first, 50 at a time, each event once', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load(Array.from({ length: 120 }, (_, i) => recordAt(aws.clock, 10 * (i + 1))));
  const pages: Event[][] = [];
  const tokens: string[] = [];

  for await (const page of paginateLookupEvents({ client: aws.cloudTrail }, {})) {
    pages.push(page.Events ?? []);
    if (page.NextToken !== undefined) tokens.push(page.NextToken);
    aws.clock.advance(500); // LookupEvents allows 2 calls a second
  }

  t.deepEqual(
    pages.map((page) => page.length),
    [50, 50, 20],
  );
  const times = pages.flat().map((event) => event.EventTime?.getTime() ?? 0);
  t.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
  );
  t.is(new Set(pages.flat().map((event) => event.EventId)).size, 120);
  t.is(new Set(tokens).size, 2);
});

test('events recorded between two pages do not shift the pages', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load(Array.from({ length: 4 }, (_, i) => recordAt(aws.clock, 100 * (i + 1))));
  const first = await aws.lookupEvents({ MaxResults: 2 });

  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 1)]);
  const second = await aws.lookupEvents({ MaxResults: 2, NextToken: first.NextToken });

  t.deepEqual(
    second.Events?.map((event) => event.EventId),
    ['event-000300', 'event-000400'],
  );
  t.is(second.NextToken, undefined);
});

test('a NextToken sent with other parameters is rejected with InvalidNextTokenException', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10), recordAt(aws.clock, 20)]);
  const first = await aws.lookupEvents({ MaxResults: 1, LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'lookoutvision.amazonaws.com' }] });

  const error = await t.throwsAsync(aws.lookupEvents({ MaxResults: 1, NextToken: first.NextToken }));

  t.is(error?.name, 'InvalidNextTokenException');
});

test('a NextToken the emulator did not issue is rejected with InvalidNextTokenException', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10), recordAt(aws.clock, 20)]);
  const first = await aws.lookupEvents({ MaxResults: 1 });
  const token = first.NextToken ?? '';
  const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

  const error = await t.throwsAsync(aws.lookupEvents({ MaxResults: 1, NextToken: forged }));

  t.is(error?.name, 'InvalidNextTokenException');
});

test('StartTime and EndTime are both inclusive', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([120, 60, 30, 10].map((seconds) => recordAt(aws.clock, seconds)));

  const { Events = [] } = await aws.lookupEvents({
    StartTime: new Date(secondsAgo(aws.clock, 60)),
    EndTime: new Date(secondsAgo(aws.clock, 30)),
  });

  t.deepEqual(
    Events.map((event) => event.EventId),
    ['event-000030', 'event-000060'],
  );
});

test('a StartTime after the EndTime fails with InvalidTimeRangeException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(aws.lookupEvents({ StartTime: new Date(secondsAgo(aws.clock, 10)), EndTime: new Date(secondsAgo(aws.clock, 20)) }));

  t.is(error?.name, 'InvalidTimeRangeException');
});

test('one lookup attribute filters the events', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10, { eventName: 'CreateProject' }), recordAt(aws.clock, 20, { eventName: 'DeleteProject' })]);

  const { Events = [] } = await aws.lookupEvents({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteProject' }] });

  t.deepEqual(
    Events.map((event) => event.EventName),
    ['DeleteProject'],
  );
});

test('the ReadOnly lookup attribute matches the string form of readOnly', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10, { readOnly: true }), recordAt(aws.clock, 20, { readOnly: false })]);

  const { Events = [] } = await aws.lookupEvents({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] });

  t.deepEqual(
    Events.map((event) => event.EventId),
    ['event-000020'],
  );
});

test('more than one lookup attribute fails with InvalidLookupAttributesException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(
    aws.lookupEvents({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'CreateProject' },
        { AttributeKey: 'EventSource', AttributeValue: 'lookoutvision.amazonaws.com' },
      ],
    }),
  );

  t.is(error?.name, 'InvalidLookupAttributesException');
});

test('an unknown lookup attribute key fails with InvalidLookupAttributesException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(aws.lookupEvents({ LookupAttributes: [{ AttributeKey: 'AwsRegion' as 'EventName', AttributeValue: 'us-east-1' }] }));

  t.is(error?.name, 'InvalidLookupAttributesException');
});

for (const maxResults of [0, 51]) {
  test(`MaxResults ${maxResults} fails with InvalidMaxResultsException`, async (t) => {
    const aws = await emulatedAws(t);

    const error = await t.throwsAsync(aws.lookupEvents({ MaxResults: maxResults }));

    t.is(error?.name, 'InvalidMaxResultsException');
  });
}

test('events older than 90 days are no longer in the event history', async (t) => {
  const aws = await emulatedAws(t);
  const retentionSeconds = EVENT_HISTORY_RETENTION_MS / 1000;
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, retentionSeconds - 3600), recordAt(aws.clock, retentionSeconds + 3600)]);

  const { Events = [] } = await aws.lookupEvents({ StartTime: new Date(0) });

  t.deepEqual(
    Events.map((event) => event.EventId),
    [`event-${retentionSeconds - 3600}`],
  );
});

test('each account and region has its own event history, chosen by the SigV4 scope', async (t) => {
  const aws = await emulatedAws(t);
  const europe = new CloudTrailClient({ ...emulatorClientConfig(aws.emulator, { region: 'eu-west-1' }), maxAttempts: 1 });
  t.teardown(() => europe.destroy());
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10, { awsRegion: 'eu-west-1' }), recordAt(aws.clock, 20, { recipientAccountId: '210987654321' })]);

  const home = await aws.lookupEvents({});
  const away = await europe.send(new LookupEventsCommand({}));

  t.deepEqual(home.Events, []);
  t.deepEqual(
    away.Events?.map((event) => event.EventId),
    ['event-000010'],
  );
});

test('Insights events come back only when EventCategory is insight', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10), recordAt(aws.clock, 20, { eventCategory: 'Insight', eventType: 'AwsCloudTrailInsight' })]);

  const management = await aws.lookupEvents({});
  const insights = await aws.lookupEvents({ EventCategory: 'insight' });

  t.deepEqual(
    management.Events?.map((event) => event.EventId),
    ['event-000010'],
  );
  t.deepEqual(
    insights.Events?.map((event) => event.EventId),
    ['event-000020'],
  );
});

test('loading the same eventID twice into one history is a test mistake and throws', async (t) => {
  const aws = await emulatedAws(t);
  aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10)]);

  t.throws(() => aws.emulator.state.cloudTrail.load([recordAt(aws.clock, 10)]), { message: /already holds eventID/ });
});
