import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AuditSummary } from './audit-summary.js';
import { severityLabelOf } from '../findings/asff-finding.js';
import { ELLIPSIS, singleLine, wrapText } from '../shared/fit-text.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';
import { principalShortName } from '../records/principal.js';
import type { FindingSink } from './finding-sink.js';
import { findingsJsonText } from './findings-json-text.js';
import { incompleteHeadline } from './incomplete-text.js';
import { renderSummary } from './summary-text.js';
import { sigmaAttributionLines, sigmaAttributionOf, type FindingSigmaAttribution } from '../findings/sigma-attribution.js';
import { renderTable, tableFits, type TableColumn } from '../shared/text-table.js';
import { escapeText } from '../shared/terminal-text.js';

export interface StdoutTableSinkOptions {
  /** Where the text goes: the process's stdout in the CLI, a buffer in tests. */
  readonly out: { write(text: string): unknown };
  /** `table` for people; `json` writes `{"Findings": [...], "Summary": {...}}` for scripts. */
  readonly format?: 'table' | 'json';
  /** Width the table must fit in. */
  readonly columns: number;
  /** ANSI colours for severities: only when the caller knows the output is a terminal. */
  readonly color: boolean;
}

/** Findings as a table and the run summary, for a person at a terminal (or JSON for a script). */
export class StdoutTableSink implements FindingSink {
  readonly description = 'stdout';
  readonly #options: StdoutTableSinkOptions;

  constructor(options: StdoutTableSinkOptions) {
    this.#options = options;
  }

  write(findings: Iterable<AwsSecurityFinding>, summary: AuditSummary): Promise<void> {
    const { out } = this.#options;
    if (this.#options.format === 'json') {
      // In pieces, as the findings are built: a large run's JSON never exists as one string.
      const incomplete = incompleteHeadline(summary);
      for (const piece of findingsJsonText(findings, { ...(incomplete === undefined ? {} : { Incomplete: incomplete }), Summary: summary })) out.write(piece);
      return Promise.resolve();
    }
    // Only the cells (and the Sigma rules' attributions) are kept, not the findings they come from.
    const attributions: FindingSigmaAttribution[] = [];
    const rows = Array.from(findings, (finding) => {
      const attribution = sigmaAttributionOf(finding);
      if (attribution !== undefined) attributions.push(attribution);
      return findingRow(finding);
    });
    const columns = this.#findingColumns();
    // An incomplete run headlines what is missing, never "No findings.": its silence is not an all-clear.
    const incomplete = incompleteHeadline(summary);
    const table =
      rows.length === 0 ? [] : tableFits(columns, rows, this.#options.columns) ? renderTable(columns, rows, this.#options.columns) : this.#findingBlocks(rows);
    const headline =
      incomplete === undefined
        ? rows.length === 0
          ? ['No findings.']
          : []
        : [...wrapText(incomplete, this.#options.columns), ...(rows.length === 0 ? [] : [''])];
    const attributionLines = sigmaAttributionLines(attributions);
    out.write(`${[...headline, ...table, '', ...(attributionLines.length === 0 ? [] : [...attributionLines, '']), ...renderSummary(summary)].join('\n')}\n`);
    return Promise.resolve();
  }

  /**
   * Each finding as a block when the table would have to cut cells (a narrow terminal, long titles):
   * `SEVERITY  rule-id  N events, last seen …` and the title below it, wrapped; nothing is cut.
   */
  #findingBlocks(rows: readonly string[][]): string[] {
    const width = this.#options.columns;
    const lines: string[] = [];
    for (const [severity = '', ruleId = '', , , events = '', lastSeen = '', title = ''] of rows) {
      const cell = (text: string): string => escapeText(singleLine(text));
      const count = `${events} event${events === '1' ? '' : 's'}${lastSeen === '' ? '' : `, last seen ${lastSeen}`}`;
      const head = wrapText(`${severity.padEnd(8)}  ${cell(ruleId)}  ${count}`, width);
      const [first = '', ...more] = head;
      lines.push(this.#options.color ? first.replace(severity, paintSeverity(severity, severity)) : first, ...more);
      lines.push(...wrapText(cell(title), width - 2).map((line) => `  ${line}`));
    }
    return lines;
  }

  #findingColumns(): TableColumn[] {
    const paint = this.#options.color ? paintSeverity : undefined;
    return [
      { header: 'SEVERITY', minWidth: 8, ...(paint === undefined ? {} : { paint }) },
      { header: 'RULE', minWidth: 8 },
      { header: 'PRINCIPAL', minWidth: 10 },
      { header: 'PROJECT', minWidth: 7 },
      { header: 'EVENTS', minWidth: 6, align: 'right' },
      { header: 'LAST SEEN', minWidth: 16 },
      // The title repeats rule, principal and project in words: it yields its width first.
      { header: 'TITLE', minWidth: 12, flexible: true },
    ];
  }
}

function findingRow(finding: AwsSecurityFinding): string[] {
  const fields = finding.ProductFields ?? {};
  return [
    severityLabelOf(finding) ?? '',
    fields[PRODUCT_FIELD.ruleId] ?? '',
    principalCell(fields[PRODUCT_FIELD.principals]),
    fields[PRODUCT_FIELD.projects] ?? '',
    fields[PRODUCT_FIELD.eventCount] ?? '',
    finding.LastObservedAt === undefined ? '' : lastSeenCell(finding.LastObservedAt),
    finding.Title ?? '',
  ];
}

/** The one principal, short (`assumed-role/Admin/MyUser`), or the first and how many more (`user/alice +2`). */
function principalCell(principalsJson: string | undefined): string {
  if (principalsJson === undefined) return '';
  let principals: unknown;
  try {
    principals = JSON.parse(principalsJson);
  } catch {
    return principalsJson;
  }
  if (!Array.isArray(principals) || typeof principals[0] !== 'string') return '';
  const first = principalShortName(principals[0]);
  if (principals.includes(ELLIPSIS)) return `${first} and more`;
  return principals.length === 1 ? first : `${first} +${principals.length - 1}`;
}

/** `2021-03-02 09:20` (UTC): minutes are enough to find the events in CloudTrail. */
function lastSeenCell(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

const SEVERITY_COLOURS: Readonly<Record<string, string>> = {
  CRITICAL: '\u001b[1;31m',
  HIGH: '\u001b[31m',
  MEDIUM: '\u001b[33m',
  LOW: '\u001b[36m',
  INFORMATIONAL: '\u001b[2m',
};

function paintSeverity(cell: string, label: string): string {
  return Object.hasOwn(SEVERITY_COLOURS, label) ? `${SEVERITY_COLOURS[label]}${cell}\u001b[0m` : cell;
}
