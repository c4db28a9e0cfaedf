import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import path from 'node:path';
import test from 'ava';
import { runAudit } from '../src/audit.js';
import { evaluatorFor } from '../src/evaluate/evaluator-engine.js';
import { loadRuleDefinitions } from '../src/ruleset/load-rule-definitions.js';
import { resolveRules } from '../src/ruleset/resolve-rules.js';
import type { FindingSink } from '../src/sinks/finding-sink.js';
import { FileSource } from '../src/sources/file-source.js';
import { repoRoot } from './support/repo-root.js';

for (const workers of [1, 2]) {
  test(`with ${workers} worker${workers === 1 ? '' : 's'}, collectGarbage runs once: after every input is read, before any finding is built`, async (t) => {
    const steps: string[] = [];
    const sink: FindingSink = {
      description: 'steps',
      write: (findings: Iterable<AwsSecurityFinding>) => {
        steps.push('write');
        for (const _finding of findings) steps.push('finding');
        return Promise.resolve();
      },
    };
    const loaded = await loadRuleDefinitions({ builtIn: true, paths: [] });
    const { rules } = resolveRules(loaded.definitions, {});
    const result = await runAudit({
      sources: [new FileSource(path.join(repoRoot(), 'examples/logs'))],
      rules,
      evaluator: evaluatorFor('compiled', rules),
      sinks: [sink],
      now: () => new Date('2025-11-01T00:00:00Z'),
      workers: { count: workers, engine: 'compiled' },
      onProgress: () => steps.push('progress'),
      collectGarbage: () => steps.push('collect'),
    });
    t.is(steps.filter((step) => step === 'collect').length, 1);
    const collectedAt = steps.indexOf('collect');
    t.is(steps.lastIndexOf('progress'), collectedAt - 1, steps.join(' '));
    t.is(steps[collectedAt + 1], 'write');
    t.is(steps.filter((step) => step === 'finding').length, result.summary.findings);
    t.true(result.summary.findings > 0);
  });
}
