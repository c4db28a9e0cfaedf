import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { severityLabelOf } from '../findings/asff-finding.js';
import { jsonList } from '../merge/read.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';
import { principalShortName } from '../records/principal.js';
import { renderTable, type TableColumn } from '../shared/text-table.js';

/**
 * `lfvaudit findings list` as a table: severity (as the reviewer sees it, which may differ from
 * lfvaudit's), rule, title, principal, event count, last seen, workflow status, and the record state
 * when archived findings are listed too.
 */
export function renderFindingsTable(
  findings: readonly AwsSecurityFinding[],
  options: { readonly columns: number; readonly withRecordState: boolean },
): string[] {
  const columns: TableColumn[] = [
    { header: 'SEVERITY', minWidth: 8 },
    { header: 'RULE', minWidth: 8 },
    { header: 'TITLE', minWidth: 12, flexible: true },
    { header: 'PRINCIPAL', minWidth: 10 },
    { header: 'EVENTS', minWidth: 6, align: 'right' },
    { header: 'LAST SEEN', minWidth: 16 },
    { header: 'WORKFLOW', minWidth: 8 },
    ...(options.withRecordState ? [{ header: 'STATE', minWidth: 6 }] : []),
  ];
  const rows = findings.map((finding) => {
    const fields = finding.ProductFields ?? {};
    return [
      finding.Severity?.Label ?? severityLabelOf(finding) ?? '',
      fields[PRODUCT_FIELD.ruleId] ?? '',
      finding.Title ?? '',
      principalCell(fields[PRODUCT_FIELD.principals]),
      fields[PRODUCT_FIELD.eventCount] ?? '',
      finding.LastObservedAt === undefined ? '' : minutes(finding.LastObservedAt),
      finding.Workflow?.Status ?? '',
      ...(options.withRecordState ? [finding.RecordState ?? ''] : []),
    ];
  });
  return renderTable(columns, rows, options.columns);
}

/** The one principal, short (`assumed-role/Admin/MyUser`), or the first and how many more. */
function principalCell(text: string | undefined): string {
  const principals = jsonList(text);
  const [first] = principals.values;
  if (first === undefined) return '';
  const short = principalShortName(first);
  if (principals.more) return `${short} and more`;
  return principals.values.length === 1 ? short : `${short} +${principals.values.length - 1}`;
}

/** `2021-03-02 09:20` (UTC). */
function minutes(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}
