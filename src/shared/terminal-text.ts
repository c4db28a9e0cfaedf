/**
 * Text from outside (file names, S3 keys, rule and config paths, and messages that quote them) on its
 * way to a terminal or a log line. Written raw, a newline in a file name forges a line of the run's log
 * (a `{"lfvaudit":"run","complete":true}` ahead of the real one), an escape sequence drives the
 * terminal, and a bidi override makes a name read backwards. Findings and `--format json` keep the
 * true text: JSON.stringify already escapes what could break their lines.
 */

/**
 * What is never written raw: the control characters (`\p{Cc}`: C0 controls such as newline, carriage
 * return, tab and ESC; DEL; C1 controls), the Unicode line and paragraph separators, and the bidi
 * controls (the Arabic letter mark, the LRM and RLM marks, embeddings, overrides and isolates). One
 * character class, no quantifier: one pass, linear.
 */
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_EVERYWHERE = new RegExp(UNSAFE.source, 'gu');
/** What makes a name need quoting: an unsafe character, or a quote or backslash (which the quoted form escapes). */
const NOT_PLAIN = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"\\]/u;
const NOT_PLAIN_EVERYWHERE = new RegExp(NOT_PLAIN.source, 'gu');

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

function escaped(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Free text that may quote a name (a message, a reason), with every unsafe character written as its
 * escape (`\n`, `\t`, `\u001b`, `\u202e`): it stays on its line and shows what was there.
 */
export function escapeText(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_EVERYWHERE, escaped) : text;
}

/**
 * A name from outside as a person sees it: as it is when it is plain, otherwise as a JSON string —
 * in double quotes, with `"`, `\` and every unsafe character escaped — which any JSON parser reads
 * back to the exact name. A plain name holds no `"` or `\`, so the two forms are never confused:
 * `logs/a.json` is shown as is, a name with a newline as `"logs/a\n{…}.json"`.
 */
export function displayName(name: string): string {
  return NOT_PLAIN.test(name) ? `"${name.replace(NOT_PLAIN_EVERYWHERE, escaped)}"` : name;
}

/**
 * A value as one line of JSON for a log. JSON.stringify escapes C0 controls, quotes and backslashes;
 * the other unsafe characters (which JSON allows raw) are escaped too, so that no log reader splits
 * the line or shows it reordered. The value read back is the same.
 */
export function jsonLine(value: unknown): string {
  return escapeText(JSON.stringify(value));
}
