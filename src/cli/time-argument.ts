import { parseStrictIsoTime } from '../shared/strict-iso-time.js';
import { UsageError } from './usage-error.js';

const RELATIVE = /^(\d+)([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * `--since` / `--until`: an ISO 8601 time (`2025-10-20T00:00:00Z`, `2025-10-20`), or a duration before
 * now (`90m`, `24h`, `7d`, `2w`). A date or time without a zone is read as UTC, like CloudTrail's own times.
 * Impossible dates and times (`2025-02-30`, `T24:00`) are refused, never rolled over.
 */
export function parseTimeArgument(flag: string, text: string, now: Date): Date {
  const relative = RELATIVE.exec(text);
  if (relative) {
    const [, amount, unit] = relative as unknown as [string, string, keyof typeof UNIT_MS];
    return new Date(now.getTime() - Number(amount) * UNIT_MS[unit]);
  }
  const parsed = parseStrictIsoTime(text);
  if (parsed !== undefined) return parsed;
  throw new UsageError(
    `${flag} ${JSON.stringify(text)}: expected a valid ISO time (2025-10-20T00:00:00Z, 2025-10-20) or a duration before now (90m, 24h, 7d, 2w)`,
  );
}
