import type { FindingGroup } from '../grouping/finding-group.js';
import type { KeptCounts, KeptValues } from '../shared/bounded-collections.js';
import { MISSING_KEY_VALUE } from '../grouping/group-key.js';
import { principalShortName } from '../records/principal.js';
import type { ResolvedRule } from '../ruleset/rule.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { singleLine, truncateText } from '../shared/fit-text.js';
import { thresholdSummary } from './threshold-text.js';

/** How many items of a list the description names before it says "and N more". */
const LISTED_IN_DESCRIPTION = 5;
const CALLS_IN_DESCRIPTION = 10;

/**
 * `<rule title>: <principal, short> (<project>) [<name>: <value>, …]`, at most 256 characters. The
 * bracket holds the group's other `groupBy` values (a bucket, a trail name), so that findings of one
 * rule grouped apart read apart in Security Hub's list without opening their ProductFields.
 */
export function findingTitle(group: FindingGroup, rule: Pick<ResolvedRule, 'title' | 'threshold'>): string {
  const principal = describeMany(group.principals, 'principals', principalShortName);
  const project = group.projects.values.length === 0 ? '' : ` (${describeMany(group.projects, 'projects', (name) => name)})`;
  const others = group.parts.filter((part) => !SHOWN_IN_TITLE.has(part.name));
  const grouped = others.length === 0 ? '' : ` [${others.map((part) => `${shortPartName(part.name)}: ${part.value}`).join(', ')}]`;
  const threshold = thresholdSummary(group, rule.threshold);
  if (threshold === undefined) return truncateText(singleLine(`${rule.title}: ${principal}${project}${grouped}`), ASFF_LIMITS.titleLength);
  // The count and span come last but are never cut: the rest gives way.
  const suffix = `: ${threshold}`;
  return `${truncateText(singleLine(`${rule.title}: ${principal}${project}${grouped}`), ASFF_LIMITS.titleLength - suffix.length)}${suffix}`;
}

/** groupBy keys whose value the title already names (principal, project). */
const SHOWN_IN_TITLE: ReadonlySet<string> = new Set(['principal', 'project']);

/** `requestParameters.bucketName` → `bucketName`: the last step of a path says what the value is. */
function shortPartName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * Who did what, where and when, then the rule's description, at most 1024 characters:
 * `arn:… called CreateDataset ×3, DeleteProject ×1 on project P1 in us-east-1 (account 123456789012)
 * between … and … from 198.51.100.7 [errors: AccessDeniedException ×1]. <rule description>`.
 */
export function findingDescription(group: FindingGroup, rule: Pick<ResolvedRule, 'description' | 'threshold'>): string {
  const who = describeMany(group.principals, 'principals', (principal) => principal);
  const projects =
    group.projects.values.length === 0
      ? ''
      : ` on ${group.projects.values.length === 1 && !group.projects.more ? 'project' : 'projects'} ${listWithMore(group.projects)}`;
  const region = group.region === MISSING_KEY_VALUE ? '' : ` in ${group.region}`;
  const account = group.account === MISSING_KEY_VALUE ? '' : ` (account ${group.account})`;
  const sources = group.sourceAddresses.values.length === 0 ? '' : ` from ${listWithMore(group.sourceAddresses)}`;
  const errors = group.errorCodes.counts.length === 0 ? '' : ` [errors: ${describeCounts(group.errorCodes, 'other errors')}]`;
  const facts = `${who} called ${describeCounts(group.eventNames, 'other calls')}${projects}${region}${account}${describeWhen(group)}${sources}${errors}.`;
  // First, so that no cut of a long description can drop it: the counts above are lower bounds too.
  const atLeast = group.eventCountIsLowerBound === true ? `At least ${group.eventCount} events (the counts are lower bounds). ` : '';
  const threshold = thresholdSummary(group, rule.threshold);
  const span =
    threshold === undefined || group.threshold === undefined
      ? ''
      : `${threshold}, from ${formatEventTime(group.threshold.start)} to ${formatEventTime(group.threshold.end)}. `;
  return truncateText(singleLine(`${atLeast}${span}${facts} ${rule.description}`), ASFF_LIMITS.descriptionLength);
}

/** ISO 8601 to the second: what people read in titles and tables (`2021-03-02T09:20:05Z`). */
export function formatEventTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.000Z$/, 'Z');
}

function describeWhen(group: FindingGroup): string {
  const { firstEventTime: first, lastEventTime: last } = group;
  if (first === undefined || last === undefined) return '';
  return first === last ? ` at ${formatEventTime(first)}` : ` between ${formatEventTime(first)} and ${formatEventTime(last)}`;
}

/** The one value, or `3 principals` (`20+ principals` when some were not kept). */
function describeMany(kept: KeptValues<string>, plural: string, show: (value: string) => string): string {
  const [only] = kept.values;
  if (only !== undefined && kept.values.length === 1 && !kept.more) return show(only);
  return `${kept.values.length}${kept.more ? '+' : ''} ${plural}`;
}

function listWithMore(kept: KeptValues<string>): string {
  const listed = kept.values.slice(0, LISTED_IN_DESCRIPTION).join(', ');
  const notListed = kept.values.length - LISTED_IN_DESCRIPTION;
  if (kept.more) return `${listed} and others`;
  return notListed > 0 ? `${listed} and ${notListed} more` : listed;
}

/** `CreateDataset ×3, DeleteProject ×1`, with what does not fit summed up as `other calls ×N`. */
function describeCounts(kept: KeptCounts, otherLabel: string): string {
  const listed = kept.counts.slice(0, CALLS_IN_DESCRIPTION);
  const notListed = kept.counts.slice(CALLS_IN_DESCRIPTION).reduce((sum, [, count]) => sum + count, kept.otherCount);
  const parts = listed.map(([name, count]) => `${name} ×${count}`);
  if (notListed > 0) parts.push(`${otherLabel} ×${notListed}`);
  return parts.join(', ');
}
