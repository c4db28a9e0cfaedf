import path from 'node:path';
import { renderTable, type TableColumn } from '../shared/text-table.js';
import { displayName } from '../shared/terminal-text.js';
import { eventSourceText } from '../ruleset/rule-scope.js';
import type { CatalogRule } from './rule-catalog.js';
import type { RuleThreshold } from '../ruleset/rule.js';
import type { FindingSigmaAttribution } from '../findings/sigma-attribution.js';
import { thresholdRuleText } from '../findings/threshold-text.js';

/** One row of `lfvaudit rules list`, also its JSON shape. */
export interface RuleListing {
  readonly id: string;
  readonly severity: string;
  /** The sources, or `any` for every source. */
  readonly eventSource: readonly string[] | 'any';
  /** With `any`: the sources left out. */
  readonly notEventSource?: readonly string[];
  /** Absent: every event of the sources. */
  readonly eventName?: readonly string[];
  /** Absent: every matching event is a finding's evidence (docs/rules.md, "Thresholds"). */
  readonly threshold?: { readonly count: number; readonly within: string; readonly distinct?: string };
  /** Relative to the working directory. */
  readonly file: string;
  readonly builtIn: boolean;
  readonly active: boolean;
  /** Why the rule does not run: disabled in the config, or a parameter unset or invalid. */
  readonly inactiveReason?: string;
  /** A rule loaded from a Sigma file: its author and SigmaHQ link (the Detection Rule License 1.1 asks to keep them). */
  readonly sigma?: { readonly author?: string; readonly link: string };
}

export function ruleListing(rule: CatalogRule, cwd: string): RuleListing {
  const { definition, resolved } = rule;
  const reason = rule.disabled ? 'disabled by rules.disable in the config' : resolved.active ? undefined : (resolved.inactiveReason ?? 'inactive');
  return {
    id: definition.id,
    severity: definition.severity,
    eventSource: resolved.scope.eventSource,
    ...(resolved.scope.notEventSource === undefined ? {} : { notEventSource: resolved.scope.notEventSource }),
    ...(resolved.scope.eventName === undefined ? {} : { eventName: resolved.scope.eventName }),
    ...(resolved.threshold === undefined ? {} : { threshold: thresholdListing(resolved.threshold) }),
    file: relativeFile(definition.file, cwd),
    builtIn: definition.builtIn,
    active: reason === undefined,
    ...(reason === undefined ? {} : { inactiveReason: reason }),
    ...(definition.sigma === undefined
      ? {}
      : { sigma: { ...(definition.sigma.author === undefined ? {} : { author: definition.sigma.author }), link: definition.sigma.link } }),
  };
}

function thresholdListing({ count, within, distinct }: RuleThreshold): NonNullable<RuleListing['threshold']> {
  return { count, within, ...(distinct === undefined ? {} : { distinct }) };
}

/** The author and link of each Sigma rule listed, for the lines under the table. */
export function listedSigmaAttributions(listings: readonly RuleListing[]): FindingSigmaAttribution[] {
  return listings.flatMap((listing) => (listing.sigma === undefined ? [] : [{ ruleId: listing.id, author: listing.sigma.author, link: listing.sigma.link }]));
}

/**
 * The table shows built-in rules as `<built-in>/NAME.yaml`: their folder is the package's, the same for
 * every rule. The THRESHOLD column (`50 within 10m`) is there only when a listed rule has a threshold:
 * without one, a rule's every match is a finding and the column would be empty.
 */
export function renderRuleTable(listings: readonly RuleListing[], width: number): string[] {
  const withThresholds = listings.some((listing) => listing.threshold !== undefined);
  const columns: TableColumn[] = [
    { header: 'ID', minWidth: 12 },
    { header: 'SEVERITY', minWidth: 8 },
    { header: 'SCOPE', minWidth: 12, flexible: true },
    ...(withThresholds ? [{ header: 'THRESHOLD', minWidth: 9 }] : []),
    { header: 'FILE', minWidth: 12 },
    { header: 'ACTIVE', minWidth: 6, flexible: true },
  ];
  const rows = listings.map((listing) => [
    listing.id,
    listing.severity,
    `${eventSourceText(listing).replaceAll(', ', ',')} ${listing.eventName === undefined ? '(every event)' : listing.eventName.join(',')}`,
    ...(withThresholds ? [listing.threshold === undefined ? '' : thresholdRuleText(listing.threshold)] : []),
    listing.builtIn ? `<built-in>/${path.basename(listing.file)}` : displayName(listing.file),
    listing.active ? 'yes' : `no: ${listing.inactiveReason ?? ''}`,
  ]);
  return renderTable(columns, rows, width);
}

/** Relative to the working directory when the file is under it; absolute otherwise. */
export function relativeFile(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
