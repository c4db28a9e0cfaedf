import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import type { Diagnostic } from '../diagnostics.js';
import type { Config } from './config.js';
import { normalizeConfig } from './normalize-config.js';
import { parseConfigText } from './parse-config-text.js';
import { validateConfigShape } from './validate-config.js';

export interface LoadedConfig {
  /** Undefined when the config has errors. */
  readonly config?: Config;
  readonly diagnostics: readonly Diagnostic[];
}

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
      return { diagnostics: [{ file, code: 'config-unreadable', message: `cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, severity: 'error' }] };
    }
    return fromText(text, file);
  }

  // cosmiconfig only finds the file here; parsing stays ours so errors carry positions.
  const explorer = cosmiconfig('lfvaudit', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'project',
    loaders: { '.json': keepTextOrPackageJson, '.yaml': keepText, '.yml': keepText, noExt: keepText },
    cache: false,
  });
  const found = await explorer.search(options.cwd).catch((error: unknown) => {
    throw new Error(`searching for the lfvaudit config from ${options.cwd}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (found === null) return { config: normalizeConfig({}, undefined, options.cwd), diagnostics: [] };
  if (path.basename(found.filepath) === 'package.json') return fromPackageJson(found.config, found.filepath);
  return fromText((found.config as { readonly text: string }).text, found.filepath);
}

function keepText(_file: string, text: string): { readonly text: string } {
  return { text };
}

/** cosmiconfig reads the `lfvaudit` key itself from a parsed package.json. */
function keepTextOrPackageJson(file: string, text: string): unknown {
  return path.basename(file) === 'package.json' ? JSON.parse(text) : keepText(file, text);
}

function fromText(text: string, file: string): LoadedConfig {
  const parsed = parseConfigText(text, file);
  if (parsed.value === undefined) return { diagnostics: parsed.diagnostics };
  const diagnostics = [...parsed.diagnostics, ...validateConfigShape(parsed.value, file, parsed.positionOf)];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { config: { ...normalizeConfig(parsed.value as Record<string, unknown>, file, path.dirname(file)), positionOf: parsed.positionOf }, diagnostics };
}

/** The `lfvaudit` key of a package.json. */
function fromPackageJson(value: unknown, file: string): LoadedConfig {
  const diagnostics = validateConfigShape(value, file, () => undefined).map((d) => ({ ...d, message: `lfvaudit.${d.message}` }));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { config: normalizeConfig(value as Record<string, unknown>, file, path.dirname(file)), diagnostics };
}
