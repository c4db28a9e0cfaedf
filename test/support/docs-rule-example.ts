import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { runRuleTests } from '../../src/audit/rule-test-runner.js';
import { loadRuleDefinitions } from '../../src/ruleset/index.js';
import type { RuleDefinition } from '../../src/ruleset/rule.js';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { repoRoot } from './repo-root.js';
import { tempFolder } from './temp-folder.js';

/** The first group `pattern` captures in docs/rules.md: a block of it. */
export async function docsBlock(pattern: RegExp): Promise<string> {
  const docs = await readFile(join(repoRoot(), 'docs', 'rules.md'), 'utf8');
  const block = pattern.exec(docs)?.[1];
  if (block === undefined) throw new Error(`docs/rules.md has no block matching ${String(pattern)}`);
  return block;
}

export interface DocsRuleExample {
  readonly definitions: readonly RuleDefinition[];
  /** Load problems, as `file:line:col: severity code: message` lines. */
  readonly diagnostics: readonly string[];
  readonly testCount: number;
  /** What went wrong in each embedded test that failed. */
  readonly failures: readonly (readonly string[])[];
}

/**
 * The rule docs/rules.md shows in full (the ```yaml block that starts with `id: ID`), loaded from a
 * file of its own in a scratch folder as lfvaudit loads a rule, and its embedded tests run.
 */
export async function loadDocsRuleExample(t: ExecutionContext, id: string): Promise<DocsRuleExample> {
  const folder = tempFolder(t, 'docs');
  await writeFile(join(folder, `${id}.yaml`), await docsBlock(new RegExp(`\`\`\`yaml\\n(id: ${id}\\n[\\s\\S]*?)\`\`\``)));
  const { definitions, diagnostics } = await loadRuleDefinitions({ builtIn: false, paths: [folder] });
  const results = await runRuleTests(definitions);
  return {
    definitions,
    diagnostics: diagnostics.map(formatDiagnostic),
    testCount: results.length,
    failures: results.filter((result) => !result.passed).map((result) => result.failures),
  };
}
