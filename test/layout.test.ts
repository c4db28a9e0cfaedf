import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support/repo-root.js';

/**
 * The folders of src/ form a layered pipeline: no folder imports one that (directly or through others)
 * imports it back. A cycle means a concept hiding between two folders (STYLE.md); name it instead.
 */
const srcRoot = path.join(repoRoot(), 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level folder of src/ a file belongs to; files at the root are the library's front door. */
function stageOf(file: string): string {
  const parts = path.relative(srcRoot, file).split(path.sep);
  return parts.length === 1 ? '(root)' : (parts[0] ?? '(root)');
}

function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(srcRoot)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), match[1] ?? '');
      const from = stageOf(file);
      const to = stageOf(target);
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${path.relative(srcRoot, file)} imports ${path.relative(srcRoot, target)}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** A cycle through `start`, as the chain of imports that closes it, or undefined. */
function cycleThrough(graph: Map<string, Map<string, string>>, start: string): string[] | undefined {
  const visit = (node: string, chain: string[], seen: Set<string>): string[] | undefined => {
    for (const [next, example] of graph.get(node) ?? []) {
      if (next === start) return [...chain, example];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = visit(next, [...chain, example], seen);
      if (found) return found;
    }
    return undefined;
  };
  return visit(start, [], new Set([start]));
}

test('no folder of src/ imports a folder that imports it back', (t) => {
  const graph = folderGraph();
  t.true(graph.size > 10, 'the import scan found the folders');
  const cycles = [...graph.keys()].flatMap((folder) => {
    const cycle = cycleThrough(graph, folder);
    return cycle ? [`${folder}: ${cycle.join(' → ')}`] : [];
  });
  t.deepEqual(cycles, []);
});

test('the root of src/ holds the library entry point and nothing else', (t) => {
  const rootFiles = readdirSync(srcRoot, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
  t.deepEqual(rootFiles, ['index.ts']);
});
