import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import path from 'node:path';
import test from 'ava';
import { runAudit } from '../../src/audit/run-audit.js';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { evaluatorFor } from '../../src/evaluate/evaluator-engine.js';
import { loadRuleDefinitions } from '../../src/ruleset/load-rule-definitions.js';
import { resolveRules } from '../../src/ruleset/resolve-rules.js';
import type { FindingSink } from '../../src/sinks/finding-sink.js';
import { FileSource } from '../../src/sources/file/file-source.js';
import { repoRoot } from '../support/repo-root.js';

/** A sink that keeps what it was handed, and the findings it iterated. */
class KeepingSink implements FindingSink {
  readonly description = 'keeping';
  handed: Iterable<AwsSecurityFinding> | undefined;
  iterated: AwsSecurityFinding[] = [];

  write(findings: Iterable<AwsSecurityFinding>, _summary: AuditSummary): Promise<void> {
    this.handed = findings;
    this.iterated = [...findings];
    return Promise.resolve();
  }
}

async function auditInto(sinks: readonly FindingSink[]): Promise<void> {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [] });
  const { rules } = resolveRules(loaded.definitions, {});
  await runAudit({
    sources: [new FileSource(path.join(repoRoot(), 'examples/logs'))],
    rules,
    evaluator: evaluatorFor('compiled', rules),
    sinks,
    now: () => new Date('2025-11-01T00:00:00Z'),
  });
}

test('one sink is handed the findings to build as it takes them, not a built array', async (t) => {
  const sink = new KeepingSink();
  await auditInto([sink]);
  t.false(Array.isArray(sink.handed));
  t.true(sink.iterated.length > 0);
});

test('several sinks share one built array: each finding is built once, whatever the number of sinks', async (t) => {
  const first = new KeepingSink();
  const second = new KeepingSink();
  await auditInto([first, second]);
  t.true(Array.isArray(first.handed));
  t.is(first.handed, second.handed);
  t.true(first.iterated.length > 0);
  t.true(first.iterated.every((finding, index) => finding === second.iterated[index]));
});
