import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the benchmark keeps things. Scripts run from dist/bench/, so repo paths are found by walking up to
 * the folder that holds package.json rather than relative to the compiled file.
 */
export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

/** Generated inputs and outputs; git-ignored. */
export const benchDataDir = join(repoRoot, 'bench', 'data');
export const defaultRulesDir = join(benchDataDir, 'rules');
export const defaultBenchConfigPath = join(benchDataDir, 'bench-config.yaml');
export const runsDir = join(benchDataDir, 'runs');
export const builtInRulesDir = join(repoRoot, 'rules');
export const resultsPath = join(repoRoot, 'bench', 'results.json');
/** The compiled scripts this harness starts as child processes. */
export const compiledBenchDir = join(repoRoot, 'dist', 'bench');
export const lfvauditBin = join(repoRoot, 'dist', 'src', 'bin', 'lfvaudit.js');

/** `bench/data/events-typical`, or `bench/data/events-typical-2gb` for a data set of a given size. */
export function eventsDirFor(profile: string, sizeGb?: number): string {
  return join(benchDataDir, sizeGb === undefined ? `events-${profile}` : `events-${profile}-${sizeGb}gb`);
}
