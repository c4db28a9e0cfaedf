import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import type { Diagnostic } from '../shared/diagnostics.js';
import { findJsonSyntaxError } from '../records/json-syntax-error.js';
import { positionAt } from '../records/text-position.js';
import type { Config } from './config.js';
import { unknownRegionDiagnostics } from './check-regions.js';
import { normalizeConfig } from './normalize-config.js';
import { parseConfigText } from './parse-config-text.js';
import { validateConfigShape, type PositionOf } from './validate-config.js';

export interface LoadedConfig {
  /** Undefined when the config has errors. */
  readonly config?: Config;
  readonly diagnostics: readonly Diagnostic[];
  /** Where the value at a JSON pointer (`/params/allowedSourceCidrs`) was written, for later stages' mistakes. */
  readonly positionOf: PositionOf;
}

const NO_POSITIONS: PositionOf = () => undefined;

/**
 * Data-only places: a config is never code, so cosmiconfig's JavaScript and TypeScript loaders are
 * left out on purpose (a `.lfvauditrc.js` is not read).
 */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  '.lfvauditrc',
  '.lfvauditrc.yaml',
  '.lfvauditrc.yml',
  '.lfvauditrc.json',
  '.config/lfvauditrc',
  '.config/lfvauditrc.yaml',
  '.config/lfvauditrc.yml',
  '.config/lfvauditrc.json',
];

/**
 * Finds (or reads the named) config file, checks it against schema/config.schema.json and fills in
 * defaults. Every mistake is returned, each naming the file, line and key path.
 */
export async function loadConfig(options: { readonly cwd: string; readonly configPath?: string }): Promise<LoadedConfig> {
  if (options.configPath !== undefined) {
    const file = path.resolve(options.cwd, options.configPath);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      return {
        positionOf: NO_POSITIONS,
        diagnostics: [
          {
            file,
            code: 'config-unreadable',
            message: `cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
            severity: 'error',
          },
        ],
      };
    }
    return path.basename(file) === 'package.json' ? fromPackageJsonText(text, file) : fromText(text, file);
  }

  let found;
  try {
    // cosmiconfig only finds the file here; parsing stays ours so errors carry positions. Creating the
    // explorer already reads cosmiconfig's own settings (package.json and .config/ of the process's
    // working directory), so it can fail too.
    const explorer = cosmiconfig('lfvaudit', {
      searchPlaces: CONFIG_SEARCH_PLACES,
      searchStrategy: 'project',
      loaders: { '.json': keepTextOrPackageJson, '.yaml': keepText, '.yml': keepText, noExt: keepText },
      // cosmiconfig reads a package.json's `lfvaudit` key from the parsed object: keep its text beside it.
      cache: false,
    });
    found = await explorer.search(options.cwd);
  } catch (error) {
    return { positionOf: NO_POSITIONS, diagnostics: [searchFailure(error, options.cwd)] };
  }
  if (found === null) return { config: normalizeConfig({}, undefined, options.cwd), diagnostics: [], positionOf: NO_POSITIONS };
  const { text } = found.config as { readonly text: string };
  return path.basename(found.filepath) === 'package.json' ? fromPackageJsonText(text, found.filepath) : fromText(text, found.filepath);
}

function keepText(_file: string, text: string): { readonly text: string } {
  return { text };
}

/**
 * cosmiconfig looks for the `lfvaudit` key itself in a parsed package.json (a package.json without it
 * is passed over); the text rides along, under that key, so that mistakes get positions.
 */
function keepTextOrPackageJson(file: string, text: string): unknown {
  if (path.basename(file) !== 'package.json') return keepText(file, text);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new PackageJsonSyntaxError(file, text);
  }
  return Object.hasOwn(parsed, 'lfvaudit') ? { ...parsed, lfvaudit: { text } } : parsed;
}

/** A package.json on the search path that is not JSON: whether it holds an `lfvaudit` key cannot be known. */
class PackageJsonSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    super(`${file}: not valid JSON`);
  }
}

/**
 * Why the search for a config failed, as a diagnostic. Never the libraries' own messages: JSON.parse and
 * cosmiconfig quote the text around the mistake, and a package.json may be a symlink to a file of
 * secrets. A package.json of ours is placed at its mistake, described by one character.
 */
function searchFailure(error: unknown, cwd: string): Diagnostic {
  if (error instanceof PackageJsonSyntaxError) {
    const syntax = findJsonSyntaxError(error.text);
    const where = syntax === undefined ? {} : positionAt(error.text, syntax.offset);
    return {
      file: error.file,
      ...where,
      code: 'config-syntax',
      message: `invalid JSON${syntax === undefined ? '' : `: ${syntax.message}`}`,
      severity: 'error',
    };
  }
  // cosmiconfig names the file it could not parse on the first line of its message.
  const named = error instanceof Error ? /^(?:JSON|YAML) Error in (.+):$/m.exec(error.message)?.[1] : undefined;
  if (named !== undefined) {
    return {
      file: named,
      code: 'config-syntax',
      message: 'not valid JSON or YAML (cosmiconfig reads its own settings from this file while it searches for the config)',
      severity: 'error',
    };
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return {
    file: cwd,
    code: 'config-unreadable',
    message: `cannot search for the config from here: ${code ?? (error instanceof Error ? error.name : 'unknown error')}`,
    severity: 'error',
  };
}

function fromText(text: string, file: string): LoadedConfig {
  const parsed = parseConfigText(text, file);
  if (parsed.value === undefined) return { diagnostics: parsed.diagnostics, positionOf: parsed.positionOf };
  return checked(parsed.value, file, parsed.diagnostics, parsed.positionOf, '');
}

/** The `lfvaudit` key of a package.json, placed in the whole file's text. */
function fromPackageJsonText(text: string, file: string): LoadedConfig {
  const parsed = parseConfigText(text, file);
  if (parsed.value === undefined) return { diagnostics: parsed.diagnostics, positionOf: parsed.positionOf };
  const value = (parsed.value as Record<string, unknown> | null)?.lfvaudit;
  const positionOf: PositionOf = (pointer, part) => parsed.positionOf(`/lfvaudit${pointer}`, part);
  return checked(value ?? {}, file, [], positionOf, 'lfvaudit.');
}

function checked(value: unknown, file: string, parseDiagnostics: readonly Diagnostic[], positionOf: PositionOf, keyPrefix: string): LoadedConfig {
  const shape = validateConfigShape(value, file, positionOf).map((d) => ({ ...d, message: `${keyPrefix}${d.message}` }));
  const diagnostics = [...parseDiagnostics, ...shape];
  if (!diagnostics.some((d) => d.severity === 'error')) diagnostics.push(...unknownRegionDiagnostics(value, file, positionOf, keyPrefix));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, positionOf };
  return { config: normalizeConfig(value as Record<string, unknown>, file, path.dirname(file)), diagnostics, positionOf };
}
