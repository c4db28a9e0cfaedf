import type { WildcardToken } from '../wildcard-pattern.js';

/**
 * Sigma's `base64` and `base64offset` modifiers (Sigma specification, appendix "Modifiers", as pySigma
 * implements them): the value's UTF-8 bytes in Base64; with `base64offset`, the three forms the value takes
 * inside a longer encoded text, one per byte offset (0, 1 or 2), cut down to the characters that do not
 * depend on the bytes around it.
 */
export function base64Variants(text: string, offsets: boolean): WildcardToken[][] {
  const bytes = Buffer.from(text, 'utf8');
  if (!offsets) return [[{ literal: bytes.toString('base64') }]];
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift, ' '), bytes]).toString('base64');
    return [{ literal: encoded.slice(starts[shift], ends[(bytes.length + shift) % 3]) }];
  });
}

/** Windows command-line flag characters `windash` substitutes for one another. */
const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
/** A dash or slash that starts a word: the place of a command-line flag character. */
const FLAG_CHARACTER = /(?<!\w)[-/](?=\w)/g;
/** windash multiplies the values by 5 per flag character: a bound, so that a long value cannot explode. */
export const MAX_WINDASH_VARIANTS = 625;

/**
 * Sigma's `windash`: every combination of `-`, `/`, and the en dash, em dash and horizontal bar, at each
 * flag character; undefined when that would be more than MAX_WINDASH_VARIANTS patterns.
 */
export function windashVariants(tokens: readonly WildcardToken[]): WildcardToken[][] | undefined {
  const flags = tokens.reduce((count, token) => count + ('literal' in token ? [...token.literal.matchAll(FLAG_CHARACTER)].length : 0), 0);
  if (DASHES.length ** flags > MAX_WINDASH_VARIANTS) return undefined;
  let variants: WildcardToken[][] = [[]];
  for (const token of tokens) {
    const options = 'literal' in token ? literalVariants(token.literal) : [token];
    variants = variants.flatMap((variant) => options.map((option) => [...variant, option]));
  }
  return variants;
}

function literalVariants(literal: string): WildcardToken[] {
  let texts = [''];
  let last = 0;
  for (const match of literal.matchAll(FLAG_CHARACTER)) {
    const before = literal.slice(last, match.index);
    texts = texts.flatMap((text) => DASHES.map((dash) => text + before + dash));
    last = match.index + 1;
  }
  return texts.map((text) => ({ literal: text + literal.slice(last) }));
}
