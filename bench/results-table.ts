/** Distinct events each rule matched, by eventName: what the rows that run the mission rules compare. */
export type MatchesByRule = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** One row of the benchmark's table: a variant on a data set, measured as a whole process several times. */
export interface BenchRow {
  readonly set: string;
  readonly key: string;
  readonly label: string;
  readonly status: 'ok' | 'failed' | 'timed out' | 'unavailable';
  readonly events?: number;
  /** Median wall-clock seconds of the whole process, startup included. */
  readonly seconds?: number;
  /** Every run's wall-clock seconds, in the order they ran. */
  readonly runSeconds?: readonly number[];
  readonly eventsPerSecond?: number;
  readonly cpuSeconds?: number;
  /** Median peak RSS over the runs, and the highest, in MB (summed over the row's node processes). */
  readonly peakRssMb?: number;
  readonly maxPeakRssMb?: number;
  readonly ratioToFloor?: number;
  /** Rule matches (event × rule) the row reported, where it reports them. */
  readonly matches?: number;
  readonly matchesByRule?: MatchesByRule;
  readonly note: string;
}

/** Events/s relative to the parse floor of the same data set. */
export function withFloorRatios(rows: readonly BenchRow[], floorKey: string): BenchRow[] {
  return rows.map((row) => {
    const floor = rows.find((candidate) => candidate.set === row.set && candidate.key === floorKey);
    if (row.status !== 'ok' || row.eventsPerSecond === undefined || floor?.status !== 'ok' || floor.eventsPerSecond === undefined) return row;
    return { ...row, ratioToFloor: row.eventsPerSecond / floor.eventsPerSecond };
  });
}

const COLUMNS: readonly { readonly title: string; readonly cell: (row: BenchRow) => string; readonly left?: boolean }[] = [
  { title: 'data set', cell: (row) => row.set, left: true },
  { title: 'row', cell: (row) => row.label, left: true },
  { title: 'events', cell: (row) => integer(row.events) },
  { title: 'median s', cell: (row) => fixed(row.seconds, 2) },
  { title: 'events/s', cell: (row) => integer(row.eventsPerSecond) },
  { title: '× floor', cell: (row) => (row.ratioToFloor === undefined ? '—' : `${row.ratioToFloor.toFixed(2)}×`) },
  { title: 'CPU s', cell: (row) => fixed(row.cpuSeconds, 2) },
  { title: 'peak RSS MB', cell: (row) => fixed(row.peakRssMb, 0) },
  { title: 'matches', cell: (row) => integer(row.matches) },
  { title: 'note', cell: (row) => (row.status === 'ok' ? row.note : `${row.status.toUpperCase()}: ${row.note}`), left: true },
];

/** A plain-text table, columns padded to their widest cell; also valid Markdown-free text for a terminal or a doc. */
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
