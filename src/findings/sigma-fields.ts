import type { SigmaAttribution } from '../ruleset/rule.js';
import { ASFF_LIMITS } from './asff-limits.js';
import { ELLIPSIS, singleLine, truncateText } from '../shared/fit-text.js';

/** The ProductFields keys of a finding from a Sigma rule. */
export const SIGMA_PRODUCT_FIELD = {
  author: 'lfvaudit/SigmaAuthor',
  link: 'lfvaudit/SigmaRule',
  references: 'lfvaudit/SigmaReferences',
  falsePositives: 'lfvaudit/SigmaFalsePositives',
  tags: 'lfvaudit/SigmaTags',
  license: 'lfvaudit/SigmaLicense',
} as const;

/** The licence of SigmaHQ's rules, which asks that reported matches keep the rule's author. */
export const DETECTION_RULE_LICENSE = 'Detection Rule License 1.1 https://github.com/SigmaHQ/Detection-Rule-License';

/**
 * What a finding from a Sigma rule carries of it: the author and the rule's SigmaHQ link (the Detection
 * Rule License 1.1 asks that matches keep the author), references (space-separated URLs), false positives
 * (JSON list) and tags (comma-separated). Each value fits ASFF's 2048 characters, ending with `…` when cut.
 */
export function sigmaFieldsOf(sigma: SigmaAttribution | undefined): Record<string, string> {
  if (sigma === undefined) return {};
  const fields: Record<string, string> = {};
  const set = (key: string, value: string): void => {
    if (value.trim() !== '') fields[key] = truncateText(value, ASFF_LIMITS.productFields.valueLength);
  };
  set(SIGMA_PRODUCT_FIELD.author, singleLine(sigma.author ?? ''));
  set(SIGMA_PRODUCT_FIELD.link, sigma.link);
  set(SIGMA_PRODUCT_FIELD.license, DETECTION_RULE_LICENSE);
  set(SIGMA_PRODUCT_FIELD.references, sigma.references.map(singleLine).join(' '));
  set(SIGMA_PRODUCT_FIELD.falsePositives, fittedJsonList(sigma.falsePositives.map(singleLine)));
  set(SIGMA_PRODUCT_FIELD.tags, sigma.tags.map(singleLine).join(','));
  return fields;
}

/** `["a","b"]`, with whole items dropped and `…` last when it would not fit. */
function fittedJsonList(items: readonly string[]): string {
  if (items.length === 0) return '';
  for (let count = items.length; count >= 0; count -= 1) {
    const text = JSON.stringify(count === items.length ? items : [...items.slice(0, count), ELLIPSIS]);
    if (text.length <= ASFF_LIMITS.productFields.valueLength) return text;
  }
  return ELLIPSIS;
}
