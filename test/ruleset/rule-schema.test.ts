import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { OPERATORS } from '../../src/ruleset/operators.js';
import { PARAM_TYPES } from '../../src/ruleset/param-types.js';
import { SEVERITY_LABELS } from '../../src/ruleset/rule.js';
import { fieldName } from '../../src/ruleset/rule-schema.js';
import { ruleShapeAjv } from '../../src/ruleset/rule-shape-ajv.js';
import { repoRoot } from '../support/repo-root.js';

type Schema = { readonly [key: string]: unknown };

const schema = JSON.parse(readFileSync(join(repoRoot(), 'schema', 'rule.schema.json'), 'utf8')) as Schema;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every schema reachable through properties, items, definitions and the combinators, with where it sits. */
function* subschemas(node: Schema, path: string): Generator<[string, Schema]> {
  yield [path, node];
  for (const key of ['properties', 'definitions'] as const) {
    const children = node[key];
    if (isSchema(children)) for (const [name, child] of Object.entries(children)) if (isSchema(child)) yield* subschemas(child, `${path}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'then', 'else'] as const) {
    const child = node[key];
    if (isSchema(child)) yield* subschemas(child, `${path}/${key}`);
  }
  for (const key of ['anyOf', 'allOf'] as const) {
    const children = node[key];
    if (Array.isArray(children)) for (const [index, child] of children.entries()) if (isSchema(child)) yield* subschemas(child, `${path}/${key}/${index}`);
  }
}

test('the schema compiles under ajv strict mode', (t) => {
  t.notThrows(() => ruleShapeAjv().compile(schema));
});

test('every property in the schema has a description, for editors', (t) => {
  const undescribed: string[] = [];
  for (const [path, node] of subschemas(schema, '#')) {
    const properties = node.properties;
    if (!isSchema(properties)) continue;
    for (const [name, property] of Object.entries(properties)) {
      if (!isSchema(property) || typeof property.description !== 'string') undescribed.push(`${path}/properties/${name}`);
    }
  }
  t.deepEqual(undescribed, []);
});

test("the operator's examples are exactly the operators of the table", (t) => {
  const definitions = schema.definitions as Schema;
  const comparison = definitions.comparison as Schema;
  const operator = (comparison.properties as Schema).operator as Schema;
  t.deepEqual(
    operator.examples,
    OPERATORS.map((definition) => definition.name),
  );
});

test('the severity and parameter type enums match the code', (t) => {
  const severity = (schema.properties as Schema).severity as Schema;
  t.deepEqual(severity.enum, [...SEVERITY_LABELS]);
  const declaration = ((schema.definitions as Schema).paramDeclaration as Schema).properties as Schema;
  t.deepEqual((declaration.type as Schema).enum, [...PARAM_TYPES]);
});

test('a JSON pointer is shown as a rule author reads the path', (t) => {
  t.is(fieldName('/conditions/all/1/operator'), 'conditions.all[1].operator');
  t.is(fieldName('/params/a~1b'), 'params.a/b');
  t.is(fieldName(''), 'the rule');
});
