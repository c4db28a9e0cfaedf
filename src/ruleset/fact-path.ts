/**
 * Reads a dotted fact path (`userIdentity.sessionContext.attributes.mfaAuthenticated`, `resources.0.ARN`)
 * from a record. Only the record's own properties are read, so `constructor`, `__proto__` or `toString`
 * never reach Object.prototype: a path reads what the event holds, or undefined. List elements are
 * addressed by decimal index. The empty path reads the whole record.
 */
export function readFactPath(record: unknown, path: string): unknown {
  // The empty path is the record itself, as json-rules-engine reads a fact without a path.
  if (path === '') return record;
  let current = record;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment) || !Object.hasOwn(current, segment)) return undefined;
      current = current[Number(segment)];
    } else {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
