import { EVENT_SOURCE_PATTERN } from '../event-catalog.js';
import { ANY_EVENT_SOURCE, type Condition, type RuleScope } from '../rule.js';
import { wildcardTokens } from '../wildcard-pattern.js';

/**
 * The scope of a translated Sigma rule: the event sources its condition requires, when every way it can
 * hold compares `eventSource` with plain values (no wildcards); else every source. The sources are
 * lowercased, as CloudTrail writes them: the scope lets the compiled evaluator's index skip the rule for
 * records of other sources, and the condition still compares eventSource (ignoring case) itself.
 */
export function scopeOfCondition(condition: Condition): RuleScope {
  const sources = requiredSources(condition);
  return sources === undefined || sources.size === 0 ? { eventSource: ANY_EVENT_SOURCE } : { eventSource: [...sources] };
}

/** The sources a record must have for the condition to hold; undefined: any source may do. */
function requiredSources(condition: Condition): ReadonlySet<string> | undefined {
  if ('all' in condition) {
    let required: Set<string> | undefined;
    for (const child of condition.all) {
      const sources = requiredSources(child);
      if (sources === undefined) continue;
      required = required === undefined ? new Set(sources) : new Set([...required].filter((source) => sources.has(source)));
    }
    return required;
  }
  if ('any' in condition) {
    const union = new Set<string>();
    for (const child of condition.any) {
      const sources = requiredSources(child);
      if (sources === undefined) return undefined;
      for (const source of sources) union.add(source);
    }
    return condition.any.length === 0 ? undefined : union;
  }
  if ('not' in condition || 'element' in condition || condition.fact !== 'eventSource' || condition.operator !== 'matchesWildcard') return undefined;
  const patterns: readonly unknown[] = Array.isArray(condition.value) ? condition.value : [condition.value];
  const sources = new Set<string>();
  for (const pattern of patterns) {
    if (typeof pattern !== 'string') return undefined;
    const tokens = wildcardTokens(pattern);
    const [only] = tokens;
    if (tokens.length !== 1 || only === undefined || !('literal' in only)) return undefined;
    const source = only.literal.toLowerCase();
    if (!EVENT_SOURCE_PATTERN.test(source)) return undefined;
    sources.add(source);
  }
  return sources;
}
