import test from 'ava';
import { excerpt, formatDiagnostic, quoted } from '../../src/shared/diagnostics.js';

test('a value of at most 80 characters is quoted whole', (t) => {
  t.is(excerpt('Effects/Data Exposure'), 'Effects/Data Exposure');
  t.is(excerpt('x'.repeat(80)), 'x'.repeat(80));
  t.is(quoted('CreateDatset'), "'CreateDatset'");
});

test('a longer value is quoted by its first token, cut at 80 characters', (t) => {
  t.is(excerpt(`SECRET_0=abc SECRET_1=def ${'x'.repeat(80)}`), 'SECRET_0=abc…');
  t.is(excerpt(`${'y'.repeat(100)} tail`), `${'y'.repeat(80)}…`);
  t.is(excerpt(`\n  ${'z'.repeat(90)}`), `${'z'.repeat(80)}…`);
});

test('a cut never splits a character outside the Basic Multilingual Plane', (t) => {
  const shown = excerpt('😀'.repeat(100));
  t.is(shown, `${'😀'.repeat(80)}…`);
});

test('a diagnostic is one line: its file name and message are escaped', (t) => {
  t.is(
    formatDiagnostic({ file: 'rules/a\nb.yaml', line: 3, column: 1, code: 'unknown-key', message: "unknown key 'x\u001b[2J'", severity: 'error' }),
    '"rules/a\\nb.yaml":3:1: error unknown-key: unknown key \'x\\u001b[2J\'',
  );
  t.is(
    formatDiagnostic({ file: 'rules/a.yaml', code: 'file-unreadable', message: 'cannot read the file', severity: 'error' }),
    'rules/a.yaml: error file-unreadable: cannot read the file',
  );
});
