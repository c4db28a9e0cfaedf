import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledEvaluator } from '../../../src/evaluate/compiled-evaluator.js';
import { ReferenceEvaluator } from '../../../src/evaluate/reference-evaluator.js';
import type { CloudTrailRecord } from '../../../src/records/cloudtrail-record.js';
import { loadRuleDefinitions, resolveRules, type LoadedRuleDefinitions } from '../../../src/ruleset/index.js';
import type { ResolvedRule } from '../../../src/ruleset/rule.js';

/** A Sigma rule file of this suite's own, in a fresh temp folder; `detection` is the YAML under `detection:`, indented by 4. */
export function sigmaRuleText(detection: string, extra = ''): string {
  return [
    'title: Test rule for lfvaudit',
    'id: 0b9d2a51-7a39-4c1e-9f0e-5a3c2d1e4f60',
    'status: test',
    'description: A rule written for lfvaudit tests.',
    'references:',
    '    - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html',
    'author: lfvaudit tests',
    'date: 2026-12-07',
    'tags:',
    '    - attack.defense-impairment',
    '    - attack.t1562.008',
    'logsource:',
    '    product: aws',
    '    service: cloudtrail',
    'detection:',
    detection.replace(/^/gm, '    '),
    'falsepositives:',
    '    - Planned maintenance',
    'level: high',
    extra,
  ].join('\n');
}

export async function loadSigmaText(text: string, fileName = 'test_rule.yml'): Promise<LoadedRuleDefinitions> {
  const folder = mkdtempSync(join(tmpdir(), 'lfvaudit-sigma-'));
  writeFileSync(join(folder, fileName), text);
  return loadRuleDefinitions({ builtIn: false, paths: [join(folder, fileName)] }).finally(() => rmSync(folder, { recursive: true, force: true }));
}

/** Sigma rule files of this suite's own, by file name, loaded together from a fresh temp folder. */
export async function loadSigmaFiles(files: Readonly<Record<string, string>>): Promise<LoadedRuleDefinitions> {
  const folder = mkdtempSync(join(tmpdir(), 'lfvaudit-sigma-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return loadRuleDefinitions({ builtIn: false, paths: [folder] }).finally(() => rmSync(folder, { recursive: true, force: true }));
}

export async function loadSigmaRule(detection: string): Promise<ResolvedRule> {
  const loaded = await loadSigmaText(sigmaRuleText(detection));
  const [rule] = resolveRules(loaded.definitions, {}).rules;
  if (rule === undefined) throw new Error(`the rule did not load: ${JSON.stringify(loaded.diagnostics)}`);
  return rule;
}

/** The rule's verdict on the record, from both evaluators; throws when they disagree. */
export async function sigmaMatches(rule: ResolvedRule, record: CloudTrailRecord): Promise<boolean> {
  const compiled = new CompiledEvaluator([rule]).matchingRulesSync(record).length === 1;
  const reference = (await new ReferenceEvaluator([rule]).matchingRules(record)).length === 1;
  if (compiled !== reference) throw new Error(`the evaluators disagree on ${JSON.stringify(record)}: compiled ${compiled}, reference ${reference}`);
  return compiled;
}
