import { RE2JS } from 're2js';

/**
 * Wildcard patterns as Sigma writes its values: `*` is any run of characters (none included), `?` one
 * character, and `\` escapes the character after it when that is `*`, `?` or `\`; before any other
 * character a `\` is itself (`C:\Windows` needs no doubling). A pattern matches the whole text, ignoring
 * case the way `ignoreCase:` does (toLowerCase on both sides, no locale).
 *
 * Patterns compile once, at load, to one RE2 expression (linear time whatever the text), kept in a closure
 * as re2-pattern.ts does, so json-rules-engine's cloning of condition values copies it by reference.
 */
export interface WildcardPatterns {
  readonly sources: readonly string[];
  /** Whether the text matches one of the patterns, ignoring case. */
  test(text: string): boolean;
  toJSON(): readonly string[];
}

/** One piece of a pattern: literal text, or a wildcard. */
export type WildcardToken = { readonly literal: string } | { readonly wildcard: '*' | '?' };

/** Reads a pattern into literal runs and wildcards, with Sigma's escapes. */
export function wildcardTokens(pattern: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  let literal = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    const next = pattern[index + 1];
    if (char === '\\' && (next === '*' || next === '?' || next === '\\')) {
      literal += next;
      index += 1;
    } else if (char === '*' || char === '?') {
      if (literal !== '') tokens.push({ literal });
      literal = '';
      tokens.push({ wildcard: char });
    } else {
      literal += char;
    }
  }
  if (literal !== '') tokens.push({ literal });
  return tokens;
}

/** The pattern that reads back as these tokens: literal `*`, `?` and `\` escaped. */
export function wildcardText(tokens: readonly WildcardToken[]): string {
  return tokens.map((token) => ('wildcard' in token ? token.wildcard : token.literal.replace(/[*?\\]/g, (char) => `\\${char}`))).join('');
}

function re2Source(tokens: readonly WildcardToken[]): string {
  return tokens.map((token) => ('wildcard' in token ? (token.wildcard === '*' ? '.*' : '.') : RE2JS.quote(token.literal.toLowerCase()))).join('');
}

/** Compiles one pattern or a list of them (true when any matches). Every string is a valid pattern. */
export function wildcardPatterns(patterns: string | readonly string[]): WildcardPatterns {
  const sources = typeof patterns === 'string' ? [patterns] : [...patterns];
  // (?s): `*` and `?` match line breaks too, as a wildcard means any character.
  const regex = RE2JS.compile(`(?s)^(?:${sources.map((source) => re2Source(wildcardTokens(source))).join('|')})$`);
  return Object.freeze({ sources, test: (text: string) => regex.test(text.toLowerCase()), toJSON: () => sources });
}
