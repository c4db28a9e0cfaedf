import { parseStrictIsoTime } from '../shared/strict-iso-time.js';
import type { AuditState, ScopeProgress } from './audit-state.js';
import { migrateVersion1Key } from './state-file-migration.js';

/**
 * The state file's format:
 * `{ "version": 2, "scopes": { "<progress key>": { "lastCompletedEnd": ISO, "updatedAt": ISO, "runs": n } } }`.
 * Bump the version on any change an older lfvaudit would misread. Earlier builds also wrote a
 * `sources` object (progress a source might keep for itself; no source ever kept any): it is ignored
 * and dropped by the next write, and an older build reads a file without it, since it was optional.
 *
 * Version 2 keys progress by what was read, filters included (see sourceProgressKey). Version 1 keyed an
 * S3 source by its bucket and prefix alone; such a file is read and its keys migrated (see
 * migrateVersion1Key), and written back as version 2 by the next change.
 */
export const STATE_FILE_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

/** The state file is corrupt or of another version. Never recovered silently: a reset would re-audit or skip history. */
export class AuditStateFileError extends Error {
  override readonly name = 'AuditStateFileError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${file}: unusable audit state: ${problems.join('; ')}. lfvaudit does not reset its state on its own, since that would ` +
        're-audit or skip history: repair the file, or delete it to start again with the first-run look-back.',
    );
  }
}

/** Parses and validates a state file's text into an AuditState, or throws AuditStateFileError listing every problem. */
export function parseAuditState(text: string, file: string): AuditState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = text.trim() === '' ? 'the file is empty' : `not valid JSON (${(error as Error).message})`;
    throw new AuditStateFileError(file, [detail]);
  }
  if (!isPlainObject(value)) throw new AuditStateFileError(file, [`expected a JSON object, got ${describe(value)}`]);
  const version = ownValue(value, 'version');
  if (!READABLE_VERSIONS.includes(version)) {
    const problem =
      version === undefined
        ? 'it has no "version"'
        : `version ${JSON.stringify(version)} is not supported (this lfvaudit reads versions ${READABLE_VERSIONS.join(' and ')}; a newer lfvaudit may have written it)`;
    throw new AuditStateFileError(file, [problem]);
  }

  const problems: string[] = [];
  const scopes = new Map<string, ScopeProgress>();
  const rawScopes = ownValue(value, 'scopes');
  if (isPlainObject(rawScopes)) {
    for (const [key, entry] of Object.entries(rawScopes)) {
      const progress = parseScopeProgress(entry, `scopes[${JSON.stringify(key)}]`, problems);
      if (progress !== undefined) scopes.set(version === 1 ? migrateVersion1Key(key) : key, progress);
    }
  } else {
    problems.push(`"scopes": expected an object, got ${describe(rawScopes)}`);
  }

  if (problems.length > 0) throw new AuditStateFileError(file, problems);
  return { scopes };
}

/** The file's text: keys sorted so that successive versions diff cleanly. */
export function serializeAuditState(state: AuditState): string {
  const scopes = sortedEntries(state.scopes).map(([key, progress]): [string, object] => [
    key,
    { lastCompletedEnd: progress.lastCompletedEnd.toISOString(), updatedAt: progress.updatedAt.toISOString(), runs: progress.runs },
  ]);
  // Object.fromEntries defines own properties, so a `__proto__` key stays a plain key here too.
  const document = { version: STATE_FILE_VERSION, scopes: Object.fromEntries(scopes) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function parseScopeProgress(entry: unknown, where: string, problems: string[]): ScopeProgress | undefined {
  if (!isPlainObject(entry)) {
    problems.push(`${where}: expected an object, got ${describe(entry)}`);
    return undefined;
  }
  const before = problems.length;
  const lastCompletedEnd = parseIsoTime(ownValue(entry, 'lastCompletedEnd'), `${where}.lastCompletedEnd`, problems);
  const updatedAt = parseIsoTime(ownValue(entry, 'updatedAt'), `${where}.updatedAt`, problems);
  const runs = ownValue(entry, 'runs');
  if (typeof runs !== 'number' || !Number.isSafeInteger(runs) || runs < 0) problems.push(`${where}.runs: expected a whole number ≥ 0, got ${describe(runs)}`);
  if (problems.length > before || lastCompletedEnd === undefined || updatedAt === undefined) return undefined;
  return { lastCompletedEnd, updatedAt, runs: runs as number };
}

/** Strict: an impossible time (`2025-02-30`, `T24:00`) is a problem, never rolled over to another day. */
function parseIsoTime(value: unknown, where: string, problems: string[]): Date | undefined {
  const time = typeof value === 'string' && /T\d{2}:\d{2}:\d{2}/.test(value) ? parseStrictIsoTime(value, { requireZone: true }) : undefined;
  if (time === undefined) {
    problems.push(`${where}: expected a valid ISO 8601 time such as 2025-10-20T06:00:00.000Z, got ${describe(value)}`);
    return undefined;
  }
  return time;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
