import { Worker } from 'node:worker_threads';
import { addSuppressedCounts, type EvaluationCounts, type SuppressedCount } from './audit-evaluation.js';
import { DIGEST_BYTES, type AuditWorkerSetup, type FromWorker, type ToWorker, type WorkerItem } from './audit-worker-protocol.js';
import type { FindingGroup } from './evaluate/finding-group.js';
import { joinRunGroups } from './evaluate/finding-group-join.js';
import type { SourceItem } from './sources/event-source.js';
import type { FileInput, FileSourceOptions } from './sources/file-source.js';

/** An input of a parallel audit, in the sources' read order: a file for a worker, or an item that needs no reading. */
export type ParallelInput = (FileInput & { readonly readOptions: FileSourceOptions }) | Exclude<SourceItem, { kind: 'records' }>;

export interface ParallelEvaluationOptions {
  readonly inputs: readonly ParallelInput[];
  readonly workers: number;
  readonly setup: AuditWorkerSetup;
  /**
   * Called for every item in the sources' read order, exactly as a sequential audit meets them. For
   * a records item, `digests` holds its records' identity digests and the answer says which records
   * are first deliveries (the run-wide dedupe stays in one place, in order, so it is exact for any N).
   */
  readonly onItem: (item: WorkerItem, digests: Uint8Array | undefined) => Uint8Array | undefined;
  /** After a file's kept records are evaluated, with that file's matches. */
  readonly onEvaluated?: (origin: string, matches: number) => void;
  readonly signal?: AbortSignal;
}

export interface ParallelEvaluation {
  readonly counts: EvaluationCounts;
  readonly suppressed: readonly SuppressedCount[];
  /** Ordered by canonical key, as FindingGroupBuilder.groups() gives them. */
  readonly groups: readonly FindingGroup[];
}

/** Files handed to a worker before it finished the previous ones: it reads the next while waiting for keep flags. */
const FILES_IN_FLIGHT_PER_WORKER = 2;

/**
 * Reads and evaluates the inputs on `workers` worker threads, each taking whole files: a worker reads
 * and parses a file, sends its records' digests, gets back which records to keep, evaluates and groups
 * those. The main thread answers files strictly in input order, so duplicates across files are dropped
 * exactly as a sequential run drops them. At the end the workers' groups are joined (commutative and
 * associative, src/evaluate/finding-group-join.ts): findings and counts do not depend on N.
 */
export async function evaluateInParallel(options: ParallelEvaluationOptions): Promise<ParallelEvaluation> {
  const workerUrl = new URL('./audit-worker.js', import.meta.url);
  const workers = Array.from({ length: options.workers }, () => new Worker(workerUrl, { workerData: options.setup }));
  const inFlight = workers.map(() => 0);
  const owner = new Map<number, number>();
  const reads = new Map<number, Extract<FromWorker, { type: 'read' }>>();
  const counts: EvaluationCounts = { outsideWindow: 0, undatedRecords: 0, recordsEvaluated: 0, matches: 0 };
  const suppressed = new Map<number, SuppressedCount>();
  const groups = new Map<string, FindingGroup>();
  let nextToAnswer = 0;
  let nextToHand = 0;
  let results = 0;
  let finished = false;
  let abort: (() => void) | undefined;

  try {
    await new Promise<void>((resolve, reject) => {
      abort = (): void => reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error('the audit was cancelled'));
      if (options.signal?.aborted === true) return abort();
      options.signal?.addEventListener('abort', abort, { once: true });

      const send = (worker: number, message: ToWorker, transfer: ArrayBuffer[] = []): void => workers[worker]?.postMessage(message, transfer);
      const handOut = (): void => {
        for (;;) {
          // Items that need no reading are answered in order as soon as their turn comes.
          while (nextToHand < options.inputs.length && options.inputs[nextToHand]?.kind !== 'file') nextToHand += 1;
          if (nextToHand >= options.inputs.length) break;
          const worker = inFlight.indexOf(Math.min(...inFlight));
          if ((inFlight[worker] ?? 0) >= FILES_IN_FLIGHT_PER_WORKER) break;
          const input = options.inputs[nextToHand] as FileInput & { readonly readOptions: FileSourceOptions };
          owner.set(nextToHand, worker);
          inFlight[worker] = (inFlight[worker] ?? 0) + 1;
          send(worker, { type: 'file', index: nextToHand, path: input.path, readOptions: input.readOptions });
          nextToHand += 1;
        }
      };
      const answerInOrder = (): void => {
        while (nextToAnswer < options.inputs.length) {
          const input = options.inputs[nextToAnswer];
          if (input === undefined) break;
          if (input.kind !== 'file') {
            options.onItem(input, undefined);
          } else {
            const read = reads.get(nextToAnswer);
            if (read === undefined) break;
            reads.delete(nextToAnswer);
            const keep = new Uint8Array(read.digests.length / DIGEST_BYTES);
            let offset = 0;
            for (const item of read.items) {
              if (item.kind !== 'records') {
                options.onItem(item, undefined);
                continue;
              }
              keep.set(options.onItem(item, read.digests.subarray(offset * DIGEST_BYTES, (offset + item.count) * DIGEST_BYTES)) ?? new Uint8Array(item.count), offset);
              offset += item.count;
            }
            send(owner.get(nextToAnswer) ?? 0, { type: 'keep', index: nextToAnswer, keep }, [keep.buffer]);
          }
          nextToAnswer += 1;
        }
        if (nextToAnswer >= options.inputs.length && inFlight.every((files) => files === 0) && !finished) {
          finished = true;
          workers.forEach((_, worker) => send(worker, { type: 'finish' }));
        }
      };

      workers.forEach((worker, at) => {
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (!finished || results < workers.length) reject(new Error(`an audit worker stopped unexpectedly (exit code ${code})`));
        });
        worker.on('message', (message: FromWorker) => {
          // After a cancel, messages already on their way are dropped: no progress or answers past it.
          if (options.signal?.aborted === true) return;
          try {
            if (message.type === 'read') {
              reads.set(message.index, message);
              answerInOrder();
            } else if (message.type === 'evaluated') {
              inFlight[at] = (inFlight[at] ?? 1) - 1;
              const input = options.inputs[message.index];
              options.onEvaluated?.(input?.kind === 'file' ? input.path : '', message.matches);
              handOut();
              answerInOrder();
            } else if (message.type === 'result') {
              counts.outsideWindow += message.counts.outsideWindow;
              counts.undatedRecords += message.counts.undatedRecords;
              counts.recordsEvaluated += message.counts.recordsEvaluated;
              counts.matches += message.counts.matches;
              addSuppressedCounts(suppressed, message.suppressed);
              for (const group of message.groups) {
                const known = groups.get(group.canonicalKey);
                groups.set(group.canonicalKey, known === undefined ? group : joinRunGroups(known, group));
              }
              results += 1;
              if (results === workers.length) resolve();
            } else {
              const error = new Error(`audit worker: ${message.message}`);
              if (message.stack !== undefined) error.stack = message.stack;
              reject(error);
            }
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      handOut();
      answerInOrder();
    });
  } finally {
    if (abort !== undefined) options.signal?.removeEventListener('abort', abort);
    finished = true;
    results = workers.length;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return {
    counts,
    suppressed: [...suppressed.values()].sort((a, b) => a.index - b.index),
    groups: [...groups.values()].sort((a, b) => (a.canonicalKey < b.canonicalKey ? -1 : a.canonicalKey > b.canonicalKey ? 1 : 0)),
  };
}
