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
export function parseDateTime(text: string): number | undefined {
  return canonicalDateTime(text) ?? parseAnyDateTime(text);
}

/**
 * CloudTrail's own form, `YYYY-MM-DDTHH:MM:SSZ` with a year from 1970, read digit by digit: what
 * nearly every record holds, at a fraction of the cost of the regex and its match array (once a record).
 * Anything else, or a date that does not exist, is left to {@link parseAnyDateTime}, which decides
 * (test/records/event-time.test.ts holds the two to the same verdicts).
 */
function canonicalDateTime(text: string): number | undefined {
  if (text.length !== 20 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== LETTER_T) return undefined;
  if (text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON || text.charCodeAt(19) !== LETTER_Z) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0))) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const DASH = 0x2d;
const COLON = 0x3a;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

/** The decimal number of `length` digits at `start`, or -1 when a character there is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let at = start; at < start + length; at += 1) {
    const digit = text.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function parseAnyDateTime(text: string): number | undefined {
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
