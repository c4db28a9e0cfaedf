import type { RuleTestResult } from '../audit/rule-test-runner.js';
import { displayName, escapeText } from '../shared/terminal-text.js';
import { relativeFile } from './rule-listing.js';

/**
 * A runner-style report: each rule with its file, ✔ or ✘ per test, and under a failed test where it is
 * written and what differed; then `N passed, M failed`.
 */
export function renderRuleTestReport(results: readonly RuleTestResult[], cwd: string): string[] {
  const lines: string[] = [];
  let currentRule: string | undefined;
  for (const result of results) {
    if (result.rule.id !== currentRule) {
      currentRule = result.rule.id;
      lines.push(`${result.rule.id} (${displayName(relativeFile(result.rule.file, cwd))})`);
    }
    lines.push(`  ${result.passed ? '✔' : '✘'} ${escapeText(result.test.name)}`);
    const { file, line, column } = result.test.position;
    for (const failure of result.failures) lines.push(`      ${displayName(relativeFile(file, cwd))}:${line}:${column}: ${escapeText(failure)}`);
  }
  const failed = results.filter((result) => !result.passed).length;
  if (lines.length > 0) lines.push('');
  lines.push(`${results.length - failed} passed, ${failed} failed`);
  return lines;
}
