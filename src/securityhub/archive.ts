import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { laterThan } from '../merge/merge-findings.js';

/**
 * The fields lfvaudit writes as the provider (src/findings/asff-finding.ts). An archiving import sends
 * these and nothing else: not the reviewer's Workflow or Note, which Security Hub keeps anyway, and not
 * what Security Hub fills in itself (Region, ProductName, ProcessedAt, `aws/` ProductFields).
 */
const PROVIDER_FIELDS = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'CreatedAt',
  'FirstObservedAt',
  'LastObservedAt',
  'FindingProviderFields',
  'Title',
  'Description',
  'Remediation',
  'Resources',
  'Action',
  'Compliance',
] as const satisfies readonly (keyof AwsSecurityFinding)[];

/**
 * A stored finding as an import that archives it: Security Hub changes RecordState only through
 * BatchImportFindings, and only for an UpdatedAt later than the stored one. Severity and Types are the
 * provider's (FindingProviderFields), so a reviewer's change to them is neither sent nor undone.
 */
export function archivedCopyOf(stored: AwsSecurityFinding, now: Date): AwsSecurityFinding {
  const copy: Record<string, unknown> = {};
  for (const field of PROVIDER_FIELDS) if (stored[field] !== undefined) copy[field] = stored[field];
  const provider = stored.FindingProviderFields;
  const productFields = Object.fromEntries(Object.entries(stored.ProductFields ?? {}).filter(([key]) => !key.startsWith('aws/')));
  return {
    ...(copy as unknown as AwsSecurityFinding),
    ...(provider?.Severity?.Label === undefined ? {} : { Severity: { Label: provider.Severity.Label } }),
    ...(provider?.Types === undefined ? {} : { Types: provider.Types }),
    ProductFields: productFields,
    UpdatedAt: laterThan(stored.UpdatedAt, now),
    RecordState: 'ARCHIVED',
  };
}
