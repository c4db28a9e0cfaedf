import { didYouMean } from '../../shared/did-you-mean.js';
import { quoted } from '../../shared/diagnostics.js';
import { CLOUDTRAIL_RECORD_SHAPE, type FieldShape } from '../record-shape.js';
import type { Condition, LeafCondition, SourcePosition } from '../rule.js';

/**
 * A Sigma field path as lfvaudit reads it. Sigma backends over JSON documents (Elasticsearch, Splunk's
 * spath, ...) read a dotted field through lists: `requestParameters.containerDefinitions.command` holds
 * the commands of every container, and a comparison holds when one value reached matches. The path is cut
 * where a list may stand, each cut one anyElement: at a list the record shape documents (`resources`), and
 * at every value below a free-form field (`requestParameters.containerDefinitions` is a list of objects in
 * ECS calls, an object in others). A free-form field itself holds an object, so paths one step below it
 * (`requestParameters.userName`) and documented fields (`userIdentity.type`) are read as they are.
 */
export interface SigmaFieldPath {
  /** The path cut where it may cross a list: the first part read from the record, each next one from the elements of the one before. */
  readonly parts: readonly string[];
  /** The value reached may itself be a list (documented as one, or free-form). */
  readonly valueMayBeList: boolean;
  /** The first documented list the path crosses (`resources`), if it crosses one. */
  readonly documentedList?: string;
}

export type SigmaFieldPathLookup = ({ readonly ok: true } & SigmaFieldPath) | { readonly ok: false; readonly message: string };

const LIST_INDEX = /^(0|[1-9][0-9]*)$/;

/** The field path checked against the record shape and cut at the lists it may cross. */
export function sigmaFieldPath(field: string): SigmaFieldPathLookup {
  const segments = field.split('.');
  if (segments.some((segment) => segment === '')) return { ok: false, message: `${quoted(field)} is not a dotted path: segments must not be empty` };
  const parts: string[][] = [[]];
  let shape: FieldShape = CLOUDTRAIL_RECORD_SHAPE;
  let where = 'a CloudTrail record';
  /** The index of the free-form field the path is below, once it is. */
  let freeFormAt: number | undefined;
  let documentedList: string | undefined;
  for (const [index, segment] of segments.entries()) {
    const reached = segments.slice(0, index).join('.');
    // A decimal segment addresses a list element by its index (`resources.0.ARN`), as lfvaudit's fact paths do.
    const isIndex = LIST_INDEX.test(segment);
    if (freeFormAt !== undefined) {
      if (index > freeFormAt + 1 && !isIndex) parts.push([]);
      parts.at(-1)?.push(segment);
      continue;
    }
    if (shape.type === 'list' && shape.items !== undefined) {
      if (!isIndex) {
        parts.push([]);
        documentedList ??= reached;
      }
      shape = shape.items;
      where = `an element of ${reached}`;
      if (isIndex) {
        parts.at(-1)?.push(segment);
        continue;
      }
    }
    const next = shape.fields?.get(segment);
    if (next === undefined) {
      if (shape.fields === undefined) return { ok: false, message: `${reached} is a ${shape.type} in CloudTrail records and has no field ${quoted(segment)}` };
      const known = [...shape.fields.keys()];
      return { ok: false, message: `unknown field ${quoted(segment)} in ${where}${didYouMean(segment, known)}; known fields: ${known.join(', ')}` };
    }
    parts.at(-1)?.push(segment);
    shape = next;
    where = segments.slice(0, index + 1).join('.');
    if (shape.type === 'free-form') freeFormAt = index;
  }
  return {
    ok: true,
    parts: parts.map((part) => part.join('.')),
    valueMayBeList: (freeFormAt !== undefined && freeFormAt < segments.length - 1) || shape.type === 'list',
    ...(documentedList === undefined ? {} : { documentedList }),
  };
}

/**
 * The comparison held by some value the path reaches: nested anyElement conditions, one per cut, around
 * the comparison on the last part. Where that value may be a list, the comparison is made on each of its
 * elements too (anyElement on the empty path, the element itself), except for `matchesWildcard`, which
 * already reads every value under a list. A path that crosses no list is the plain comparison.
 */
export function reachedValueCondition(
  path: SigmaFieldPath,
  comparison: { readonly operator: string; readonly value: unknown },
  position: SourcePosition,
): Condition {
  const parts = path.parts;
  const last = parts.at(-1) ?? '';
  let condition: Condition =
    path.valueMayBeList && comparison.operator !== 'matchesWildcard'
      ? { fact: last, quantifier: 'anyElement', element: { fact: '', ...comparison, position }, position }
      : ({ fact: last, ...comparison, position } satisfies LeafCondition);
  for (const part of parts.slice(0, -1).reverse()) condition = { fact: part, quantifier: 'anyElement', element: condition, position };
  return condition;
}

/**
 * Sigma's `null` and `exists: false`: the path reaches no value that is present and not null (an empty
 * list, or one of nulls, reaches none), as Elasticsearch's `NOT _exists_:field`.
 */
export function noValueCondition(path: SigmaFieldPath, position: SourcePosition): Condition {
  if (path.parts.length === 1 && !path.valueMayBeList) return { fact: path.parts[0] ?? '', operator: 'exists', value: false, position };
  return { not: reachedValueCondition(path, { operator: 'exists', value: true }, position), position };
}
