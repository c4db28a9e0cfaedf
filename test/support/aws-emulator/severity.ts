/** Security Hub's two severity scales and how it converts between them. */

/** Severity.Normalized ranges: 0 informational, 1–39 low, 40–69 medium, 70–89 high, 90–100 critical. */
export function labelForNormalized(normalized: unknown): string {
  if (typeof normalized !== 'number' || normalized <= 0) return 'INFORMATIONAL';
  if (normalized < 40) return 'LOW';
  if (normalized < 70) return 'MEDIUM';
  if (normalized < 90) return 'HIGH';
  return 'CRITICAL';
}

const NORMALIZED_FOR_LABEL: ReadonlyMap<string, number> = new Map([
  ['INFORMATIONAL', 0],
  ['LOW', 1],
  ['MEDIUM', 40],
  ['HIGH', 70],
  ['CRITICAL', 90],
]);

export function normalizedForLabel(label: string): number {
  return NORMALIZED_FOR_LABEL.get(label) ?? 0;
}
