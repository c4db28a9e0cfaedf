/**
 * The UTC periods a finding's event coverage is kept in. A period is a digit string whose prefixes are
 * the periods around it: `2025102013` (the hour 13:00–14:00 UTC on 20 October 2025) lies in the day
 * `20251020`, which lies in the month `202510`. Hours are what runs record; days and months appear only
 * when a finding's coverage had to be compacted to fit its ProductFields (docs/findings-lifecycle.md).
 * Events without a readable eventTime share the period `-`, which lies in no other.
 */

export const UNDATED_PERIOD = '-';

const HOUR_MS = 60 * 60 * 1000;
const PERIOD = /^(\d{4})(\d{2})(?:(\d{2})(\d{2})?)?$/;

/** The hour an event happened in (`YYYYMMDDHH`, UTC), or `-` without a time. */
export function hourPeriodOf(epochMs: number | undefined): string {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return UNDATED_PERIOD;
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  // toISOString writes years outside 0000–9999 as ±YYYYYY: no CloudTrail event has one.
  if (Number.isNaN(year) || year < 0 || year > 9999) return UNDATED_PERIOD;
  // Once per record: digits by hand rather than toISOString and slices.
  return `${String(year).padStart(4, '0')}${twoDigits(date.getUTCMonth() + 1)}${twoDigits(date.getUTCDate())}${twoDigits(date.getUTCHours())}`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `[start, end)` of a period in epoch ms; undefined for `-` or a string that is not a period. */
export function periodRange(period: string): { readonly start: number; readonly end: number } | undefined {
  const match = PERIOD.exec(period);
  if (match === null) return undefined;
  const [year, month, day, hour] = match.slice(1).map((digits) => (digits === undefined ? undefined : Number(digits)));
  if (year === undefined || month === undefined || month < 1 || month > 12) return undefined;
  const start = new Date(0);
  start.setUTCFullYear(year, month - 1, day ?? 1);
  start.setUTCHours(hour ?? 0, 0, 0, 0);
  if (day !== undefined && (start.getUTCMonth() !== month - 1 || day < 1)) return undefined;
  if (hour !== undefined && hour > 23) return undefined;
  const end = new Date(start.getTime());
  if (hour !== undefined) end.setTime(start.getTime() + HOUR_MS);
  else if (day !== undefined) end.setUTCDate(end.getUTCDate() + 1);
  else end.setUTCMonth(end.getUTCMonth() + 1);
  return { start: start.getTime(), end: end.getTime() };
}

export function isPeriod(text: string): boolean {
  return text === UNDATED_PERIOD || periodRange(text) !== undefined;
}

/** The day of an hour, the month of a day; undefined for a month or `-`. */
export function coarserPeriod(period: string): string | undefined {
  if (period === UNDATED_PERIOD || period.length <= 6) return undefined;
  return period.slice(0, period.length - 2);
}

/** The periods that cover `period`, itself first, then ever coarser. */
export function periodsCovering(period: string): string[] {
  const periods = [period];
  for (let next = coarserPeriod(period); next !== undefined; next = coarserPeriod(next)) periods.push(next);
  return periods;
}
