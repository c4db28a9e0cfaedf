import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { escapeText } from '../shared/terminal-text.js';
import { singleLine } from '../shared/fit-text.js';
import { PRODUCT_FIELD } from './product-fields.js';
import { SIGMA_PRODUCT_FIELD } from './sigma-fields.js';

/** Who wrote the Sigma rule behind a finding, and where it lives. */
export interface FindingSigmaAttribution {
  readonly ruleId: string;
  readonly author: string | undefined;
  readonly link: string;
}

/** The attribution a finding from a Sigma rule carries in its ProductFields; undefined for any other finding. */
export function sigmaAttributionOf(finding: AwsSecurityFinding): FindingSigmaAttribution | undefined {
  const fields = finding.ProductFields ?? {};
  const link = fields[SIGMA_PRODUCT_FIELD.link];
  if (link === undefined) return undefined;
  return { ruleId: fields[PRODUCT_FIELD.ruleId] ?? '', author: fields[SIGMA_PRODUCT_FIELD.author], link };
}

/**
 * Lines under a table of findings or rules that name each Sigma rule's author and link, once per rule: the
 * Detection Rule License 1.1 asks that reported matches keep the author. Escaped for the terminal (the text
 * comes from rule files).
 */
export function sigmaAttributionLines(attributions: Iterable<FindingSigmaAttribution>): string[] {
  const byRule = new Map<string, FindingSigmaAttribution>();
  for (const attribution of attributions) if (!byRule.has(attribution.ruleId)) byRule.set(attribution.ruleId, attribution);
  if (byRule.size === 0) return [];
  const lines = ['Sigma rules (Detection Rule License 1.1):'];
  for (const { ruleId, author, link } of [...byRule.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))) {
    const by = author === undefined ? 'author not named' : `by ${author}`;
    lines.push(`  ${escapeText(singleLine(`${ruleId} ${by}, ${link}`))}`);
  }
  return lines;
}
