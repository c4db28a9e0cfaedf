import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { FindingGroup } from '../grouping/finding-group.js';
import { diffFindings } from './diff.js';
import { mergeFindingGroups } from './group.js';
import { findingGroupOf } from './read.js';

/**
 * Whether the finding Security Hub holds now lacks evidence a run brought for its Id: the run's own
 * findings with that Id (`fresh`), and the merge it last imported, or found already stored (`written`).
 *
 * A stored finding with the content of `written` holds the run's events (no importer has written over
 * it since, or one wrote the same). Otherwise the run's findings are joined with the stored one: it
 * lacks their evidence when the join counts more events, or counts them only as a lower bound where
 * the stored one did not, or has other first or last times or sample events. A stored finding another
 * importer compacted may then be taken to lack events it holds; importing the join again marks its count
 * as a lower bound, which is the honest outcome: its events can no longer be told apart.
 */
export function lacksEvidence(stored: AwsSecurityFinding | undefined, fresh: readonly AwsSecurityFinding[], written: AwsSecurityFinding | undefined): boolean {
  if (stored === undefined) return true;
  if (written !== undefined && diffFindings([stored], [written]).unchanged.length === 1) return false;
  const storedGroup = findingGroupOf(stored);
  if (storedGroup === undefined) return true;
  let joined = storedGroup;
  for (const finding of fresh) {
    const group = findingGroupOf(finding);
    if (group === undefined) throw new Error(`finding ${String(finding.Id)} was not written by lfvaudit`);
    joined = mergeFindingGroups(joined, {
      ...group,
      ruleId: storedGroup.ruleId,
      account: storedGroup.account,
      region: storedGroup.region,
      parts: storedGroup.parts,
      canonicalKey: storedGroup.canonicalKey,
    });
  }
  return !sameEvidence(storedGroup, joined);
}

function sameEvidence(a: FindingGroup, b: FindingGroup): boolean {
  return (
    a.eventCount === b.eventCount &&
    (a.eventCountIsLowerBound === true) === (b.eventCountIsLowerBound === true) &&
    a.firstEventTime === b.firstEventTime &&
    a.lastEventTime === b.lastEventTime &&
    JSON.stringify(a.sampleEvents) === JSON.stringify(b.sampleEvents)
  );
}
