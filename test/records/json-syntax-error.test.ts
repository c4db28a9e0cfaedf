import test from 'ava';
import fc from 'fast-check';

import { findJsonSyntaxError } from '../../src/records/json-syntax-error.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The position V8 reports for the errors where it reports one ("... in JSON at position 6"). */
function v8Position(text: string): number | undefined {
  try {
    JSON.parse(text);
  } catch (error) {
    const match = / at position (\d+)/.exec((error as Error).message);
    return match === null ? undefined : Number(match[1]);
  }
  return undefined;
}

test('a valid JSON text has no syntax error', (t) => {
  for (const text of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]} ', '"x"', '0', '-0.1E-2']) {
    t.is(findJsonSyntaxError(text), undefined, text);
  }
});

test('a missing value is found at the token that replaced it', (t) => {
  t.deepEqual(findJsonSyntaxError('{"a":}'), { offset: 5, message: "expected a value, found '}'" });
});

test('a text cut short is reported at its end', (t) => {
  t.deepEqual(findJsonSyntaxError('{"Records":[{"a":1}'), {
    offset: 19,
    message: "expected ',' or ']' after an array element, found the end of the input",
  });
});

test('a missing comma between properties is found at the second property', (t) => {
  t.deepEqual(findJsonSyntaxError('{"a": 1 "b": 2}'), { offset: 8, message: `expected ',' or '}' after a property value, found '"'` });
});

test('data after the value is found where it starts', (t) => {
  t.deepEqual(findJsonSyntaxError('{"a":1}\n{"b":2}'), { offset: 8, message: "unexpected data after the JSON value, found '{'" });
});

test('a raw control character in a string is named by its code point', (t) => {
  t.deepEqual(findJsonSyntaxError('["a\tb"]'), { offset: 3, message: 'control character in a string (it must be escaped), found U+0009' });
});

test('a misspelt literal is found at the first wrong character', (t) => {
  t.deepEqual(findJsonSyntaxError('[tru]'), { offset: 4, message: "invalid literal: expected 'true', found ']'" });
});

test('single quotes are not JSON', (t) => {
  t.deepEqual(findJsonSyntaxError("{'a': 1}"), { offset: 1, message: "expected a double-quoted property name, found '''" });
});

test('nesting a hundred thousand levels deep does not overflow the stack', (t) => {
  const text = '['.repeat(100_000);
  t.deepEqual(findJsonSyntaxError(text), { offset: 100_000, message: 'expected a value, found the end of the input' });
  t.is(findJsonSyntaxError(`${text}${']'.repeat(100_000)}`), undefined);
});

test('it finds an error exactly when JSON.parse rejects the text, at the position V8 gives when it gives one', (t) => {
  const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]:,"\\/ \n\t\r-+.0123456789eEtrufalsnuAF\u0001\u001f\u007f\u00e9'.split('')), maxLength: 24 });
  const mutatedJson = fc
    .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.nat(), fc.constantFrom('', '}', ']', ',', '"', ':', 'x', '\n', '\\'))
    .map(([json, cut, at, insert]) => {
      const truncated = json.slice(0, json.length === 0 ? 0 : cut % (json.length + 1));
      const position = at % (truncated.length + 1);
      return truncated.slice(0, position) + insert + truncated.slice(position);
    });
  const stringWithEscapes = fc
    .array(fc.constantFrom('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u00e9', '\\u12', '\\x', 'a', '\u0001', '\ud800'))
    .map((parts) => `["${parts.join('')}"]`);
  fc.assert(
    fc.property(fc.oneof(jsonish, mutatedJson, stringWithEscapes, fc.json()), (text) => {
      const error = findJsonSyntaxError(text);
      if (parses(text) !== (error === undefined)) return false;
      const position = v8Position(text);
      return position === undefined || error?.offset === position;
    }),
    { numRuns: 5000, seed: 20251125 },
  );
  t.pass();
});
