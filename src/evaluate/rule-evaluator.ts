import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import type { ResolvedRule } from '../ruleset/rule.js';

/**
 * Decides which rules a record violates. Implementations: the json-rules-engine reference
 * (`--engine reference`) and the compiled fast path; both must give identical verdicts.
 */
export interface RuleEvaluator {
  /** The active rules whose scope and conditions the record satisfies, in the order the rules were given. */
  matchingRules(record: CloudTrailRecord): Promise<readonly ResolvedRule[]>;
  /** The same verdicts without a promise per record, where the implementation can give them (the compiled evaluator): the audit's hot path. */
  matchingRulesSync?(record: CloudTrailRecord): readonly ResolvedRule[];
}
