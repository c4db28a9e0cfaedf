import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * DuckDB for the peer row, kept out of the project's dependencies so that `npm ci` stays lean: the benchmark
 * installs it on demand into its own folder (bench/data/peers), and tests use it only when it is already there.
 */
export const DUCKDB_PACKAGE = '@duckdb/node-api';
/** Pinned, so that a peer row measured on another day ran the same DuckDB. */
export const DUCKDB_VERSION = '1.5.6-r.1';

/** The few calls of @duckdb/node-api the benchmark makes (its types are not installed with the project). */
export interface DuckDbModule {
  readonly DuckDBInstance: { create(path: string, options: Readonly<Record<string, string>>): Promise<DuckDbInstance> };
}
interface DuckDbInstance {
  connect(): Promise<DuckDbConnection>;
}
export interface DuckDbConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): Record<string, unknown>[] }>;
}

/** The installed module's entry file, or undefined when the folder has no DuckDB yet. */
export function installedDuckDb(peersDir: string): string | undefined {
  if (!existsSync(join(peersDir, 'node_modules', DUCKDB_PACKAGE, 'package.json'))) return undefined;
  try {
    return createRequire(resolve(peersDir, 'package.json')).resolve(DUCKDB_PACKAGE);
  } catch {
    return undefined;
  }
}

/** Installs DuckDB into `peersDir` unless it is there; returns why not when npm could not. */
export function ensureDuckDb(peersDir: string, log: (line: string) => void): { readonly entry: string } | { readonly problem: string } {
  const present = installedDuckDb(peersDir);
  if (present !== undefined) return { entry: present };
  mkdirSync(peersDir, { recursive: true });
  writeFileSync(join(peersDir, 'package.json'), `${JSON.stringify({ private: true, description: 'Peers for npm run bench, installed on demand' }, null, 2)}\n`);
  log(`installing ${DUCKDB_PACKAGE}@${DUCKDB_VERSION} into ${peersDir} …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', peersDir, '--no-audit', '--no-fund', '--save-exact', `${DUCKDB_PACKAGE}@${DUCKDB_VERSION}`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const installed = installedDuckDb(peersDir);
  if (result.status === 0 && installed !== undefined) return { entry: installed };
  const said = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim().split('\n').pop() ?? '';
  return { problem: `npm install ${DUCKDB_PACKAGE} failed${said === '' ? '' : `: ${said}`}` };
}

export async function importDuckDb(entry: string): Promise<DuckDbModule> {
  return (await import(pathToFileURL(entry).href)) as DuckDbModule;
}

/** One connection of an in-memory database limited to `threads` threads. */
export async function connectDuckDb(entry: string, threads: number): Promise<DuckDbConnection> {
  const duckdb = await importDuckDb(entry);
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: String(threads) });
  return instance.connect();
}
