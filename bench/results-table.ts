/** One line of the benchmark's table: a variant measured as a whole process. */
export interface BenchRow {
  readonly key: string;
  readonly label: string;
  readonly status: 'ok' | 'failed' | 'timed out';
  readonly events?: number;
  /** Wall-clock seconds of the whole process, startup included. */
  readonly seconds?: number;
  readonly eventsPerSecond?: number;
  readonly cpuSeconds?: number;
  readonly peakRssMb?: number;
  readonly ratioToFloor?: number;
  readonly ratioToPlainLoop?: number;
  readonly note: string;
  /** What the process itself reported (its JSON line, or lfvaudit's run log line). */
  readonly reported?: Readonly<Record<string, unknown>>;
}

/** Events/s relative to the parse-only floor and to the plain json-rules-engine loop, where both were measured. */
export function withRatios(rows: readonly BenchRow[], floorKey: string, plainLoopKey: string): BenchRow[] {
  const speedOf = (key: string): number | undefined => {
    const row = rows.find((candidate) => candidate.key === key);
    return row?.status === 'ok' ? row.eventsPerSecond : undefined;
  };
  const floor = speedOf(floorKey);
  const plainLoop = speedOf(plainLoopKey);
  return rows.map((row) => {
    if (row.status !== 'ok' || row.eventsPerSecond === undefined) return row;
    return {
      ...row,
      ...(floor === undefined ? {} : { ratioToFloor: row.eventsPerSecond / floor }),
      ...(plainLoop === undefined ? {} : { ratioToPlainLoop: row.eventsPerSecond / plainLoop }),
    };
  });
}

const COLUMNS: readonly { readonly title: string; readonly cell: (row: BenchRow) => string; readonly left?: boolean }[] = [
  { title: 'variant', cell: (row) => row.label, left: true },
  { title: 'events', cell: (row) => integer(row.events) },
  { title: 'seconds', cell: (row) => fixed(row.seconds, 2) },
  { title: 'events/s', cell: (row) => integer(row.eventsPerSecond) },
  { title: 'CPU s', cell: (row) => fixed(row.cpuSeconds, 2) },
  { title: 'peak RSS MB', cell: (row) => fixed(row.peakRssMb, 0) },
  { title: '× floor', cell: (row) => ratio(row.ratioToFloor, 2) },
  { title: '× plain loop', cell: (row) => ratio(row.ratioToPlainLoop, 1) },
  { title: 'note', cell: (row) => (row.status === 'ok' ? row.note : `${row.status.toUpperCase()}: ${row.note}`), left: true },
];

export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => COLUMNS.map((column) => column.cell(row)));
  const widths = COLUMNS.map((column, index) => Math.max(column.title.length, ...cells.map((line) => (line[index] ?? '').length)));
  const render = (line: readonly string[]): string =>
    COLUMNS.map((column, index) => {
      const text = line[index] ?? '';
      const width = widths[index] ?? 0;
      return column.left === true ? text.padEnd(width) : text.padStart(width);
    })
      .join('  ')
      .trimEnd();
  const header = render(COLUMNS.map((column) => column.title));
  return [header, '-'.repeat(header.length), ...cells.map(render)].join('\n');
}

function integer(value: number | undefined): string {
  return value === undefined ? '—' : Math.round(value).toLocaleString('en-US');
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '—' : value.toFixed(digits);
}

function ratio(value: number | undefined, digits: number): string {
  return value === undefined ? '—' : `${value.toFixed(digits)}×`;
}
