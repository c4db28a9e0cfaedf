import { stringField, type CloudTrailRecord } from './cloudtrail-record.js';

/**
 * `2025-10-20T12:01:02Z`, `...02.123Z`, Panther's `2025-01-21 17:49:47.000000000` (UTC, no zone),
 * LookupEvents' `2022-02-08 09:23:37+11:00`. Parsed by hand: Date.parse reads a date-time without a
 * zone as local time and accepts many non-ISO forms, which would shift or invent times.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:[Zz]|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * When the event happened, in epoch milliseconds: its eventTime, or Logstash's `@timestamp` for
 * records shipped without one. Undefined when neither is a valid date-time; the audit counts those.
 */
export function eventTimeOf(record: CloudTrailRecord): number | undefined {
  const field = Object.hasOwn(record, 'eventTime') && record['eventTime'] !== null ? 'eventTime' : '@timestamp';
  const text = stringField(record, field);
  return text === undefined ? undefined : parseDateTime(text.trim());
}

/** A missing zone means UTC: CloudTrail writes UTC, and the exports that drop the `Z` keep UTC. */
function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((digits) => Number(digits ?? '0')) as [number, number, number, number, number, number];
  const fraction = match[7] ?? '';
  const [offsetSign, offsetHours = 0, offsetMinutes = 0] = [match[8], Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn the years 0-99 into 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  const utc = date.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return offsetSign === '-' ? utc + offset : utc - offset;
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}
