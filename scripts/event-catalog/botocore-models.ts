import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** What the catalog needs of one service's model: where CloudTrail names it from, and its operations. */
export interface ServiceModel {
  /** botocore's folder name, e.g. `s3control`. */
  readonly service: string;
  readonly apiVersion: string;
  /** `metadata.endpointPrefix`, e.g. `s3-control`. */
  readonly endpointPrefix: string;
  /**
   * Every name an operation goes by: its key and, where it differs, its wire name (`UpdateDistribution`
   * and `UpdateDistribution2020_05_31`); CloudTrail writes the one the service logs.
   */
  readonly operationNames: readonly string[];
}

/** botocore's version (`__version__` in its `__init__.py`), for the catalog's header. */
export function botocoreVersion(botocoreFolder: string): string {
  const init = readFileSync(path.join(botocoreFolder, '__init__.py'), 'utf8');
  const version = /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(init)?.[1];
  if (version === undefined) throw new Error(`no __version__ in ${path.join(botocoreFolder, '__init__.py')}`);
  return version;
}

/**
 * Every service model under botocore's `data/` folder: per service, its newest API version (folders
 * are named by date, `2016-11-15`), read from `service-2.json` or `service-2.json.gz` (botocore
 * compresses its larger models). A service folder without a model (botocore's `_retry.json` and
 * friends are files, not folders) is skipped; a model that cannot be read or lacks its metadata throws,
 * since a catalog silently missing a service would turn its every event name into a warning.
 */
export function readBotocoreModels(botocoreFolder: string): ServiceModel[] {
  const dataFolder = path.join(botocoreFolder, 'data');
  const models: ServiceModel[] = [];
  for (const entry of readdirSync(dataFolder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const serviceFolder = path.join(dataFolder, entry.name);
    const versions = readdirSync(serviceFolder, { withFileTypes: true })
      .filter((version) => version.isDirectory() && /^\d{4}-\d{2}-\d{2}$/.test(version.name))
      .map((version) => version.name)
      .sort();
    const newest = versions.at(-1);
    if (newest === undefined) continue;
    const model = readModel(path.join(serviceFolder, newest));
    if (model === undefined) continue;
    models.push(serviceModel(entry.name, newest, model));
  }
  if (models.length === 0) throw new Error(`no service models under ${dataFolder}: is this botocore's package folder?`);
  return models;
}

function readModel(versionFolder: string): unknown {
  const plain = path.join(versionFolder, 'service-2.json');
  if (existsSync(plain)) return JSON.parse(readFileSync(plain, 'utf8'));
  const compressed = `${plain}.gz`;
  if (existsSync(compressed)) return JSON.parse(gunzipSync(readFileSync(compressed)).toString('utf8'));
  return undefined;
}

function serviceModel(service: string, apiVersion: string, model: unknown): ServiceModel {
  const where = `botocore model ${service}/${apiVersion}`;
  if (typeof model !== 'object' || model === null) throw new Error(`${where} is not a JSON object`);
  const { metadata, operations } = model as { metadata?: { endpointPrefix?: unknown }; operations?: unknown };
  const endpointPrefix = metadata?.endpointPrefix;
  if (typeof endpointPrefix !== 'string' || endpointPrefix === '') throw new Error(`${where} has no metadata.endpointPrefix`);
  if (typeof operations !== 'object' || operations === null) throw new Error(`${where} has no operations`);
  const names = new Set<string>();
  for (const [key, operation] of Object.entries(operations)) {
    names.add(key);
    const wireName = (operation as { name?: unknown } | null)?.name;
    if (typeof wireName === 'string' && wireName !== '') names.add(wireName);
  }
  return { service, apiVersion, endpointPrefix, operationNames: [...names] };
}
