import type { SourceItem } from './event-source.js';
import type { S3TrailCoverage, S3TrailCoverageGap } from './s3-trail-coverage.js';

/**
 * The coverage as notices for the run summary: one line for what was read, one per absence. Faults
 * (unreadable objects, failed listings) are not repeated: they are unreadable items already.
 */
export function coverageNotices(coverage: S3TrailCoverage): SourceItem[] {
  const origin = coverage.location;
  const notices: SourceItem[] = [{ kind: 'notice', origin, message: readMessage(coverage) }];
  for (const gap of coverage.gaps) {
    const message = absenceMessage(gap);
    if (message !== undefined) notices.push({ kind: 'notice', origin, message });
  }
  return notices;
}

function readMessage(coverage: S3TrailCoverage): string {
  const days = [...new Set(coverage.days.map((day) => day.day))].sort();
  const sum = (pick: (day: S3TrailCoverage['days'][number]) => number): number => coverage.days.reduce((total, day) => total + pick(day), 0);
  const shard = coverage.shard === undefined ? '' : ` (shard ${coverage.shard.index}/${coverage.shard.count})`;
  const list = (label: string, values: readonly string[]): string => `${values.length} ${label}${values.length === 1 ? '' : 's'}${values.length === 0 ? '' : ` (${values.join(', ')})`}`;
  return (
    `coverage${shard}: ${list('account', coverage.accounts)}, ${list('region', coverage.regions)}, ${list('day folder', days)}; ` +
    `${sum((day) => day.objectsRead)} of ${sum((day) => day.objectsInWindow)} log objects in the window read, ` +
    `${sum((day) => day.records)} records (${sum((day) => day.recordsInWindow)} in the window), ${coverage.gaps.length} gap${coverage.gaps.length === 1 ? '' : 's'}`
  );
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
