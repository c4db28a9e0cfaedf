import type { RuleEvaluator } from '../evaluate/rule-evaluator.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import { FindingGroupBuilder, type RecordFingerprint } from '../grouping/finding-group.js';
import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import { eventTimeOf } from '../records/event-time.js';
import type { ResolvedRule } from '../ruleset/rule.js';
import { ownsAccountRegion, type Shard } from '../sources/s3/shard.js';
import type { TimeWindow } from '../sources/event-source.js';

/** Matches a suppression silenced, per suppression (its place in the config's list). */
export interface SuppressedCount {
  readonly index: number;
  readonly rule: string;
  readonly reason: string;
  readonly expires: string;
  readonly count: number;
}

/** What evaluating a run's distinct records counted. */
export interface EvaluationCounts {
  outsideWindow: number;
  undatedRecords: number;
  recordsEvaluated: number;
  matches: number;
}

/**
 * The part of an audit after dedupe: window check, evaluation, suppressions and grouping of distinct
 * records.
 */
export class RecordEvaluation {
  readonly counts: EvaluationCounts = { outsideWindow: 0, undatedRecords: 0, recordsEvaluated: 0, matches: 0 };
  // Records reach here deduped run-wide, so groups need not remember identities (distinctRecords).
  readonly groups: FindingGroupBuilder;
  readonly #suppressed = new Map<number, SuppressedCount>();
  readonly #windowStart: number | undefined;
  readonly #windowEnd: number | undefined;
  readonly #evaluator: RuleEvaluator;
  readonly #evaluateSync: RuleEvaluator['matchingRulesSync'];
  readonly #suppressions: Pick<Suppressions, 'isSuppressed'> | undefined;

  constructor(options: {
    readonly evaluator: RuleEvaluator;
    readonly window?: TimeWindow;
    readonly suppressions?: Pick<Suppressions, 'isSuppressed'>;
    readonly thresholdEventLimit?: number;
    readonly shard?: Shard;
  }) {
    const { shard } = options;
    this.groups = new FindingGroupBuilder({
      distinctRecords: true,
      ...(options.thresholdEventLimit === undefined ? {} : { thresholdEventLimit: options.thresholdEventLimit }),
      ...(shard === undefined ? {} : { weighsAccountRegion: (account: string, region: string) => ownsAccountRegion(shard, account, region) }),
    });
    this.#windowStart = options.window?.start.getTime();
    this.#windowEnd = options.window?.end.getTime();
    this.#evaluator = options.evaluator;
    this.#evaluateSync = options.evaluator.matchingRulesSync?.bind(options.evaluator);
    this.#suppressions = options.suppressions;
  }

  /** Evaluates one distinct record; a promise only when the evaluator has no synchronous path (json-rules-engine). */
  evaluate(record: CloudTrailRecord, fingerprint: RecordFingerprint): Promise<void> | undefined {
    if (this.#windowStart !== undefined && this.#windowEnd !== undefined) {
      const time = eventTimeOf(record);
      if (time === undefined) {
        // Without a time the record cannot be placed in the window: counted, never guessed.
        this.counts.undatedRecords += 1;
        return undefined;
      }
      if (time < this.#windowStart || time >= this.#windowEnd) {
        this.counts.outsideWindow += 1;
        return undefined;
      }
    }
    this.counts.recordsEvaluated += 1;
    // Synchronous when the evaluator can: a promise per record costs more than evaluating it.
    if (this.#evaluateSync !== undefined) {
      this.#group(record, fingerprint, this.#evaluateSync(record));
      return undefined;
    }
    return this.#evaluator.matchingRules(record).then((rules) => this.#group(record, fingerprint, rules));
  }

  /** Per suppression, ordered by its place in the config: the same list whatever order records came in. */
  suppressed(): SuppressedCount[] {
    return [...this.#suppressed.values()].sort((a, b) => a.index - b.index);
  }

  #group(record: CloudTrailRecord, fingerprint: RecordFingerprint, rules: readonly ResolvedRule[]): void {
    for (const rule of rules) {
      const suppression = this.#suppressions?.isSuppressed(rule, record);
      if (suppression !== undefined) {
        const entry = this.#suppressed.get(suppression.index);
        this.#suppressed.set(suppression.index, {
          index: suppression.index,
          rule: rule.id,
          reason: suppression.reason,
          expires: suppression.expires,
          count: (entry?.count ?? 0) + 1,
        });
        continue;
      }
      this.counts.matches += 1;
      this.groups.add(rule, record, fingerprint);
    }
  }
}
