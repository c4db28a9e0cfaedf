import test from 'ava';
import { loadSigmaText, sigmaRuleText } from './sigma-fixture.js';

/**
 * The older Sigma aggregation, `| count() > N` with `timeframe`, loads as a threshold (docs/rules.md,
 * "Thresholds"); what a threshold cannot express is an error at its line and column.
 */

async function loaded(detection: readonly string[]): Promise<Awaited<ReturnType<typeof loadSigmaText>>> {
  return loadSigmaText(sigmaRuleText(detection.join('\n')));
}

async function problems(detection: readonly string[]): Promise<string[]> {
  return (await loaded(detection)).diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
}

const SELECTION = ['selection:', '    eventName: ListBuckets'];

test('`| count() > N` with timeframe is a threshold of N + 1 events, grouped by account and region alone', async (t) => {
  const { definitions, diagnostics } = await loaded([...SELECTION, 'timeframe: 10m', 'condition: selection | count() > 5']);
  t.deepEqual(diagnostics, []);
  t.like(definitions[0], { threshold: { count: 6, within: '10m', withinMs: 600_000 }, groupBy: [] });
  t.is(definitions[0]?.threshold?.distinct, undefined);
});

test('`>= N` is a threshold of N events; `by FIELD` groups by the field', async (t) => {
  const { definitions, diagnostics } = await loaded([...SELECTION, 'timeframe: 1h', 'condition: selection | count() by sourceIPAddress >= 5']);
  t.deepEqual(diagnostics, []);
  t.like(definitions[0], { threshold: { count: 5, within: '1h', withinMs: 3_600_000 }, groupBy: ['sourceIPAddress'] });
});

test('`count(FIELD) by GROUP` counts the distinct values of FIELD per GROUP', async (t) => {
  const { definitions, diagnostics } = await loaded([...SELECTION, 'timeframe: 30m', 'condition: selection | count(eventName) by userIdentity.arn > 2']);
  t.deepEqual(diagnostics, []);
  t.like(definitions[0], { threshold: { count: 3, within: '30m', distinct: 'eventName' }, groupBy: ['userIdentity.arn'] });
});

// sigmaRuleText puts `detection:` on line 15 and indents its entries by 4; with SELECTION, `timeframe` is on line 18 and `condition` on 19.

test('a count without timeframe is an error at the aggregation', async (t) => {
  t.deepEqual(await problems([...SELECTION, 'condition: selection | count() > 5']), [
    '18:28: error sigma-unsupported: condition: `count()` needs `timeframe` in the detection: lfvaudit counts within a span, and a count over a whole run would depend on how long the run is',
  ]);
});

test('a count below, at most or equal to N is an error at its comparison, saying why', async (t) => {
  for (const operator of ['<', '<=', '=']) {
    const found = await problems([...SELECTION, 'timeframe: 10m', `condition: selection | count() ${operator} 5`]);
    t.is(found.length, 1, operator);
    t.regex(
      found[0] ?? '',
      /^19:36: error sigma-unsupported: condition: a count (below|at most|equal to) 5 is not a threshold: lfvaudit fires where at least N events/,
    );
  }
});

test('a count that holds everywhere (`>= 0`) is an error', async (t) => {
  const found = await problems([...SELECTION, 'timeframe: 10m', 'condition: selection | count() >= 0']);
  t.deepEqual(found, [
    '19:36: error sigma-unsupported: condition: a count of at least 0 holds everywhere, even where nothing happened: use a count of 1 or more',
  ]);
});

test('sum, min, max and avg are errors at the function', async (t) => {
  for (const name of ['sum', 'min', 'max', 'avg']) {
    const found = await problems([...SELECTION, 'timeframe: 10m', `condition: selection | ${name}(requestParameters.maxResults) > 5`]);
    t.deepEqual(found, [
      `19:28: error sigma-unsupported: condition: \`${name}()\` aggregates a field's numbers; lfvaudit counts events or distinct values (\`count()\`, \`count(FIELD)\`)`,
    ]);
  }
});

test('`near` is an error at its keyword, as a temporal correlation', async (t) => {
  const found = await problems([
    'selection1:',
    '    eventName: CreateFunction',
    'selection2:',
    '    eventName: Invoke',
    'condition: selection1 | near selection2',
  ]);
  t.deepEqual(found, [
    '20:29: error sigma-unsupported: condition: `near` (events of several selections close in time) is a temporal correlation, which lfvaudit does not run',
  ]);
});

test('a timeframe without an aggregation is an error that says the condition holds on one event only', async (t) => {
  const found = await problems([
    'selection1:',
    '    eventName: CreateFunction',
    'selection2:',
    '    eventName: Invoke',
    'timeframe: 5m',
    'condition: selection1 and selection2',
  ]);
  t.is(found.length, 1);
  t.regex(
    found[0] ?? '',
    /^20:5: error sigma-unsupported: `timeframe` only sets the span of an aggregation .* `selection1 and selection2` is tested on each event alone, so all its selections must match one event/,
  );
});

test('a timeframe that is no span, or longer than a run holds events, is an error at its value', async (t) => {
  t.deepEqual(await problems([...SELECTION, 'timeframe: 10 minutes', 'condition: selection | count() > 5']), [
    '18:16: error sigma-timeframe: `timeframe` is a whole number and a unit, s, m, h or d (`10m`)',
  ]);
  t.deepEqual(await problems([...SELECTION, 'timeframe: 8d', 'condition: selection | count() > 5']), [
    '18:16: error sigma-timeframe: `timeframe` 8d is longer than 7d, the longest span a run holds events for',
  ]);
});

test('an aggregation that does not parse is an error at the word that is wrong', async (t) => {
  t.deepEqual(await problems([...SELECTION, 'timeframe: 10m', 'condition: selection | count() by > 5']), [
    '19:39: error sigma-condition: condition: expected a field name after `by`',
  ]);
  t.deepEqual(await problems([...SELECTION, 'timeframe: 10m', 'condition: selection | total() > 5']), [
    '19:28: error sigma-condition: condition: expected an aggregation function (count, min, max, avg, sum) or `near` after `|`, found "total"',
  ]);
  t.deepEqual(await problems([...SELECTION, 'timeframe: 10m', 'condition: selection | count() > five']), [
    '19:38: error sigma-condition: condition: expected a whole number after `>`',
  ]);
});

test('a field of the aggregation that CloudTrail records do not have is a warning at its column', async (t) => {
  const found = await problems([...SELECTION, 'timeframe: 10m', 'condition: selection | count() by ComputerName > 5']);
  t.is(found.length, 1);
  t.regex(found[0] ?? '', /^19:39: warning unknown-fact: /);
});
