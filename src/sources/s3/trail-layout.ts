import type { TimeWindow } from '../event-source.js';

/**
 * Where a trail writes its log files (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html):
 * `<prefix>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`,
 * with `<o-id>/` after `AWSLogs/` for an organisation trail. The day folder and the time in the name are
 * when the file was delivered, and a file holds records written at any time before its delivery.
 */

export const ACCOUNT_FOLDER = /^\d{12}$/;
export const ORGANIZATION_FOLDER = /^o-[a-z0-9]{10,32}$/;

/**
 * CloudTrail delivers a record about 5 minutes after the call, sometimes later: files delivered up to
 * this long after the window's end are read for the window's last events. A record delivered later
 * still is audited by a window that reaches its delivery time only if it also holds its eventTime.
 */
export const DELIVERY_SLACK_MS = 60 * 60_000;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** `<account>_CloudTrail_<region>_20250102T0305Z_<unique>`: the delivery minute in a log file's name. */
const LOG_FILE_NAME = /_CloudTrail_[a-z0-9-]+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/;

/** `AWSLogs/` under the configured prefix: `''`, `logs`, `logs/` and `logs/AWSLogs/` all name the same trail. */
export function awsLogsPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed === 'AWSLogs') return 'AWSLogs/';
  return trimmed.endsWith('/AWSLogs') ? `${trimmed}/` : `${trimmed}/AWSLogs/`;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * Delivery times whose files can hold events of the window: from the window's start, taken down to
 * its minute (a file named for minute M was delivered before M + 1 min), to the window's end plus the
 * delivery slack.
 */
export function deliveryRange(window: TimeWindow): { readonly start: number; readonly end: number } {
  return { start: Math.floor(window.start.getTime() / MINUTE_MS) * MINUTE_MS, end: window.end.getTime() + DELIVERY_SLACK_MS };
}

/** The delivery minute in a log file's key (epoch ms), or undefined when the name does not follow the trail's pattern. */
export function deliveryMinuteOf(key: string): number | undefined {
  const match = LOG_FILE_NAME.exec(key);
  if (match === null) return undefined;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour, minute);
  const date = new Date(time);
  // Date.UTC rolls 2025-02-30 over into March: such a name is not a delivery time.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  return time;
}

/** True when a file delivered at this minute can hold events of the range (see deliveryRange). */
export function deliveredInRange(deliveryMinute: number, range: { readonly start: number; readonly end: number }): boolean {
  return deliveryMinute >= range.start && deliveryMinute < range.end;
}

/** The UTC days `[start, end)` touches, as `YYYY-MM-DD`, in order. */
export function utcDaysTouched(start: number, end: number): string[] {
  const days: string[] = [];
  if (start >= end) return days;
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

/** `2025-01-02` → `2025/01/02/`, the day folder under a region. */
export function dayFolder(day: string): string {
  return `${day.replaceAll('-', '/')}/`;
}
