import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, CodeOptions } from 'ajv';

const load = createRequire(import.meta.url);

/**
 * ajv set up as rule shapes are checked: every error (rule authors fix all at once), each with its
 * schema and data (`verbose`, which the messages in rule-schema.ts read). Used by the build to generate
 * the rule files' validator and, at run time, for a shape the caller supplies (suppressions). ajv is
 * CommonJS (its `main`) and is loaded on the first call: most commands never compile a schema.
 */
export function ruleShapeAjv(code: CodeOptions = {}): Ajv {
  const { Ajv } = load('ajv') as typeof AjvModule;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false, code });
  // Editors' message keywords (vscode-json-languageservice); ajv only needs to know they are not typos.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv;
}
