import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Another commit's lfvaudit, built side by side for the baseline row: `git archive` of the commit into a
 * temp folder (the repository's worktrees and branches stay untouched), this checkout's node_modules
 * linked in, then tsc and, where the commit has it, the build's validator generation. A folder already built
 * for the same commit is reused.
 */
export function buildBaseline(
  repoRoot: string,
  commitish: string,
  log: (line: string) => void,
): { readonly commit: string; readonly bin: string } | { readonly problem: string } {
  let commit: string;
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', `${commitish}^{commit}`], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return { problem: `git does not know the commit ${JSON.stringify(commitish)}` };
  }
  const folder = join(tmpdir(), `lfvaudit-bench-baseline-${commit.slice(0, 12)}`);
  const bin = join(folder, 'dist', 'src', 'bin', 'lfvaudit.js');
  if (existsSync(bin)) return { commit, bin };
  const partial = `${folder}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`building ${commitish} (${commit.slice(0, 12)}) in ${folder} …`);
  const archive = spawnSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', commit, partial], { cwd: repoRoot, encoding: 'utf8' });
  if (archive.status !== 0) return { problem: `git archive ${commit.slice(0, 12)} failed: ${archive.stderr.trim()}` };
  symlinkSync(join(repoRoot, 'node_modules'), join(partial, 'node_modules'), 'dir');
  const compile = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: partial,
    encoding: 'utf8',
  });
  if (compile.status !== 0 || !existsSync(join(partial, 'dist', 'src', 'bin', 'lfvaudit.js'))) {
    return { problem: `tsc failed for ${commit.slice(0, 12)}: ${`${compile.stdout}${compile.stderr}`.trim().split('\n')[0] ?? ''}` };
  }
  // The rest of `npm run build` where the commit has it: its schemas' validators, generated after tsc.
  const generator = join(partial, 'dist', 'scripts', 'generate-schema-validators.js');
  if (existsSync(generator)) {
    const generate = spawnSync(process.execPath, [generator], { cwd: partial, encoding: 'utf8' });
    if (generate.status !== 0)
      return { problem: `generating the schema validators failed for ${commit.slice(0, 12)}: ${generate.stderr.trim().split('\n')[0] ?? ''}` };
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
  return { commit, bin };
}
