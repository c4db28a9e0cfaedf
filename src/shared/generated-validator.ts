import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The sha256 of a schema file's bytes: what a validator generated from it records. */
export function schemaFileSha256(schemaFile: string): string {
  return createHash('sha256').update(readFileSync(schemaFile)).digest('hex');
}

/**
 * ajv's standalone validators are generated from schema/*.json by `npm run build`
 * (scripts/generate-schema-validators.ts). A build that compiled the TypeScript but skipped that step
 * after the schema changed would check files against the older schema: that is refused, not used.
 */
export function checkGeneratedFrom(schemaFile: string, generatedFromSha256: string): void {
  if (schemaFileSha256(schemaFile) !== generatedFromSha256)
    throw new Error(`the validator generated from ${schemaFile} is out of date (the schema changed since): run \`npm run build\``);
}
