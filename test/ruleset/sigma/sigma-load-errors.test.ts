import test from 'ava';
import { loadSigmaText, sigmaRuleText } from './sigma-fixture.js';

/** What lfvaudit does not run is an error at load, at its line and column, never silently ignored. */

async function problems(text: string): Promise<string[]> {
  const loaded = await loadSigmaText(text);
  return loaded.diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
}

// sigmaRuleText puts `detection:` on line 15, so its first entry is on line 16, indented by 4.

test('an unknown modifier is an error at its key, with a did-you-mean', async (t) => {
  const found = await problems(sigmaRuleText(['selection:', '    eventName|startwith: Stop', 'condition: selection'].join('\n')));
  t.is(found.length, 1);
  t.regex(found[0] ?? '', /^17:9: error sigma-modifier: unknown modifier 'startwith' \(did you mean 'startswith'\?\)/);
});

test('a modifier of the specification lfvaudit does not run is an error that says why', async (t) => {
  const found = await problems(
    sigmaRuleText(['selection:', '    eventName|cased: StopLogging', 'userAgent|expand: "%agents%"', 'condition: selection'].join('\n')),
  );
  t.regex(found.join('\n'), /17:9: error sigma-unsupported: modifier 'cased'/);
});

test('an unknown search identifier is an error at its column in the condition, with a did-you-mean', async (t) => {
  const found = await problems(sigmaRuleText(['selection:', '    eventName: ListBuckets', "condition: 'selektion and not 1 of filter*'"].join('\n')));
  t.deepEqual(found, [
    "18:17: error sigma-condition: condition: no search identifier 'selektion' (did you mean 'selection'?); identifiers: selection",
    "18:35: error sigma-condition: condition: 'filter*' names no search identifier; identifiers: selection",
  ]);
});

test('an unbalanced parenthesis is an error at the end of the condition', async (t) => {
  const found = await problems(sigmaRuleText(['selection:', '    eventName: ListBuckets', 'condition: (selection'].join('\n')));
  t.deepEqual(found, ['18:26: error sigma-condition: condition: no closing parenthesis for the one at column 1 of the condition']);
});

test('a logsource other than AWS CloudTrail is an error naming it', async (t) => {
  const text = sigmaRuleText(['selection:', '    eventName: ListBuckets', 'condition: selection'].join('\n')).replace('service: cloudtrail', 'service: s3');
  t.deepEqual(await problems(text), [
    "13:5: error sigma-logsource: this Sigma rule reads logsource product 'aws', service 's3'; lfvaudit reads AWS CloudTrail only (product: aws, service: cloudtrail)",
  ]);
});

test('an invalid regular expression is an error at its value', async (t) => {
  const found = await problems(sigmaRuleText(['selection:', "    userAgent|re: '(?<=x)y'", 'condition: selection'].join('\n')));
  t.is(found.length, 1);
  t.regex(found[0] ?? '', /^17:23: error invalid-regex: invalid RE2 pattern/);
});

test('a rule without a level loads with a warning and MEDIUM findings', async (t) => {
  const loaded = await loadSigmaText(sigmaRuleText(['selection:', '    eventName: ListBuckets', 'condition: selection'].join('\n')).replace('level: high', ''));
  t.is(loaded.definitions[0]?.severity, 'MEDIUM');
  t.deepEqual(
    loaded.diagnostics.map((d) => `${d.severity} ${d.code}`),
    ['warning sigma-level'],
  );
});
