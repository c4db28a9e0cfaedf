import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot } from './repo-root.js';

const run = promisify(execFile);

export interface LoadedModules {
  /** The packages under node_modules the process loaded any module of (`ajv`, `@aws-sdk/client-s3`). */
  readonly packages: ReadonlySet<string>;
  /** Every module file it loaded, as paths relative to the repository. */
  readonly files: readonly string[];
  readonly exitCode: number;
}

/** Runs the built CLI with `args` in `cwd` and reports which modules it loaded (module-load-log.ts). */
export async function modulesLoadedBy(args: readonly string[], cwd: string): Promise<LoadedModules> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'lfvaudit-module-log-'));
  try {
    const logFile = path.join(scratch, 'modules.log');
    const preload = path.join(repoRoot(), 'dist', 'test', 'support', 'module-load-log.js');
    const bin = path.join(repoRoot(), 'dist', 'src', 'bin', 'lfvaudit.js');
    let exitCode = 0;
    try {
      await run(process.execPath, ['--import', preload, bin, ...args], {
        cwd,
        env: { ...process.env, LFVAUDIT_MODULE_LOG: logFile },
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'number') throw error;
      exitCode = code;
    }
    const files = (await readFile(logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('file:'))
      .map((url) => path.relative(repoRoot(), fileURLToPath(url)));
    const packages = new Set(files.flatMap((file) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
    return { packages, files: [...new Set(files)], exitCode };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
