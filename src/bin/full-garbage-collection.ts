import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full, synchronous garbage collection of this thread's heap, for a process that knows a phase of
 * its work has just ended: the audit calls it once every record has been read and the dedupe tables
 * are dropped, before it builds the findings.
 *
 * Why: what evaluation left behind (the dedupe tables, file buffers V8 promoted before they died) is
 * freed only by a full collection, and none comes on its own before the findings phase has grown the
 * heap on top of it. On the 2 GB benchmark, three alternating pairs peaked at 275–296 MB with it and
 * 298–331 MB without, at the same CPU; it takes 70–90 ms there.
 *
 * Node has no API for it without `--expose-gc` on the command line; the flag is set only long enough
 * to take V8's `gc` function from a new context, then cleared, so that no global `gc` appears in
 * contexts or worker threads made later.
 */
export function collectGarbageFully(): void {
  collect ??= exposedGc() ?? ((): void => undefined);
  collect();
}

/** V8's `gc`, or undefined where this Node will not give it: a collection only lowers the peak, so a run goes on without one. */
function exposedGc(): (() => void) | undefined {
  setFlagsFromString('--expose-gc');
  try {
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
