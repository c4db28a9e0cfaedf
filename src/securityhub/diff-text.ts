import type { FindingsDiff, Transition } from '../merge/diff.js';
import type { ProductScope } from './scope.js';
import { renderTable, type TableColumn } from '../shared/text-table.js';

const ARROW = '→';

export interface DiffRenderOptions {
  /** `table` for people, `json` for scripts. */
  readonly format: 'table' | 'json';
  /** Width the table must fit in. */
  readonly columns: number;
  readonly scope: ProductScope;
}

/**
 * What a dry run would do to Security Hub, as text: a line of totals (would create N, update M, archive
 * K; L unchanged), then one row per finding that would change, with its event count, last seen time
 * and severity before → after. JSON gives the same, with the changed fields of each update.
 */
export function renderFindingsDiff(diff: FindingsDiff, options: DiffRenderOptions): string {
  const changes = [
    ...diff.create.map((change) => ({ action: 'create', change })),
    ...diff.update.map((change) => ({ action: 'update', change })),
    ...diff.archive.map((change) => ({ action: 'archive', change })),
  ];
  if (options.format === 'json') {
    return `${JSON.stringify(
      {
        SecurityHub: {
          region: options.scope.region,
          accountId: options.scope.accountId,
          dryRun: true,
          create: diff.create.length,
          update: diff.update.length,
          archive: diff.archive.length,
          unchanged: diff.unchanged.length,
          changes: changes.map(({ action, change }) => ({ action, ...change })),
        },
      },
      null,
      2,
    )}\n`;
  }
  const totals = `Security Hub ${options.scope.region} (account ${options.scope.accountId}), dry run: would create ${diff.create.length}, update ${diff.update.length}, archive ${diff.archive.length}; ${diff.unchanged.length} unchanged.`;
  if (changes.length === 0) return `${totals}\n`;
  const columns: TableColumn[] = [
    { header: 'ACTION', minWidth: 6 },
    { header: 'SEVERITY', minWidth: 8 },
    { header: 'RULE', minWidth: 8 },
    { header: 'EVENTS', minWidth: 6, align: 'right' },
    { header: 'LAST SEEN', minWidth: 16 },
    { header: 'TITLE', minWidth: 12, flexible: true },
  ];
  const rows = changes.map(({ action, change }) => [
    action,
    transitionText(change.severity, String),
    change.ruleId,
    transitionText(change.eventCount, String),
    transitionText(change.lastSeen, minutes),
    change.title,
  ]);
  return `${[totals, '', ...renderTable(columns, rows, options.columns)].join('\n')}\n`;
}

/** `4`, or `4 → 6` when it changes. */
function transitionText<T>(transition: Transition<T>, show: (value: T) => string): string {
  const after = transition.after === undefined ? '' : show(transition.after);
  if (transition.before === undefined) return after;
  const before = show(transition.before);
  return before === after ? after : `${before} ${ARROW} ${after}`;
}

/** `2021-03-02 09:20` (UTC). */
function minutes(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}
