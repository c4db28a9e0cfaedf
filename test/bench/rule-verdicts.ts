import { CompiledEvaluator, loadRuleDefinitions, resolveRules, type ParamValues } from '../../src/index.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { listTrailFiles, readTrailFile } from '../../bench/trail-files.js';

/** Which events lfvaudit's evaluator matches, per rule, over every delivery file under a folder (each eventID once). */
export interface Verdicts {
  readonly events: number;
  /** Events at least one rule matched. */
  readonly eventsMatched: number;
  readonly eventIdsByRule: ReadonlyMap<string, ReadonlySet<string>>;
}

export async function lfvauditVerdicts(eventsDir: string, rulePaths: readonly string[], params: ParamValues): Promise<Verdicts> {
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: rulePaths });
  const resolved = resolveRules(loaded.definitions, params);
  const problems = [...loaded.diagnostics, ...resolved.diagnostics].filter((diagnostic) => diagnostic.severity === 'error');
  if (problems.length > 0) throw new Error(`the rules do not load: ${problems.map((problem) => problem.message).join('; ')}`);
  const evaluator = new CompiledEvaluator(resolved.rules);
  const seen = new Set<string>();
  const eventIdsByRule = new Map<string, Set<string>>(resolved.rules.map((rule) => [rule.id, new Set<string>()]));
  let eventsMatched = 0;
  for (const file of listTrailFiles(eventsDir)) {
    for (const record of readTrailFile(file) as (CloudTrailRecord & { eventID: string })[]) {
      if (seen.has(record.eventID)) continue;
      seen.add(record.eventID);
      const matching = evaluator.matchingRulesSync(record);
      if (matching.length > 0) eventsMatched++;
      for (const rule of matching) eventIdsByRule.get(rule.id)?.add(record.eventID);
    }
  }
  return { events: seen.size, eventsMatched, eventIdsByRule };
}
