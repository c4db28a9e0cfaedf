import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import { rootCreateProjectRule } from '../support/rule-fixtures.js';

const TESTS = `  - { name: root creates, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: Root } } }
  - { name: a user creates, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: IAMUser } } }
`;

/** `line:col: severity code: message` for each problem of the fixture rule with this `threshold:` line (line 16). */
async function problemsWith(threshold: string): Promise<string[]> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lfvaudit-threshold-rule-'));
  await writeFile(path.join(folder, 'lfv-burst.yaml'), `${rootCreateProjectRule('lfv-burst', TESTS)}${threshold}\n`);
  const { diagnostics, definitions } = await loadRuleDefinitions({ builtIn: false, paths: [folder] }).finally(() =>
    rm(folder, { recursive: true, force: true }),
  );
  if (diagnostics.length === 0) return [`loaded ${JSON.stringify(definitions[0]?.threshold)}`];
  return diagnostics.map((d) => `${d.line ?? '-'}:${d.column ?? '-'}: ${d.severity} ${d.code}: ${d.message}`);
}

test('a count and a span load as a threshold with the span in milliseconds', async (t) => {
  t.deepEqual(await problemsWith('threshold: { count: 50, within: 10m }'), ['loaded {"count":50,"within":"10m","withinMs":600000}']);
  t.deepEqual(await problemsWith('threshold: { count: 10, distinct: eventName, within: 1h }'), [
    'loaded {"count":10,"within":"1h","withinMs":3600000,"distinct":"eventName"}',
  ]);
});

test('a span without a unit, a count of zero and an unknown key are each reported at their position', async (t) => {
  t.deepEqual(await problemsWith('threshold: { count: 0, within: 10, by: principal }'), [
    '16:21: error invalid-value: threshold.count must be >= 1',
    '16:32: error wrong-type: threshold.within must be a string, not the number 10',
    "16:36: error unknown-key: unknown key 'by' in threshold; valid keys: count, within, distinct",
  ]);
  t.deepEqual(await problemsWith('threshold: { count: 5, within: 10min }'), [
    '16:32: error invalid-value: threshold.within must be a whole number and a unit s, m, h or d, e.g. 10m or 1h',
  ]);
});

test('a span longer than seven days, and a distinct field that is not a record field, are errors', async (t) => {
  t.deepEqual(await problemsWith('threshold: { count: 5, within: 8d }'), [
    "16:32: error invalid-value: threshold.within '8d' is longer than 7d, the longest span a run holds events for",
  ]);
  const [problem] = await problemsWith('threshold: { count: 5, distinct: eventNme, within: 1h }');
  t.regex(problem ?? '', /^16:34: error unknown-fact: threshold\.distinct 'eventNme': .*did you mean 'eventName'/);
});
