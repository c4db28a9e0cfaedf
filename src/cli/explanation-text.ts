import type { ConditionExplanation, RuleExplanation } from '../ruleset/explain-condition.js';
import { ANY_EVENT_SOURCE, type RuleThreshold } from '../ruleset/rule.js';
import { spanWords, thresholdRuleText } from '../findings/threshold-text.js';
import { isFactReference } from '../ruleset/rule-definition.js';
import { displayName, escapeText } from '../shared/terminal-text.js';
import { relativeFile } from './rule-listing.js';

/** Values longer than this are cut with `…`: a whole requestParameters object would drown the tree. */
const VALUE_WIDTH = 80;

/**
 * `lfvaudit explain` as text: the scope check, then the condition tree with, for every comparison,
 * the dotted fact path, the value it read, the operator, the comparison value and the result; then
 * the verdict.
 */
export function renderExplanation(explanation: RuleExplanation, cwd: string): string[] {
  const { scope } = explanation;
  const lines = [
    'scope',
    `  ${mark(scope.eventSource.result)} eventSource ${shown(scope.eventSource.actual)} ${expectedSources(scope.eventSource)} → ${String(scope.eventSource.result)}`,
  ];
  if (scope.eventName !== undefined)
    lines.push(
      `  ${mark(scope.eventName.result)} eventName ${shown(scope.eventName.actual)} in ${shown(scope.eventName.expected)} → ${String(scope.eventName.result)}`,
    );
  else lines.push('  ✔ eventName: any (the rule names no events)');
  lines.push('conditions');
  renderCondition(explanation.conditions, 1, cwd, lines);
  const why = !scope.result
    ? ' (out of scope: the conditions are not evaluated by a run)'
    : explanation.conditions.result
      ? ''
      : ' (the conditions do not hold)';
  lines.push(`verdict: ${explanation.verdict}${why}`);
  return lines;
}

/**
 * A threshold rule's line under the rule's: explain decides on one event, and for such a rule a match
 * is one event counted towards the threshold, not a finding of its own.
 */
export function thresholdLine(threshold: RuleThreshold): string {
  const needed =
    threshold.distinct === undefined
      ? `${threshold.count} matching events of one group`
      : `one group's matching events with ${threshold.count} distinct ${threshold.distinct} values`;
  return escapeText(
    `threshold ${thresholdRuleText(threshold)}: a match counts towards it; a run reports a finding only for ${needed} within ${spanWords(threshold.within)}`,
  );
}

function expectedSources(check: RuleExplanation['scope']['eventSource']): string {
  if (check.expected !== ANY_EVENT_SOURCE) return `in ${shown(check.expected)}`;
  return check.except === undefined ? 'in any source' : `in any source except ${shown(check.except)}`;
}

/** `inElement`: the condition is read from a list element (under anyElement / everyElement), not from the record. */
function renderCondition(condition: ConditionExplanation, depth: number, cwd: string, lines: string[], inElement = false): void {
  const indent = '  '.repeat(depth);
  const where = condition.position === undefined ? '' : `  (${displayName(relativeFile(condition.position.file, cwd))}:${condition.position.line})`;
  switch (condition.kind) {
    case 'all':
    case 'any':
      lines.push(
        `${indent}${mark(condition.result)} ${condition.kind}${condition.kind === 'all' ? ' (every one below)' : ' (at least one below)'} → ${String(condition.result)}${where}`,
      );
      for (const child of condition.children) renderCondition(child, depth + 1, cwd, lines, inElement);
      return;
    case 'not':
      lines.push(`${indent}${mark(condition.result)} not (the one below is false) → ${String(condition.result)}${where}`);
      renderCondition(condition.child, depth + 1, cwd, lines, inElement);
      return;
    case 'elements': {
      const count = condition.elements.length;
      const what = condition.quantifier === 'anyElement' ? 'any element' : 'every element';
      const found = Array.isArray(condition.factValue)
        ? `${count} element${count === 1 ? '' : 's'}`
        : condition.factValue === undefined
          ? 'absent'
          : `not a list: ${shown(condition.factValue)}`;
      lines.push(`${indent}${mark(condition.result)} ${condition.fact}: ${what} (${found}) → ${String(condition.result)}${where}`);
      condition.elements.forEach((element, index) => {
        lines.push(`${indent}  ${mark(element.result)} element ${index}`);
        renderCondition(element, depth + 2, cwd, lines, true);
      });
      return;
    }
    case 'comparison': {
      const value = isFactReference(condition.value) ? `{fact: ${condition.value.fact}}: ${shown(condition.referencedValue)}` : shown(condition.value);
      // The empty path is what the condition reads from: the whole record (a Sigma rule's keywords), named
      // rather than printed, or a list element, printed as any field is.
      const read =
        condition.fact !== ''
          ? `${condition.fact}: ${shown(condition.factValue)}`
          : inElement
            ? `(the element): ${shown(condition.factValue)}`
            : '(every value of the record)';
      lines.push(`${indent}${mark(condition.result)} ${read} ${condition.operator} ${value} → ${String(condition.result)}${where}`);
    }
  }
}

function mark(result: boolean): string {
  return result ? '✔' : '✘';
}

/** JSON, cut to VALUE_WIDTH, on one line; an absent field says so rather than printing nothing. */
export function shown(value: unknown): string {
  if (value === undefined) return '(absent)';
  const json = escapeText(JSON.stringify(value));
  return json.length > VALUE_WIDTH ? `${json.slice(0, VALUE_WIDTH - 1)}…` : json;
}
