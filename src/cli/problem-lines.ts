import { displayName, escapeText } from '../shared/terminal-text.js';

export interface InputProblem {
  readonly origin: string;
  readonly line?: number;
  readonly reason: string;
}

/** How many problems of one input are printed with their positions before the rest are counted. */
export const PROBLEMS_SHOWN_PER_INPUT = 3;

/**
 * Unreadable inputs as stderr lines, grouped per input: the first few problems with their positions,
 * then `and N more lines: same problem` (or `with other problems`), so a file of 500 bad lines is four
 * lines, not 500. Names and reasons come from outside and are escaped.
 */
export function problemLines(problems: readonly InputProblem[], shownPerInput = PROBLEMS_SHOWN_PER_INPUT): string[] {
  const byOrigin = new Map<string, InputProblem[]>();
  for (const problem of problems) {
    const list = byOrigin.get(problem.origin) ?? [];
    list.push(problem);
    byOrigin.set(problem.origin, list);
  }
  const lines: string[] = [];
  for (const [origin, list] of byOrigin) {
    const name = displayName(origin);
    for (const problem of list.slice(0, shownPerInput)) {
      lines.push(`${name}${problem.line === undefined ? '' : `:${problem.line}`}: error unreadable-input: ${escapeText(problem.reason)}`);
    }
    const rest = list.slice(shownPerInput);
    if (rest.length === 0) continue;
    const same = rest.every((problem) => problem.reason === list[0]?.reason);
    const unit = rest.every((problem) => problem.line !== undefined) ? 'line' : 'problem';
    lines.push(`${name}: and ${rest.length} more ${unit}${rest.length === 1 ? '' : 's'}${same ? ': same problem' : ' with other problems'}`);
  }
  return lines;
}
