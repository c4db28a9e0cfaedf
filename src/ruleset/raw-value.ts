/**
 * Reading parsed YAML before it is known to be valid. Own properties only: a key such as `constructor`
 * or `__proto__` in a rule file is an ordinary (unknown) key, never a door to Object.prototype.
 */
export type RawMapping = { readonly [key: string]: unknown };

export function isMapping(value: unknown): value is RawMapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function ownField(mapping: RawMapping, key: string): unknown {
  return Object.hasOwn(mapping, key) ? mapping[key] : undefined;
}

/** `{param: NAME}` as written in a rule: a mapping with exactly the key `param`. */
export function paramName(value: unknown): string | undefined {
  return singleStringKey(value, 'param');
}

/** `{fact: PATH}` as written in a rule: a mapping with exactly the key `fact`. */
export function factReferencePath(value: unknown): string | undefined {
  return singleStringKey(value, 'fact');
}

/** The string value of a mapping's only key, when that key is `key`. */
export function singleStringKey(value: unknown, key: string): string | undefined {
  if (!isMapping(value)) return undefined;
  const keys = Object.keys(value);
  const only = keys.length === 1 && keys[0] === key ? value[key] : undefined;
  return typeof only === 'string' ? only : undefined;
}
