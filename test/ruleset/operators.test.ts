import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { DECORATORS, OPERATORS, evaluateOperator, parseOperator, prepareOperand, type DecoratedOperator } from '../../src/ruleset/operators.js';
import { repoRoot } from '../support/repo-root.js';
import { caseName, MISSING, OPERATOR_CASES } from './operator-cases.js';

function parsed(operator: string): DecoratedOperator {
  const parse = parseOperator(operator);
  if (!parse.ok) throw new Error(`test uses unknown operator ${operator}`);
  return parse.parsed;
}

for (const operatorCase of OPERATOR_CASES) {
  test(caseName(operatorCase), (t) => {
    const decorated = parsed(operatorCase.operator);
    const fact = operatorCase.fact === MISSING ? undefined : operatorCase.fact;
    t.is(evaluateOperator(decorated, fact, prepareOperand(decorated, operatorCase.value)), operatorCase.expected);
  });
}

test('every operator of the table has a true, a false and a missing-field example', (t) => {
  for (const operator of OPERATORS) {
    const examples = OPERATOR_CASES.filter((operatorCase) => operatorCase.operator === operator.name);
    t.true(
      examples.some((example) => example.expected),
      `${operator.name} has a true example`,
    );
    t.true(
      examples.some((example) => !example.expected),
      `${operator.name} has a false example`,
    );
    t.true(
      examples.some((example) => example.fact === MISSING),
      `${operator.name} has a missing-field example`,
    );
  }
});

test('operator names are unique and every one is documented in docs/rules.md', async (t) => {
  const docs = await readFile(join(repoRoot(), 'docs', 'rules.md'), 'utf8');
  const names = OPERATORS.map((operator) => operator.name);
  t.is(new Set(names).size, names.length);
  for (const name of [...names, ...DECORATORS.map((decorator) => decorator.name)]) t.true(docs.includes(`\`${name}`), `${name} is in docs/rules.md`);
});

test('parseOperator takes decorators apart, outermost first', (t) => {
  const parse = parseOperator('not:someValue:startsWith');
  t.true(parse.ok);
  if (!parse.ok) return;
  t.deepEqual(
    parse.parsed.decorators.map((decorator) => decorator.name),
    ['not', 'someValue'],
  );
  t.is(parse.parsed.operator.name, 'startsWith');
});

test('parseOperator names an unknown operator and an unknown decorator', (t) => {
  t.deepEqual(parseOperator('startWith'), { ok: false, code: 'unknown-operator', name: 'startWith' });
  t.deepEqual(parseOperator('someFact:equal'), { ok: false, code: 'unknown-decorator', name: 'someFact' });
});

test('matches compiles its pattern when the operand is prepared, not when a fact is tested', (t) => {
  const operand = prepareOperand(parsed('matches'), '^Create') as { source: string; test: unknown };
  t.is(operand.source, '^Create');
  t.is(typeof operand.test, 'function');
  t.is(JSON.stringify(operand), '"^Create"');
});

test('inCidr parses its ranges when the operand is prepared, and serialises as written', (t) => {
  const operand = prepareOperand(parsed('inCidr'), ['10.0.0.0/8', '2001:db8::/32']);
  t.is(JSON.stringify(operand), '["10.0.0.0/8","2001:db8::/32"]');
});

/** What json-rules-engine's own operator (no addOperator) says for one fact and value. */
async function stockEngineVerdict(operator: string, fact: unknown, value: unknown): Promise<boolean> {
  const engine = new Engine([{ conditions: { all: [{ fact: 'f', operator, value }] }, event: { type: 'x' } }]);
  const { results } = await engine.run({ f: fact });
  return results.length > 0;
}

const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));

test('the built-in names agree with json-rules-engine on values of the documented types', async (t) => {
  const properties = [
    { operator: 'equal', fact: scalar, value: scalar },
    { operator: 'notEqual', fact: scalar, value: scalar },
    { operator: 'in', fact: scalar, value: fc.array(scalar, { maxLength: 4 }) },
    { operator: 'notIn', fact: scalar, value: fc.array(scalar, { maxLength: 4 }) },
    { operator: 'contains', fact: fc.oneof(fc.array(scalar, { maxLength: 4 }), scalar), value: scalar },
    { operator: 'doesNotContain', fact: fc.array(scalar, { maxLength: 4 }), value: scalar },
    { operator: 'lessThan', fact: fc.double({ noNaN: true }), value: fc.double({ noNaN: true }) },
    { operator: 'lessThanInclusive', fact: fc.integer(), value: fc.integer() },
    { operator: 'greaterThan', fact: fc.integer(), value: fc.integer() },
    { operator: 'greaterThanInclusive', fact: fc.double({ noNaN: true }), value: fc.double({ noNaN: true }) },
  ];
  for (const property of properties) {
    await fc.assert(
      fc.asyncProperty(property.fact, property.value, async (fact, value) => {
        const ours = evaluateOperator(parsed(property.operator), fact, value);
        t.is(ours, await stockEngineVerdict(property.operator, fact, value), `${property.operator}(${JSON.stringify(fact)}, ${JSON.stringify(value)})`);
      }),
      { numRuns: 60, seed: 20251125 },
    );
  }
});

test('unlike json-rules-engine, numeric operators do not coerce a numeric string and in does not test substrings', async (t) => {
  t.true(await stockEngineVerdict('lessThan', '5', 10));
  t.false(evaluateOperator(parsed('lessThan'), '5', 10));
  t.true(await stockEngineVerdict('in', 'Data', 'CreateDataset'));
  t.false(evaluateOperator(parsed('in'), 'Data', 'CreateDataset'));
});

test('the decorators compose exactly as json-rules-engine composes them', async (t) => {
  const operators = ['not:equal', 'someValue:equal', 'everyValue:notEqual', 'not:someValue:equal', 'not:everyValue:equal'];
  for (const operator of operators) {
    const valueIsList = operator.includes('Value');
    await fc.assert(
      fc.asyncProperty(scalar, valueIsList ? fc.array(scalar, { maxLength: 4 }) : scalar, async (fact, value) => {
        t.is(
          evaluateOperator(parsed(operator), fact, value),
          await stockEngineVerdict(operator, fact, value),
          `${operator}(${JSON.stringify(fact)}, ${JSON.stringify(value)})`,
        );
      }),
      { numRuns: 40, seed: 20251125 },
    );
  }
});
