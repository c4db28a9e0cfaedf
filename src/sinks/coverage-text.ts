import { shardText } from '../sources/s3/shard.js';
import type { S3TrailCoverage } from '../sources/s3/trail-coverage.js';

/**
 * One line summing up what an S3 trail read covered, for people: `2 accounts (…), 2 regions (…), 2 day
 * folders (…); 6 of 7 log objects in the window read, 1 unreadable, 9 records (8 in the window), 1 gap`.
 * The whole report, per day and gap, is in `--format json`.
 */
export function coverageLine(coverage: S3TrailCoverage): string {
  const days = [...new Set(coverage.days.map((day) => day.day))].sort();
  const sum = (pick: (day: S3TrailCoverage['days'][number]) => number): number => coverage.days.reduce((total, day) => total + pick(day), 0);
  const shard = coverage.shard === undefined ? '' : `${shardText(coverage.shard)}: `;
  const unreadable = sum((day) => day.objectsUnreadable);
  return (
    `${shard}${listed('account', coverage.accounts)}, ${listed('region', coverage.regions)}, ${listed('day folder', days)}; ` +
    `${sum((day) => day.objectsRead)} of ${sum((day) => day.objectsInWindow)} log objects in the window read${unreadable === 0 ? '' : `, ${unreadable} unreadable`}, ` +
    `${sum((day) => day.records)} records (${sum((day) => day.recordsInWindow)} in the window), ${plural(coverage.gaps.length, 'gap')}`
  );
}

function listed(label: string, values: readonly string[]): string {
  return `${plural(values.length, label)}${values.length === 0 ? '' : ` (${values.join(', ')})`}`;
}

function plural(count: number, label: string): string {
  return `${count} ${label}${count === 1 ? '' : 's'}`;
}
