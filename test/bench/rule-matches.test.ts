import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { matchDifferences, matchesInFindingsFile, totalMatches } from '../../bench/rule-matches.js';
import { tempFolder } from '../support/temp-folder.js';

const finding = (rule: string, count: number, names: string): object => ({
  ProductFields: { 'lfvaudit/RuleId': rule, 'lfvaudit/EventCount': String(count), 'lfvaudit/EventNames': names },
});

test('matches are summed per rule and eventName over the findings', (t) => {
  const path = join(tempFolder(t, 'matches'), 'findings.json');
  writeFileSync(
    path,
    JSON.stringify({ Findings: [finding('a', 3, 'CreateDataset:2,DeleteModel:1'), finding('a', 1, 'CreateDataset:1'), finding('b', 4, 'DetectAnomalies:4')] }),
  );
  const matches = matchesInFindingsFile(path);
  t.deepEqual(matches, { a: { CreateDataset: 3, DeleteModel: 1 }, b: { DetectAnomalies: 4 } });
  t.is(totalMatches(matches), 8);
});

test('a finding whose names do not add up to its event count is an error, not a miscount', (t) => {
  const path = join(tempFolder(t, 'matches'), 'findings.json');
  writeFileSync(path, JSON.stringify({ Findings: [finding('a', 3, 'CreateDataset:2')] }));
  t.throws(() => matchesInFindingsFile(path), { message: /a finding of a counts 3 events but names 2/ });
});

test('differences are listed per rule and eventName; a rule one side never matched counts as zero', (t) => {
  t.deepEqual(matchDifferences(['a', 'b'], { a: { X: 1, Y: 2 } }, { a: { X: 1, Y: 3 }, b: { Z: 1 } }), ['a Y: 2 ≠ 3', 'b Z: 0 ≠ 1']);
  t.deepEqual(matchDifferences(['a'], { a: { X: 1 } }, { a: { X: 1 } }), []);
});
