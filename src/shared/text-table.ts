import { ELLIPSIS, singleLine } from './fit-text.js';
import { escapeText } from './terminal-text.js';

export interface TableColumn {
  readonly header: string;
  /** Narrowest the column may get when the table must shrink to fit. */
  readonly minWidth: number;
  readonly align?: 'left' | 'right';
  /** Gives up its width first when the table must shrink (free text, next to identifiers worth keeping whole). */
  readonly flexible?: boolean;
  /** Paints an already padded cell (colour); must not change its visible width. */
  readonly paint?: (cell: string, value: string) => string;
}

const GAP = '  ';

/**
 * The width a table may take on `out`: the terminal's width, or in a pipe whole lines, so that grep
 * and a log file see every cell in full.
 */
export function tableWidthOf(out: { readonly isTTY?: boolean; readonly columns?: number }): number {
  return out.isTTY === true ? (out.columns ?? 120) : Number.POSITIVE_INFINITY;
}

/**
 * Lines of a plain-text table no wider than `width` characters: each column takes its widest cell;
 * while the table is too wide, flexible columns shrink first, then the widest column that can still
 * shrink gives up a character at a time.
 * Cells that do not fit end in `…`. Width is counted in code points: wide (CJK) characters count as
 * one, which is off for them but right for everything CloudTrail names. Cells hold event data: each is
 * made one line (control characters and line breaks become spaces) and what else could reorder or
 * drive the terminal (bidi controls) is escaped.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], width: number): string[] {
  const cellsOf = (row: readonly string[]): string[] => columns.map((_, index) => escapeText(singleLine(row[index] ?? '')));
  const body = rows.map(cellsOf);
  const widths = columns.map((column, index) => Math.max(length(column.header), ...body.map((cells) => length(cells[index] ?? ''))));
  const available = width - GAP.length * (columns.length - 1);
  let total = widths.reduce((sum, w) => sum + w, 0);
  while (total > available) {
    const widest = widestShrinkable(widths, columns);
    if (widest === undefined) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total -= 1;
  }
  const line = (cells: readonly string[], paint: boolean): string =>
    columns
      .map((column, index) => {
        const value = cells[index] ?? '';
        const cell = fit(value, widths[index] ?? 0, column.align ?? 'left');
        return paint && column.paint !== undefined ? column.paint(cell, value) : cell;
      })
      .join(GAP)
      .trimEnd();
  return [
    line(
      columns.map((column) => column.header),
      false,
    ),
    ...body.map((cells) => line(cells, true)),
  ];
}

/** Whether the table fits in `width` with every cell whole: callers choose another layout when it does not. */
export function tableFits(columns: readonly TableColumn[], rows: readonly (readonly string[])[], width: number): boolean {
  const widths = columns.map((column, index) => Math.max(length(column.header), ...rows.map((row) => length(escapeText(singleLine(row[index] ?? ''))))));
  return widths.reduce((sum, w) => sum + w, 0) + GAP.length * (columns.length - 1) <= width;
}

/** `text` padded or cut (with `…`) to exactly `width` code points. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const points = [...text];
  if (points.length > width)
    return width <= 0
      ? ''
      : fit(
          points
            .slice(0, width - 1)
            .join('')
            .trimEnd() + ELLIPSIS,
          width,
          align,
        );
  const padding = ' '.repeat(width - points.length);
  return align === 'right' ? padding + text : text + padding;
}

function length(text: string): number {
  return [...text].length;
}

function widestShrinkable(widths: readonly number[], columns: readonly TableColumn[]): number | undefined {
  let widest: number | undefined;
  widths.forEach((w, index) => {
    if (w <= (columns[index]?.minWidth ?? 0)) return;
    if (widest === undefined || shrinksBefore(index, widest)) widest = index;
  });
  return widest;

  function shrinksBefore(index: number, other: number): boolean {
    const flexible = columns[index]?.flexible === true;
    const otherFlexible = columns[other]?.flexible === true;
    if (flexible !== otherFlexible) return flexible;
    return (widths[index] ?? 0) > (widths[other] ?? 0);
  }
}
