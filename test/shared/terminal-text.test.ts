import test from 'ava';
import fc from 'fast-check';
import { displayName, escapeText, jsonLine } from '../../src/shared/terminal-text.js';

const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Strings rich in what a terminal or a log reader could misread: controls, separators, bidi controls, quotes and backslashes. */
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u061c',
      '\u200e',
      '\u2028',
      '\u2029',
      '\u202e',
      '\u2066',
      '"',
      '\\',
      '[',
      ']',
    ),
    fc.string({ minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});
const PROPERTY = { seed: 20251125, numRuns: 500 };

test('a plain name is shown as it is', (t) => {
  for (const name of [
    'logs/a.json',
    '/tmp/trail logs/2025/été.json.gz',
    's3://bucket/AWSLogs/111111111111/CloudTrail/us-east-1/x.json.gz',
    'Ünïcödé/日本.json',
    '',
  ])
    t.is(displayName(name), name);
});

test('a name with a newline, an escape sequence or a bidi override is shown as a JSON string', (t) => {
  t.is(displayName('bad\n{"lfvaudit":"run"}.json'), '"bad\\n{\\"lfvaudit\\":\\"run\\"}.json"');
  t.is(displayName('\u001b]0;x\u0007\u001b[2J.json'), '"\\u001b]0;x\\u0007\\u001b[2J.json"');
  t.is(displayName('\u202egnp.exe'), '"\\u202egnp.exe"');
  t.is(displayName('C1 \u009b1m'), '"C1 \\u009b1m"');
});

test('a name with a quote or a backslash is quoted too, so that no plain name can look like a quoted one', (t) => {
  t.is(displayName('a"b'), '"a\\"b"');
  t.is(displayName('a\\nb'), '"a\\\\nb"');
  t.not(displayName('a\\nb'), displayName('a\nb'));
});

test('property: a shown name is one line without unsafe characters, and a quoted one reads back to the exact name', (t) => {
  fc.assert(
    fc.property(hostileText, (name) => {
      const shown = displayName(name);
      if (UNSAFE.test(shown)) return false;
      return shown === name ? !/["\\]/.test(name) : JSON.parse(shown) === name;
    }),
    PROPERTY,
  );
  t.pass();
});

test('free text keeps its quotes and backslashes and loses only its unsafe characters, escaped', (t) => {
  t.is(escapeText('cannot read "a\nb": ENOENT'), 'cannot read "a\\nb": ENOENT');
  t.is(escapeText('C:\\logs\t\u001b[31m'), 'C:\\logs\\t\\u001b[31m');
  fc.assert(
    fc.property(hostileText, (text) => !UNSAFE.test(escapeText(text))),
    PROPERTY,
  );
});

test('property: a JSON log line is one line, holds no unsafe character, and reads back to the same value', (t) => {
  fc.assert(
    fc.property(fc.dictionary(hostileText, fc.oneof(hostileText, fc.integer(), fc.array(hostileText, { maxLength: 3 }))), (value) => {
      const line = jsonLine(value);
      return !UNSAFE.test(line) && JSON.stringify(JSON.parse(line)) === JSON.stringify(value);
    }),
    PROPERTY,
  );
  t.pass();
});
