import test from 'ava';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { parseYamlDocument, YAML_LIMITS, type YamlDocument } from '../../src/ruleset/yaml-document.js';

function parsed(text: string): YamlDocument {
  const result = parseYamlDocument(text, 'rule.yaml');
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.document;
}

function problems(text: string, limits = YAML_LIMITS): string[] {
  const result = parseYamlDocument(text, 'rule.yaml', limits);
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
}

const RULE = `id: lfv-example
conditions:
  all:
    - fact: eventName
      operator: equal
      value: "CreateDataset"
    - { fact: userIdentity.type, operator: in, value: [Root, IAMUser] }
`;

test('the value is the plain data the YAML holds', (t) => {
  t.deepEqual(parsed(RULE).value, {
    id: 'lfv-example',
    conditions: {
      all: [
        { fact: 'eventName', operator: 'equal', value: 'CreateDataset' },
        { fact: 'userIdentity.type', operator: 'in', value: ['Root', 'IAMUser'] },
      ],
    },
  });
});

test('positions of values are 1-based and found by JSON pointer', (t) => {
  const { positions } = parsed(RULE);
  t.deepEqual(positions.valueAt('/id'), { line: 1, column: 5 });
  t.deepEqual(positions.valueAt('/conditions/all/0/operator'), { line: 5, column: 17 });
  t.deepEqual(positions.valueAt('/conditions/all/1/value/1'), { line: 7, column: 62 });
});

test('a key position points at the key, a value position at the value', (t) => {
  const { positions } = parsed(RULE);
  t.deepEqual(positions.keyAt('/conditions/all/0/operator'), { line: 5, column: 7 });
  t.deepEqual(positions.keyAt('/conditions/all/1/operator'), { line: 7, column: 34 });
});

test('a quoted scalar is placed at its opening quote', (t) => {
  t.deepEqual(parsed(RULE).positions.valueAt('/conditions/all/0/value'), { line: 6, column: 14 });
});

test('a pointer that was never written falls back to the nearest written parent', (t) => {
  t.deepEqual(parsed(RULE).positions.valueAt('/conditions/all/0/missing'), { line: 4, column: 7 });
});

test('values reached through an alias are placed at the alias', (t) => {
  const document = parsed('base: &who [Root, IAMUser]\nvalue: *who\n');
  t.deepEqual(document.value, { base: ['Root', 'IAMUser'], value: ['Root', 'IAMUser'] });
  t.deepEqual(document.positions.valueAt('/value/1'), { line: 2, column: 8 });
});

test('a pointer segment holding / or ~ is escaped as in RFC 6901', (t) => {
  t.deepEqual(parsed('types:\n  a/b~c: 1\n').positions.valueAt('/types/a~1b~0c'), { line: 2, column: 10 });
});

test('a custom tag such as !!js/function is refused with a clear message', (t) => {
  t.deepEqual(problems('conditions: !!js/function "function () { return true }"\n'), [
    'rule.yaml:1:13: error yaml-tag: tag !!js/function is not allowed: rule and config files are plain data (allowed tags: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)',
  ]);
});

test('a local tag such as !foo is refused, and so is every other one in the file', (t) => {
  t.deepEqual(problems('a: !foo x\nb: !!binary aGVsbG8=\n'), [
    'rule.yaml:1:4: error yaml-tag: tag !foo is not allowed: rule and config files are plain data (allowed tags: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)',
    'rule.yaml:2:4: error yaml-tag: tag !!binary is not allowed: rule and config files are plain data (allowed tags: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)',
  ]);
});

test('core tags are allowed', (t) => {
  t.deepEqual(parsed('port: !!str 443\n').value, { port: '443' });
});

test('every duplicate key is reported, with the line of the first one', (t) => {
  t.deepEqual(problems('id: a\nseverity: LOW\nid: b\nscope:\n  eventSource: [x]\n  eventSource: [y]\n'), [
    "rule.yaml:3:1: error yaml-duplicate-key: duplicate key 'id' (first written on line 1)",
    "rule.yaml:6:3: error yaml-duplicate-key: duplicate key 'eventSource' (first written on line 5)",
  ]);
});

test('an alias bomb is refused before it expands', (t) => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level += 1) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
  }
  const found = problems(`${levels.join('\n')}\n`);
  t.is(found.length, 1);
  t.regex(found[0] ?? '', /^rule\.yaml:\d+:\d+: error yaml-aliases: aliases expand the document to more than 100000 nodes \(an alias bomb\?\)$/);
});

test('more aliases than the limit are refused, at the first one over it', (t) => {
  t.deepEqual(problems('a: &x 1\nb: [*x, *x, *x]\n', { ...YAML_LIMITS, maxAliases: 2 }), [
    'rule.yaml:2:13: error yaml-aliases: more than 2 aliases (*name); rule and config files need few, if any',
  ]);
});

test('nesting deeper than the limit is refused', (t) => {
  const found = problems(`a: ${'['.repeat(70)}${']'.repeat(70)}\n`);
  t.deepEqual(found, ['rule.yaml:1:67: error yaml-syntax: nesting exceeded maxDepth (64)']);
});

test('a syntax error is reported at its 1-based position', (t) => {
  t.deepEqual(problems('scope:\n  eventSource: [a, b\n'), ['rule.yaml:3:1: error yaml-syntax: deficient indentation']);
});

test('an empty file and a file of comments hold no document', (t) => {
  t.deepEqual(problems(''), ['rule.yaml: error yaml-empty: the file holds no YAML document']);
  t.deepEqual(problems('# nothing here\n'), ['rule.yaml: error yaml-empty: the file holds no YAML document']);
});

test('a file with several documents is refused', (t) => {
  t.deepEqual(problems('id: a\n---\nid: b\n'), ['rule.yaml: error yaml-multiple-documents: a rule file holds one YAML document; remove the `---` separators']);
});

test('a complex key is refused', (t) => {
  t.deepEqual(problems('? [a, b]\n: c\n'), ['rule.yaml:1:3: error yaml-complex-key: mapping keys must be plain strings']);
});

test('a __proto__ key is an ordinary own key and pollutes nothing', (t) => {
  const { value } = parsed('__proto__: { polluted: true }\nconstructor: x\n');
  t.true(Object.hasOwn(value as object, '__proto__'));
  t.is(Object.getPrototypeOf(value), Object.prototype);
  t.is((value as { polluted?: unknown }).polluted, undefined);
  t.is(({} as { polluted?: unknown }).polluted, undefined);
});

test('YAML 1.2 core schema: yes, dates and merge keys stay plain', (t) => {
  t.deepEqual(parsed('a: yes\nb: 2025-01-01\nc: 0x10\n').value, { a: 'yes', b: '2025-01-01', c: 16 });
});
