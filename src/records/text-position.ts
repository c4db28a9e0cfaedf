/** A 1-based line and column; columns count UTF-16 code units, as JSON.parse positions do. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** The line and column of `offset` (0-based) in `text`. An offset at the end of the text is allowed. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line += 1;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
