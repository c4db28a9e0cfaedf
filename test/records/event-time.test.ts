import test from 'ava';

import { eventTimeOf } from '../../src/records/event-time.js';

const at = (eventTime: unknown): number | undefined => eventTimeOf({ eventTime });

test('an ISO time in UTC', (t) => {
  t.is(at('2025-10-20T11:58:31Z'), Date.UTC(2025, 9, 20, 11, 58, 31));
});

test('an ISO time with milliseconds', (t) => {
  t.is(at('2025-10-20T11:58:31.123Z'), Date.UTC(2025, 9, 20, 11, 58, 31, 123));
});

test("Panther's space-separated time with nanoseconds, read as UTC", (t) => {
  t.is(at('2025-01-21 17:49:47.000000000'), Date.UTC(2025, 0, 21, 17, 49, 47));
  t.is(at('2025-01-21 17:49:47.987654321'), Date.UTC(2025, 0, 21, 17, 49, 47, 987));
});

test('a time without seconds or zone, read as UTC', (t) => {
  t.is(at('2025-01-21 17:49:47'), Date.UTC(2025, 0, 21, 17, 49, 47));
});

test('a local time with an offset, as LookupEvents exports write it', (t) => {
  t.is(at('2022-02-08 09:23:37+11:00'), Date.UTC(2022, 1, 7, 22, 23, 37));
  t.is(at('2025-10-20T08:28:31-03:30'), Date.UTC(2025, 9, 20, 11, 58, 31));
});

test("Logstash's @timestamp is used when eventTime is absent", (t) => {
  t.is(eventTimeOf({ '@timestamp': '2020-09-14T00:44:23.000Z' }), Date.UTC(2020, 8, 14, 0, 44, 23));
  t.is(eventTimeOf({ eventTime: null, '@timestamp': '2020-09-14T00:44:23.000Z' }), Date.UTC(2020, 8, 14, 0, 44, 23));
});

test('@timestamp does not stand in for an eventTime that is present but unreadable', (t) => {
  t.is(eventTimeOf({ eventTime: 'redacted', '@timestamp': '2020-09-14T00:44:23.000Z' }), undefined);
});

test('a record without a time has none', (t) => {
  t.is(eventTimeOf({ eventName: 'CreateProject' }), undefined);
});

test('placeholders and other formats are not guessed at', (t) => {
  for (const text of ['redacted', '...', '', 'Oct 20, 2025, 11:58:31 AM', '1760961511', '2025-10-20', '20251020T115831Z']) {
    t.is(at(text), undefined, text);
  }
});

test('a time that is not on the calendar is rejected, not rolled over', (t) => {
  for (const text of ['2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-10-20T24:00:00Z', '2025-10-20T11:60:00Z', '2025-10-20T11:58:31+25:00']) {
    t.is(at(text), undefined, text);
  }
  t.is(at('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
});

test('a non-string eventTime has no time', (t) => {
  t.is(at(1760961511000), undefined);
  t.is(at({ value: '2025-10-20T11:58:31Z' }), undefined);
});

test('an inherited eventTime is not read', (t) => {
  t.is(eventTimeOf(Object.create({ eventTime: '2025-10-20T11:58:31Z' }) as Record<string, unknown>), undefined);
});
