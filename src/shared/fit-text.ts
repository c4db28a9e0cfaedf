export const ELLIPSIS = '…';

/**
 * `text` cut to at most `maxLength` UTF-16 code units, ending in an ellipsis when cut. Code units are
 * what JavaScript's `length` counts and never fewer than the characters a service counts, so the
 * result fits either way. A cut never splits a surrogate pair.
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, Math.max(end, 0)) + ELLIPSIS;
}

/** What singleLine rewrites: a control character, any whitespace but a space, two spaces, a space at either end. */
const CHANGED_BY_SINGLE_LINE = /[^\S ]|\p{Cc}| {2}|^ | $/u;

/**
 * Event data on one line: control characters (newlines in a folded YAML description, or hostile
 * bytes in a project name) and runs of spaces become one space. ASFF text fields must also contain
 * something other than whitespace (pattern `.*\S.*`), which callers ensure by what they put in.
 */
export function singleLine(text: string): string {
  // Most text is already one line: finding that out is a single scan, cheaper than rebuilding it.
  return CHANGED_BY_SINGLE_LINE.test(text) ? text.replace(/[\s\p{Cc}]+/gu, ' ').trim() : text;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * `text` (one line) as lines of at most `width` code points, broken at spaces; a word longer than a
 * line is broken inside. Nothing is left out: the lines joined with spaces give the text back.
 */
export function wrapText(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ')) {
    let rest = [...word];
    const room = line.length === 0 ? limit : limit - line.length - 1;
    if (rest.length <= room) {
      line = line.length === 0 ? rest : [...line, ' ', ...rest];
      continue;
    }
    if (line.length > 0) lines.push(line.join(''));
    while (rest.length > limit) {
      lines.push(rest.slice(0, limit).join(''));
      rest = rest.slice(limit);
    }
    line = rest;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line.join(''));
  return lines;
}
