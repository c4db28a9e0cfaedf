import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/** BatchImportFindings takes 1–100 findings and at most 6 MB a call (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html). */
export const IMPORT_LIMITS = { findings: 100, bytes: 6 * 1024 * 1024 } as const;

/** `{"Findings":[` and `]}` around the findings, which are separated by commas. */
const ENVELOPE_BYTES = '{"Findings":[]}'.length;

/**
 * The findings in order, cut into consecutive batches of at most `findings` findings whose request
 * body stays within `bytes`. A single finding larger than that gets a batch of its own (and Security
 * Hub's answer), rather than being dropped here.
 */
export function importBatches(
  findings: readonly AwsSecurityFinding[],
  limits: { readonly findings: number; readonly bytes: number } = IMPORT_LIMITS,
): AwsSecurityFinding[][] {
  const batches: AwsSecurityFinding[][] = [];
  let batch: AwsSecurityFinding[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding), 'utf8');
    const added = size + (batch.length === 0 ? 0 : 1);
    if (batch.length > 0 && (batch.length >= limits.findings || bytes + added > limits.bytes)) {
      batches.push(batch);
      batch = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += size + (batch.length === 0 ? 0 : 1);
    batch.push(finding);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
