import test from 'ava';
import fc from 'fast-check';

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

test("CloudTrail's own form, read digit by digit, gets the general parser's verdict on every date, on the calendar or not", (t) => {
  // Mostly in range, sometimes any two digits: both sides of every limit get tried.
  const twoDigits = (max: number): fc.Arbitrary<string> =>
    fc
      .oneof({ arbitrary: fc.integer({ min: 0, max }), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 99 }), weight: 1 })
      .map((value) => String(value).padStart(2, '0'));
  const oddDigit = fc.constantFrom('0', '9', 'a', ' ', '/', '-', ':');
  const canonical = fc.record({
    year: fc.oneof(fc.integer({ min: 1960, max: 2110 }), fc.constantFrom(1970, 2000, 2024, 2100, 2400)).map((value) => String(value).padStart(4, '0')),
    month: twoDigits(12),
    day: fc.oneof(twoDigits(31), fc.constantFrom('28', '29', '30', '31')),
    hour: twoDigits(23),
    minute: twoDigits(59),
    second: twoDigits(59),
  });
  let onCalendar = 0;
  fc.assert(
    fc.property(canonical, fc.option(fc.tuple(fc.nat({ max: 19 }), oddDigit), { freq: 4 }), ({ year, month, day, hour, minute, second }, damage) => {
      let text = `${year}-${month}-${day}T${hour}:${minute}:${second}Z`;
      if (damage !== null) text = text.slice(0, damage[0]) + damage[1] + text.slice(damage[0] + 1);
      // With milliseconds the same time takes the regex path: both must agree, on or off the calendar.
      const general = at(text.replace(/Z$/, '.000Z'));
      const fast = at(text);
      if (fast !== undefined) onCalendar += 1;
      return fast === general;
    }),
    { numRuns: 5000, seed: 20251125 },
  );
  // Not vacuous: most generated times exist.
  t.true(onCalendar > 1000, `${onCalendar}`);
});
