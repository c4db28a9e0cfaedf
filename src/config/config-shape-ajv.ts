import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, CodeOptions } from 'ajv';

const load = createRequire(import.meta.url);

/**
 * ajv set up as the config is checked: every error, each with its schema and data (`verbose`), and
 * sources and sinks as unions told apart by their `type` (`discriminator`), which the messages in
 * validate-config.ts rely on. The build generates the config's validator with it (ajv is loaded then,
 * not when lfvaudit runs).
 */
export function configShapeAjv(code: CodeOptions = {}): Ajv {
  const { Ajv } = load('ajv') as typeof AjvModule;
  return new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true, code });
}
