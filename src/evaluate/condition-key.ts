import { factReferencePath } from '../ruleset/raw-value.js';
import type { Condition } from '../ruleset/rule.js';

/** A condition's key, or undefined when it has none; passed in so that a caller can remember the keys of subtrees. */
export type ConditionKeyOf = (condition: Condition) => string | undefined;

/**
 * A text that two conditions share exactly when they are the same comparison tree, positions aside: the
 * same combinators over the same children in the same order, and leaves with the same fact path, operator
 * and value. Such conditions give the same verdict on every record. Undefined when some value in the tree
 * is anything but plain data (strings, finite numbers, booleans, null, lists of them, `{fact}` references):
 * such a condition is never taken for another. `keyOf` gives the children's keys.
 */
export function conditionKey(condition: Condition, keyOf: ConditionKeyOf = conditionKey): string | undefined {
  if ('all' in condition) return listKey('all', condition.all, keyOf);
  if ('any' in condition) return listKey('any', condition.any, keyOf);
  if ('not' in condition) {
    const inner = keyOf(condition.not);
    return inner === undefined ? undefined : `not(${inner})`;
  }
  if ('element' in condition) {
    const inner = keyOf(condition.element);
    return inner === undefined ? undefined : `${condition.quantifier}(${JSON.stringify(condition.fact)},${inner})`;
  }
  const value = valueKey(condition.value);
  return value === undefined ? undefined : `leaf(${JSON.stringify(condition.fact)},${JSON.stringify(condition.operator)},${value})`;
}

function listKey(combinator: string, children: readonly Condition[], keyOf: ConditionKeyOf): string | undefined {
  const keys: string[] = [];
  for (const child of children) {
    const key = keyOf(child);
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return `${combinator}(${keys.join(',')})`;
}

function valueKey(value: unknown): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  // -0, NaN and the infinities are left out rather than reasoned about: JSON would write them as 0 or null.
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const keys: string[] = [];
    for (const item of value) {
      const key = valueKey(item);
      if (key === undefined) return undefined;
      keys.push(key);
    }
    return `[${keys.join(',')}]`;
  }
  const path = factReferencePath(value);
  return path === undefined ? undefined : `{fact:${JSON.stringify(path)}}`;
}
