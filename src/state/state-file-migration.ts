/**
 * Version 1 of the state file keyed progress by the sources' descriptions. For LookupEvents and local
 * files that named everything read, so the key maps to its version 2 form. For an S3 source it was the
 * bucket and prefix alone, without organizationId, accounts, regions or endpoint: progress recorded
 * under such a key may belong to a run whose filters matched nothing, so it is kept under a key no
 * source has (LEGACY_KEY_PREFIX + the old key), shown by `lfvaudit state show`, and a scheduled run
 * refuses to start a new window beside it (see runScheduledAudit) until it is reset.
 */
export const LEGACY_KEY_PREFIX = 'version-1 ';

export function migrateVersion1Key(key: string): string {
  const parts = key.split(' + ');
  const migrated = parts.map(migrateVersion1Part);
  if (migrated.some((part) => part === undefined)) return `${LEGACY_KEY_PREFIX}${key}`;
  return [...new Set(migrated as string[])].sort().join(' + ');
}

export function isLegacyKey(key: string): boolean {
  return key.startsWith(LEGACY_KEY_PREFIX);
}

/** One source's version 1 description in its version 2 form; undefined when version 1 did not say what was read. */
function migrateVersion1Part(part: string): string | undefined {
  if (part.startsWith('file:')) return part;
  if (part === 'cloudtrail') return 'cloudtrail regions=default';
  if (part.startsWith('cloudtrail:')) {
    const regions = [...new Set(part.slice('cloudtrail:'.length).split(','))].sort();
    return `cloudtrail regions=${regions.join(',')}`;
  }
  return undefined;
}
