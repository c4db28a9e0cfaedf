import test from 'ava';
import { conditionKey } from '../../src/evaluate/condition-key.js';
import type { Condition } from '../../src/ruleset/rule.js';

const leafWith = (value: unknown, fact = 'userIdentity.type', operator = 'equal'): Condition => ({ fact, operator, value });

test('conditions that differ only in their positions share a key', (t) => {
  const here = { fact: 'awsRegion', operator: 'exists', value: true, position: { file: 'a.yaml', line: 3, column: 5 } };
  const there = { fact: 'awsRegion', operator: 'exists', value: true, position: { file: 'b.yaml', line: 9, column: 7 } };
  t.is(conditionKey({ all: [here], position: { file: 'a.yaml', line: 2, column: 1 } }), conditionKey({ all: [there] }));
  t.not(conditionKey(here), undefined);
});

test('values of different types, or in another order, never share a key', (t) => {
  const values: unknown[] = [
    '1',
    1,
    'true',
    true,
    'null',
    null,
    ['1'],
    [1],
    [],
    '',
    ['a', 'b'],
    ['b', 'a'],
    { fact: 'recipientAccountId' },
    'recipientAccountId',
    ['a,b'],
    0,
    10,
    1.5,
  ];
  const keys = values.map((value) => conditionKey(leafWith(value)));
  t.is(new Set(keys).size, values.length);
});

test('fact, operator, combinator and child order are all part of the key', (t) => {
  const a = leafWith('Root');
  const b = leafWith('IAMUser');
  const conditions: Condition[] = [
    a,
    b,
    leafWith('Root', 'userIdentity.arn'),
    leafWith('Root', 'userIdentity.type', 'notEqual'),
    { all: [a, b] },
    { all: [b, a] },
    { any: [a, b] },
    { not: a },
    { all: [a] },
    { any: [a] },
    { all: [] },
    { any: [] },
    { not: { not: a } },
  ];
  const keys = conditions.map((condition) => conditionKey(condition));
  t.is(new Set(keys).size, conditions.length);
});

test('a condition holding anything but plain data has no key, nor has any tree around it', (t) => {
  const values: unknown[] = [Number.NaN, Number.POSITIVE_INFINITY, -0, { fact: 'a', other: 1 }, { param: 'p' }, [1, Number.NaN], new Date(0)];
  for (const [index, value] of values.entries()) {
    t.is(conditionKey(leafWith(value)), undefined, `value ${String(index)}`);
    t.is(conditionKey({ all: [leafWith('Root'), leafWith(value)] }), undefined);
    t.is(conditionKey({ not: leafWith(value) }), undefined);
  }
});
