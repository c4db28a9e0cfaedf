import { RE2JS, RE2JSException } from 're2js';

/**
 * A regular expression compiled once, when its rule is loaded, with RE2 (re2js): matching takes time
 * linear in the input, so no pattern can backtrack catastrophically on event data.
 *
 * The compiled pattern lives in a closure, not in a property: json-rules-engine deep-clones each rule's
 * conditions, values included, on every run, and its cloner copies functions by reference.
 */
export interface Re2Pattern {
  readonly source: string;
  /** Whether the pattern matches somewhere in `text` (anchor it with `^…$` to match the whole). */
  test(text: string): boolean;
  toJSON(): string;
}

/** @throws RE2JSException when the pattern does not compile: check it with re2PatternProblem first. */
export function re2Pattern(source: string): Re2Pattern {
  const regex = RE2JS.compile(source);
  return Object.freeze({ source, test: (text: string) => regex.test(text), toJSON: () => source });
}

/** re2js's own message when the pattern does not compile (e.g. lookahead, backreferences), else undefined. */
export function re2PatternProblem(source: string): string | undefined {
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error) {
    if (error instanceof RE2JSException) return error.message;
    throw error;
  }
}
