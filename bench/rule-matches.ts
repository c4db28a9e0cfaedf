import { readFileSync } from 'node:fs';
import type { MatchesByRule } from './results-table.js';

/**
 * Rule matches as lfvaudit reports them: each finding carries its rule id, the distinct events it groups
 * (lfvaudit/EventCount) and how many of them each eventName had (lfvaudit/EventNames, `Name:count,…`).
 */
export function matchesInFindingsFile(path: string): MatchesByRule {
  const document = JSON.parse(readFileSync(path, 'utf8')) as { Findings?: unknown };
  if (!Array.isArray(document.Findings)) throw new Error(`${path}: no Findings array`);
  const matches: Record<string, Record<string, number>> = {};
  for (const finding of document.Findings as { ProductFields?: Record<string, string> }[]) {
    const fields = finding.ProductFields ?? {};
    const rule = fields['lfvaudit/RuleId'];
    const names = fields['lfvaudit/EventNames'];
    if (rule === undefined || names === undefined) throw new Error(`${path}: a finding without lfvaudit/RuleId or lfvaudit/EventNames`);
    const byName = (matches[rule] ??= {});
    let counted = 0;
    for (const part of names.split(',')) {
      const colon = part.lastIndexOf(':');
      const count = Number(part.slice(colon + 1));
      byName[part.slice(0, colon)] = (byName[part.slice(0, colon)] ?? 0) + count;
      counted += count;
    }
    if (counted !== Number(fields['lfvaudit/EventCount']))
      throw new Error(`${path}: a finding of ${rule} counts ${fields['lfvaudit/EventCount'] ?? '?'} events but names ${counted}`);
  }
  return matches;
}

export function totalMatches(matches: MatchesByRule): number {
  return Object.values(matches).reduce((sum, byName) => sum + Object.values(byName).reduce((ruleSum, count) => ruleSum + count, 0), 0);
}

/** Where two rows' matches differ, one line per rule and eventName (`rule eventName: a ≠ b`); empty when they agree. */
export function matchDifferences(ruleIds: readonly string[], left: MatchesByRule, right: MatchesByRule): string[] {
  const differences: string[] = [];
  for (const rule of ruleIds) {
    const a = left[rule] ?? {};
    const b = right[rule] ?? {};
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if ((a[name] ?? 0) !== (b[name] ?? 0)) differences.push(`${rule} ${name}: ${a[name] ?? 0} ≠ ${b[name] ?? 0}`);
    }
  }
  return differences;
}
