import type { SourceItem } from '../event-source.js';
import type { S3TrailCoverage, S3TrailCoverageGap } from './trail-coverage.js';

/**
 * The coverage's absences as notices, one each, so that a reader of the run's log sees what was not
 * audited. Faults (unreadable objects, failed listings) are not repeated: they are unreadable items already.
 */
export function absenceNotices(coverage: S3TrailCoverage): SourceItem[] {
  return coverage.gaps.flatMap((gap): SourceItem[] => {
    const message = absenceMessage(gap);
    return message === undefined ? [] : [{ kind: 'notice', origin: coverage.location, message }];
  });
}

function absenceMessage(gap: S3TrailCoverageGap): string | undefined {
  switch (gap.kind) {
    case 'no-accounts':
      return `no account folders under ${gap.location}: nothing was audited (check the bucket, the prefix and the organization id)`;
    case 'account-not-found':
      return `account ${gap.account} has no CloudTrail logs in this location: it was not audited`;
    case 'no-regions':
      return `account ${gap.account} has no region folders under ${gap.location}: it was not audited`;
    case 'region-not-found':
      return `account ${gap.account} has no CloudTrail logs for region ${gap.region}: it was not audited there`;
    case 'no-log-objects':
      return `account ${gap.account}, region ${gap.region}: no log objects delivered on ${gap.day} within the window (the trail may have been off)`;
    case 'unreadable-object':
    case 'listing-failed':
      return undefined;
  }
}
