import type { ErrorObject, ValidateFunction } from 'ajv';
import { excerpt, type Diagnostic } from '../shared/diagnostics.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { checkGeneratedFrom } from '../shared/generated-validator.js';
import { packagePath } from '../shared/package-path.js';
import { schemaSha256, validate as generatedValidator } from './config-shape-validator.js';

/**
 * 1-based position of what is at a JSON pointer (`/sources/0/path`), when the parser knows it: its
 * value (default: where a wrong value is), or its key (where an unknown or misplaced key is).
 */
export type PositionOf = (pointer: string, part?: 'key' | 'value') => { readonly line: number; readonly column: number } | undefined;

let checked: ValidateFunction | undefined;

/** schema/config.schema.json as compiled at build time (configShapeAjv), once checked to be that file's. */
function configValidator(): ValidateFunction {
  if (checked === undefined) {
    checkGeneratedFrom(packagePath('schema/config.schema.json'), schemaSha256);
    checked = generatedValidator;
  }
  return checked;
}

/**
 * The config against schema/config.schema.json — the same schema editors use — with messages that name
 * the key path, its position, and the valid choices.
 */
export function validateConfigShape(value: unknown, file: string, positionOf: PositionOf): Diagnostic[] {
  if (value === null || value === undefined) return [];
  const validate = configValidator();
  if (validate(value)) return [];
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const error of simplify(validate.errors ?? [])) {
    const pointer =
      error.keyword === 'additionalProperties'
        ? `${error.instancePath}/${String((error.params as { additionalProperty: string }).additionalProperty)}`
        : error.instancePath;
    const diagnostic = toDiagnostic(error, file, pointer, positionOf);
    const key = `${pointer}:${diagnostic.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/**
 * Drops the `oneOf`/`if` noise ajv adds around a discriminated union's real error, and the union's own
 * "type must be one of" when the `type` value already has its error (with a did-you-mean); a missing
 * `type` is reported once.
 */
function simplify(errors: readonly ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'if');
  const typeErrorAt = new Set(kept.filter((error) => error.instancePath.endsWith('/type')).map((error) => error.instancePath.slice(0, -'/type'.length)));
  const unionAt = new Set(kept.filter((error) => error.keyword === 'discriminator').map((error) => error.instancePath));
  return kept.filter((error) => {
    if (error.keyword === 'discriminator') return !typeErrorAt.has(error.instancePath);
    // A missing `type` is what the union's error says, with the choices.
    return !(error.keyword === 'required' && (error.params as { missingProperty?: string }).missingProperty === 'type' && unionAt.has(error.instancePath));
  });
}

function toDiagnostic(error: ErrorObject, file: string, pointer: string, positionOf: PositionOf): Diagnostic {
  const keyPath = keyPathOf(pointer);
  const position = error.keyword === 'additionalProperties' ? positionOf(pointer, 'key') : positionOf(pointer);
  const base = { file, ...(position ? { line: position.line, column: position.column } : {}), severity: 'error' as const };
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknownKey = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { ...base, code: 'unknown-key', message: `${keyPath}: unknown key${didYouMean(unknownKey, allowed)} (valid keys: ${allowed.join(', ')})` };
    }
    case 'type':
      return {
        ...base,
        code: 'wrong-type',
        message: `${keyPath || 'the config'}: expected ${String((error.params as { type: string }).type)}, got ${describe(error.data)}`,
      };
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';
      return {
        ...base,
        code: 'invalid-value',
        message: `${keyPath}: ${typeof error.data === 'string' ? JSON.stringify(excerpt(error.data)) : describe(error.data)} is not one of ${allowed.join(', ')}${hint}`,
      };
    }
    case 'required':
      return {
        ...base,
        code: 'missing-key',
        message: `${keyPath || 'the config'}: missing required key ${String((error.params as { missingProperty: string }).missingProperty)}`,
      };
    case 'pattern': {
      // A pattern is unreadable as advice: show the schema's example of the expected form when it has one.
      const example = (error.parentSchema as { examples?: unknown[] } | undefined)?.examples?.[0];
      if (typeof example !== 'string') return { ...base, code: 'invalid-value', message: `${keyPath}: ${error.message ?? 'invalid'}` };
      return { ...base, code: 'invalid-value', message: `${keyPath}: ${describe(error.data)} does not have the expected form, e.g. ${example}` };
    }
    case 'discriminator':
      return { ...base, code: 'invalid-value', message: `${keyPath}: type must be one of ${discriminatorChoices(error).join(', ')}` };
    default:
      return { ...base, code: 'invalid-value', message: `${keyPath}: ${error.message ?? 'invalid'}` };
  }
}

function discriminatorChoices(error: ErrorObject): string[] {
  const branches = (error.parentSchema as { oneOf?: { properties?: { type?: { const?: string } } }[] } | undefined)?.oneOf ?? [];
  return branches.map((branch) => branch.properties?.type?.const).filter((choice): choice is string => choice !== undefined);
}

/** `/sources/0/path` → `sources[0].path`; each key is an {@link excerpt}: a key is from the file. */
export function keyPathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => excerpt(part.replace(/~1/g, '/').replace(/~0/g, '~')))
    .reduce((keyPath, part) => (/^\d+$/.test(part) ? `${keyPath}[${part}]` : keyPath === '' ? part : `${keyPath}.${part}`), '');
}

/** How a message names a value: `a list`, `a mapping`, `null`, or its type and, for a string, its {@link excerpt}. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `string ${JSON.stringify(excerpt(value))}` : `${typeof value} ${JSON.stringify(value)}`;
}
