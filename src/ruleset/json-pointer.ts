/**
 * JSON Pointers (RFC 6901) name a place in a parsed rule file: `/conditions/all/1/operator`. They are
 * the common key between the YAML positions, ajv's `instancePath` and the semantic checks.
 */
export type JsonPointer = string;

export const ROOT_POINTER: JsonPointer = '';

export function childPointer(parent: JsonPointer, segment: string | number): JsonPointer {
  return `${parent}/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** The pointer one level up; the root is its own parent. */
export function parentPointer(pointer: JsonPointer): JsonPointer {
  const slash = pointer.lastIndexOf('/');
  return slash <= 0 ? ROOT_POINTER : pointer.slice(0, slash);
}
