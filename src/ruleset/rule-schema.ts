import type { ErrorObject, ValidateFunction } from 'ajv';
import { closestName, didYouMean } from '../shared/did-you-mean.js';
import { childPointer, type JsonPointer } from './json-pointer.js';
import { describeValue } from './param-types.js';
import type { PositionedDiagnostics } from './positioned-diagnostics.js';
import { excerpt, quoted } from '../shared/diagnostics.js';
import { checkGeneratedFrom } from '../shared/generated-validator.js';
import { listsSchemaFile, ruleSchemaFile } from './package-paths.js';
import { schemaSha256 as listsSchemaSha256, validate as generatedListsFileValidator } from './lists-shape-validator.js';
import { ruleShapeAjv } from './rule-shape-ajv.js';
import { schemaSha256, validate as generatedRuleFileValidator } from './rule-shape-validator.js';

/**
 * The shape layer of rule validation: schema/rule.schema.json (the same file editors use through
 * yaml-language-server), with ajv's errors turned into messages a rule author can act on.
 */
export class RuleShapeCheck {
  readonly #validator: () => ValidateFunction;
  #validate: ValidateFunction | undefined;

  private constructor(validator: () => ValidateFunction) {
    this.#validator = validator;
  }

  /** Rule files: schema/rule.schema.json, compiled when lfvaudit was built. */
  static forRuleFiles(): RuleShapeCheck {
    return new RuleShapeCheck(() => {
      checkGeneratedFrom(ruleSchemaFile(), schemaSha256);
      return generatedRuleFileValidator;
    });
  }

  /** Named-list files (lists.yaml): schema/lists.schema.json, compiled when lfvaudit was built. */
  static forListsFiles(): RuleShapeCheck {
    return new RuleShapeCheck(() => {
      checkGeneratedFrom(listsSchemaFile(), listsSchemaSha256);
      return generatedListsFileValidator;
    });
  }

  /** A schema in the rule's terms given at run time (a suppression's conditions), compiled by ajv on the first check. */
  static compiledFrom(schema: object): RuleShapeCheck {
    return new RuleShapeCheck(() => ruleShapeAjv().compile(schema));
  }

  /** Reports every shape mistake; returns whether there were none. */
  check(value: unknown, report: PositionedDiagnostics): boolean {
    this.#validate ??= this.#validator();
    if (this.#validate(value)) return true;
    for (const problem of readableProblems(this.#validate.errors ?? [])) {
      if (problem.at === 'key') report.keyError(problem.pointer, problem.code, problem.message);
      else report.error(problem.pointer, problem.code, problem.message);
    }
    return false;
  }
}

interface ShapeProblem {
  readonly pointer: JsonPointer;
  readonly at: 'key' | 'value';
  readonly code: string;
  readonly message: string;
}

/** Drops the noise of allErrors (if/then, branches of a summarised anyOf) and words what is left. */
function readableProblems(errors: readonly ErrorObject[]): ShapeProblem[] {
  const summarised = errors.filter((error) => error.keyword === 'anyOf' && typeof schemaMessage(error) === 'string').map((error) => error.instancePath);
  const underSummary = (error: ErrorObject): boolean =>
    error.keyword !== 'anyOf' && summarised.some((path) => error.instancePath === path || error.instancePath.startsWith(`${path}/`));
  const kept = errors.filter((error) => error.keyword !== 'if' && error.keyword !== 'propertyNames' && !underSummary(error));

  const suggestedKeys = new Set<string>();
  const problems: ShapeProblem[] = [];
  for (const error of kept) {
    if (error.keyword === 'additionalProperties') {
      const problem = unknownKey(error);
      problems.push(problem.problem);
      if (problem.suggestion !== undefined) suggestedKeys.add(childPointer(error.instancePath, problem.suggestion));
    }
  }
  for (const error of kept) {
    if (error.keyword === 'additionalProperties') continue;
    if (error.keyword === 'required' && suggestedKeys.has(childPointer(error.instancePath, String(error.params.missingProperty)))) continue;
    problems.push(describe(error));
  }
  return problems;
}

function unknownKey(error: ErrorObject): { problem: ShapeProblem; suggestion: string | undefined } {
  const key = String(error.params.additionalProperty);
  const validKeys = Object.keys(propertiesOf(error.parentSchema));
  const suggestion = closestName(key, validKeys);
  const hint = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
  return {
    problem: {
      pointer: childPointer(error.instancePath, key),
      at: 'key',
      code: 'unknown-key',
      message: `unknown key ${quoted(key)}${where(error.instancePath)}${hint}; valid keys: ${validKeys.join(', ')}`,
    },
    suggestion,
  };
}

function describe(error: ErrorObject): ShapeProblem {
  const field = fieldName(error.instancePath);
  const value = (code: string, message: string): ShapeProblem => ({ pointer: error.instancePath, at: 'value', code, message });
  switch (error.keyword) {
    case 'required':
      return value('missing-key', `missing required key '${String(error.params.missingProperty)}'${where(error.instancePath)}`);
    case 'type':
      return value('wrong-type', `${field} must be ${expectedType(error.schema)}, not ${describeValue(error.data)}`);
    case 'enum': {
      const allowed = (error.schema as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';
      return value('invalid-value', `${field} must be one of ${allowed.join(', ')}, not ${describeValue(error.data)}${hint}`);
    }
    case 'pattern': {
      const message = patternMessage(error);
      if (error.propertyName !== undefined) {
        return {
          pointer: childPointer(error.instancePath, error.propertyName),
          at: 'key',
          code: 'invalid-key',
          message: `${quoted(error.propertyName)}: ${message}`,
        };
      }
      return value('invalid-value', `${field} ${message}`);
    }
    case 'anyOf':
      return value('invalid-value', `${field}: ${schemaMessage(error) ?? 'does not have a valid shape'}${keyHint(error)}${constHint(error)}`);
    case 'minItems':
      return value('invalid-value', `${field} must have at least ${String(error.params.limit)} item${error.params.limit === 1 ? '' : 's'}`);
    case 'maxItems':
      return value('invalid-value', `${field} must have at most ${String(error.params.limit)} items`);
    case 'minLength':
      return value('invalid-value', `${field} must not be empty`);
    case 'maxLength':
      return value('invalid-value', `${field} must be at most ${String(error.params.limit)} characters long`);
    case 'uniqueItems':
      return value('invalid-value', `${field} repeats an item (items ${String(error.params.j)} and ${String(error.params.i)} are equal)`);
    default:
      return value('invalid-value', `${field} ${error.message ?? 'is not valid'}`);
  }
}

function schemaMessage(error: ErrorObject): string | undefined {
  const parent = error.parentSchema as { errorMessage?: unknown } | undefined;
  return typeof parent?.errorMessage === 'string' ? parent.errorMessage : undefined;
}

function patternMessage(error: ErrorObject): string {
  const parent = error.parentSchema as { patternErrorMessage?: unknown } | undefined;
  return typeof parent?.patternErrorMessage === 'string' ? parent.patternErrorMessage : `must match ${String(error.schema)}`;
}

/** For an anyOf of `required` branches: which of those keys a misspelt key was probably meant to be. */
function keyHint(error: ErrorObject): string {
  const branches = Array.isArray(error.schema) ? (error.schema as { required?: unknown }[]) : [];
  const keys = branches.flatMap((branch) => (Array.isArray(branch.required) ? branch.required.map(String) : []));
  if (keys.length === 0 || typeof error.data !== 'object' || error.data === null || Array.isArray(error.data)) return '';
  const written = Object.keys(error.data);
  for (const key of written) {
    const hint = didYouMean(key, keys);
    if (hint !== '') return ` (found ${quoted(key)}${hint.replace(' (', '; ')}`;
  }
  return written.length === 0 ? '' : ` (found ${written.map(quoted).join(', ')})`;
}

/** For an anyOf with `const` branches (`eventSource: any`): which of them a misspelt string was probably meant to be. */
function constHint(error: ErrorObject): string {
  const branches = Array.isArray(error.schema) ? (error.schema as { const?: unknown }[]) : [];
  const constants = branches.flatMap((branch) => (typeof branch.const === 'string' ? [branch.const] : []));
  return typeof error.data === 'string' && constants.length > 0 ? didYouMean(error.data, constants) : '';
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {};
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function expectedType(schemaType: unknown): string {
  const types = Array.isArray(schemaType) ? schemaType.map(String) : [String(schemaType)];
  const words = types.map((type) => TYPE_WORDS[type] ?? type);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}

/** `/conditions/all/1/operator` → `conditions.all[1].operator`, the way a rule author reads it. */
export function fieldName(pointer: JsonPointer): string {
  if (pointer === '') return 'the rule';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => excerpt(segment.replaceAll('~1', '/').replaceAll('~0', '~')))
    .reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');
}

function where(pointer: JsonPointer): string {
  return pointer === '' ? '' : ` in ${fieldName(pointer)}`;
}
