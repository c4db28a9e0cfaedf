import test from 'ava';
import { problemLines } from '../../src/cli/problem-lines.js';

test('a file of many bad lines is its first three problems and one line counting the rest', (t) => {
  const problems = Array.from({ length: 475 }, (_, index) => ({ origin: 'logs/bad.jsonl', line: index + 1, reason: 'not valid JSON' }));
  t.deepEqual(problemLines([...problems, { origin: 'logs/other.json', reason: 'not a CloudTrail log' }]), [
    'logs/bad.jsonl:1: error unreadable-input: not valid JSON',
    'logs/bad.jsonl:2: error unreadable-input: not valid JSON',
    'logs/bad.jsonl:3: error unreadable-input: not valid JSON',
    'logs/bad.jsonl: and 472 more lines: same problem',
    'logs/other.json: error unreadable-input: not a CloudTrail log',
  ]);
});

test('the rest is said to differ when it does, and names from outside are escaped', (t) => {
  const origin = 'a\nb.json';
  const lines = problemLines([1, 2, 3, 4, 5].map((line) => ({ origin, line, reason: line === 5 ? 'other' : 'same' })));
  t.is(lines.length, 4);
  t.is(lines[3], '"a\\nb.json": and 2 more lines with other problems');
  t.false(lines.some((line) => line.includes('\n')));
});
