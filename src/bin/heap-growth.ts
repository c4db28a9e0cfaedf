import { setFlagsFromString } from 'node:v8';

/** How far past what a full collection kept V8 may let the heap grow before the next one. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Caps V8's heap growth between full collections at {@link HEAP_GROWING_PERCENT} %, for this process.
 *
 * Why: an audit's garbage is cheap to collect beside its work, so V8 grows the heap by up to 4× what the
 * last full collection kept. On the 2 GB benchmark that meant no full collection for the last 19 s of a
 * 27 s evaluation, while promoted garbage piled up to a third of the heap, and the peak depended on where
 * that collection fell: 244–307 MB over 12 runs. Capped at 50 %, 246–269 MB over 22 runs, for 2–5 %
 * more CPU.
 *
 * V8 reads the flag whenever it sets the next limit, so setting it before the audit is enough. It is
 * the CLI's to set (`lfvaudit run` on one thread), not the library's: it holds for every isolate of the
 * process, worker threads included, and two workers paid about 7 % of their wall time for it.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
