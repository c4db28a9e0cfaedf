import type { AwsSecurityFindingFilters, StringFilter } from '@aws-sdk/client-securityhub';
import { generatorIdOf } from '../findings/finding-id.js';
import { MAX_FILTER_VALUES } from './api.js';

export interface ToolFindingQuery {
  readonly productArn: string;
  /** Only these rules; default: every lfvaudit rule. */
  readonly ruleIds?: readonly string[];
  /** Only these severity labels. */
  readonly severities?: readonly string[];
  /** Archived findings too; default: ACTIVE only. */
  readonly includeArchived?: boolean;
  /** Only findings last observed at or before this time. */
  readonly lastObservedBefore?: Date;
}

/**
 * GetFindings filters for lfvaudit's own findings: its product ARN and a GeneratorId under `lfvaudit/`
 * (one per rule, src/findings/finding-id.ts). Filters on one field are ORed, on different fields ANDed;
 * a field takes at most 20 values.
 */
export function toolFindingFilters(query: ToolFindingQuery): AwsSecurityFindingFilters {
  const ruleIds = query.ruleIds ?? [];
  const severities = query.severities ?? [];
  for (const [name, values] of [
    ['rules', ruleIds],
    ['severities', severities],
  ] as const) {
    if (values.length > MAX_FILTER_VALUES) throw new RangeError(`GetFindings takes at most ${MAX_FILTER_VALUES} ${name} at once, got ${values.length}`);
  }
  return {
    ProductArn: [equals(query.productArn)],
    GeneratorId: ruleIds.length === 0 ? [{ Value: generatorIdOf(''), Comparison: 'PREFIX' }] : ruleIds.map((id) => equals(generatorIdOf(id))),
    ...(severities.length === 0 ? {} : { SeverityLabel: severities.map(equals) }),
    ...(query.includeArchived === true ? {} : { RecordState: [equals('ACTIVE')] }),
    ...(query.lastObservedBefore === undefined ? {} : { LastObservedAt: [{ End: query.lastObservedBefore.toISOString() }] }),
  };
}

function equals(value: string): StringFilter {
  return { Value: value, Comparison: 'EQUALS' };
}
