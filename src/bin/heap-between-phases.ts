import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How much V8 lets the old generation grow past what survived the last full collection, once
 * evaluation is over. Its own choice (1.1× to 4×, by its speed) let the findings phase of the 2 GB
 * benchmark grow the heap from 81 to 120–129 MB, without a full collection, with snapshots of busy
 * groups that young collections had promoted; at 20 % it stays near 100 MB, for no CPU we could measure
 * (the phase's live data is the groups, which only shrink in use).
 */
const FINDINGS_PHASE_HEAP_GROWTH_PERCENT = 20;

let collect: (() => void) | undefined;

/**
 * Readies this thread's heap for the findings phase, for a process that knows evaluation has just
 * ended (the audit calls it once every record has been read and the dedupe tables are dropped): a
 * full, synchronous garbage collection, after which the old generation may grow by
 * {@link FINDINGS_PHASE_HEAP_GROWTH_PERCENT} before the next.
 *
 * Why the collection: what evaluation left behind (the dedupe tables, file buffers V8 promoted before
 * they died) is freed only by a full collection, and none comes on its own before the findings phase
 * has grown the heap on top of it. 2 GB benchmark: peak RSS 320–358 → 302–325 MB (three runs each),
 * for about 90 ms.
 *
 * Node has no API for a collection without `--expose-gc` on the command line; the flag is set only
 * long enough to take V8's `gc` function from a new context, then cleared, so that no global `gc`
 * appears in contexts or worker threads made later. V8 reads its heap-growth flag each time it sets a
 * limit, so setting it here, before the collection, applies from this collection on.
 */
export function settleHeapForFindings(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    try {
      collect = runInNewContext('gc') as () => void;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  setFlagsFromString(`--heap-growing-percent=${FINDINGS_PHASE_HEAP_GROWTH_PERCENT}`);
  collect();
}
