import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { configShapeAjv } from '../src/config/config-shape-ajv.js';
import { ruleShapeAjv } from '../src/ruleset/rule-shape-ajv.js';
import { schemaFileSha256 } from '../src/shared/generated-validator.js';

/**
 * A step of `npm run build`, after tsc: compiles lfvaudit's own JSON Schemas (schema/*.json, never a
 * user's file) into ajv's standalone validators beside the compiled modules that import them, so that
 * lfvaudit does not load ajv and compile the schemas each time it starts. Each module records the sha256
 * of the schema it came from; the importing module refuses one that no longer matches (a build that
 * skipped this step).
 */

/** dist/scripts/ → the package root and dist/src/. */
const compiledRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const packageRoot = dirname(compiledRoot);

const VALIDATORS: readonly { readonly schema: string; readonly module: string; readonly ajv: (code: { source: true; esm: true }) => Ajv }[] = [
  { schema: 'schema/rule.schema.json', module: 'src/ruleset/rule-shape-validator.js', ajv: ruleShapeAjv },
  { schema: 'schema/lists.schema.json', module: 'src/ruleset/lists-shape-validator.js', ajv: ruleShapeAjv },
  { schema: 'schema/config.schema.json', module: 'src/config/config-shape-validator.js', ajv: configShapeAjv },
];

for (const validator of VALIDATORS) {
  const schemaFile = join(packageRoot, validator.schema);
  const ajv = validator.ajv({ source: true, esm: true });
  const code = standalone.default(ajv, ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object));
  writeFileSync(
    join(compiledRoot, validator.module),
    [
      `// Generated from ${validator.schema} by scripts/generate-schema-validators.ts during \`npm run build\`: do not edit.`,
      // ajv's ESM output still calls require() for its runtime helpers (ajv/dist/runtime/*).
      `import { createRequire } from 'node:module';`,
      `const require = createRequire(import.meta.url);`,
      `export const schemaSha256 = ${JSON.stringify(schemaFileSha256(schemaFile))};`,
      code.replace(/^"use strict";/, ''),
      '',
    ].join('\n'),
  );
}
