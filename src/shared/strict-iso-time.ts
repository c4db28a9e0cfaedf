const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO 8601 date or date-time, checked field by field: `2025-02-30` and `T24:00` are refused, where
 * `Date.parse` rolls them over to the next month or day. A time without a zone is read as UTC, like
 * CloudTrail's own times; `requireZone` refuses it (files lfvaudit writes always carry one).
 * Undefined when the text is not such a time.
 */
export function parseStrictIsoTime(text: string, options: { readonly requireTime?: boolean; readonly requireZone?: boolean } = {}): Date | undefined {
  const match = ISO_TIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, , zone] = match;
  if (hour === undefined && options.requireTime === true) return undefined;
  if (zone === undefined && options.requireZone === true) return undefined;
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
  };
  if (fields.month < 1 || fields.month > 12) return undefined;
  if (fields.day < 1 || fields.day > daysInMonth(fields.year, fields.month)) return undefined;
  if (fields.hour > 23 || fields.minute > 59 || fields.second > 59) return undefined;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  const withTime = hour === undefined ? `${text}T00:00:00` : text;
  const parsed = new Date(zone === undefined ? `${withTime}Z` : withTime);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; Date.UTC handles leap years.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
