import type { BenchRow } from './results-table.js';

/**
 * One row for a variant measured several times: the run whose peak RSS is the median (the lower middle
 * one for an even count), its note telling the spread of the peaks and how many stayed under
 * `limitMb`. Peak RSS moves by tens of MB between runs of the same build (where V8's collections fall,
 * how the C allocator's heap fragments), so one run cannot say whether a memory target holds.
 */
export function medianPeakRow(runs: readonly BenchRow[], limitMb: number): BenchRow {
  const measured = runs.filter((row): row is BenchRow & { readonly peakRssMb: number } => row.status === 'ok' && row.peakRssMb !== undefined);
  const failed = runs.find((row) => row.status !== 'ok');
  if (failed !== undefined || measured.length === 0) return failed ?? runs[0] ?? missingRow();
  if (measured.length === 1) return measured[0] as BenchRow;
  const byPeak = [...measured].sort((a, b) => a.peakRssMb - b.peakRssMb);
  const median = byPeak[Math.floor((byPeak.length - 1) / 2)] as BenchRow & { readonly peakRssMb: number };
  const peaks = byPeak.map((row) => Math.round(row.peakRssMb));
  const under = byPeak.filter((row) => row.peakRssMb < limitMb).length;
  const spread = `peak RSS over ${byPeak.length} runs: ${peaks.join(', ')} MB, ${under} under ${limitMb}; this row is the median run`;
  return { ...median, note: median.note === '' ? spread : `${median.note}; ${spread}` };
}

function missingRow(): never {
  throw new Error('bug: a repeated row without runs');
}
