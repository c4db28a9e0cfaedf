import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { addSuppressedCounts, type EvaluationCounts, type SuppressedCount } from './audit-evaluation.js';
import { DIGEST_BYTES, type AuditWorkerData, type AuditWorkerSetup, type FromWorker, type ToWorker, type WorkerItem } from './audit-worker-protocol.js';
import type { FindingGroup } from './evaluate/finding-group.js';
import { compareStrings } from './evaluate/finding-group-bounded.js';
import { joinRunGroups } from './evaluate/finding-group-join.js';
import type { BuildFindingOptions } from './findings/asff-finding.js';
import { ChunkQueue, mergeRenderedChunks, type RenderedFindings } from './sinks/rendered-findings.js';
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
  /**
   * When given, the workers build and render the findings themselves, each those of its share of the
   * groups, with the options this gives once every input is read (the evaluation then has `rendered`
   * instead of `groups`).
   */
  readonly render?: () => BuildFindingOptions;
  readonly signal?: AbortSignal;
}

export type ParallelEvaluation = {
  readonly counts: EvaluationCounts;
  readonly suppressed: readonly SuppressedCount[];
} & (
  | {
      /** Ordered by canonical key, as FindingGroupBuilder.groups() gives them. */
      readonly groups: readonly FindingGroup[];
    }
  | {
      /** The workers' findings, merged in order as they are taken. The workers run until `close()`. */
      readonly rendered: ParallelRenderedFindings;
    }
);

/** Findings the workers render: taking their texts drives the workers; `close()` stops them (always call it). */
export interface ParallelRenderedFindings extends RenderedFindings {
  close(): Promise<void>;
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
  // A port between every two workers: rendering, they exchange partial groups without the main thread.
  const peers: (MessagePort | undefined)[][] = Array.from({ length: options.workers }, () => Array.from({ length: options.workers }, () => undefined));
  for (let a = 0; a < options.workers; a += 1) {
    for (let b = a + 1; b < options.workers; b += 1) {
      const { port1, port2 } = new MessageChannel();
      (peers[a] as (MessagePort | undefined)[])[b] = port1;
      (peers[b] as (MessagePort | undefined)[])[a] = port2;
    }
  }
  const workers = peers.map((ports, index) => {
    const workerData: AuditWorkerData = { setup: options.setup, index, peers: ports };
    return new Worker(workerUrl, { workerData, transferList: ports.filter((port) => port !== undefined) });
  });
  const render = options.render;
  // Rendering: each worker's chunks as they come; taking one gives that worker credit for another.
  const queues = workers.map((_, at) => new ChunkQueue(() => workers[at]?.postMessage({ type: 'credit' } satisfies ToWorker)));
  const findingReports: Extract<FromWorker, { type: 'findings' }>[] = [];
  let rendering = false;
  let closed = false;
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
    await new Promise<void>((resolveAll, rejectAll) => {
      const resolve = (): void => {
        rendering = render !== undefined;
        resolveAll();
      };
      // Once the findings are being taken, a failure reaches the one taking them.
      const reject = (error: Error): void => {
        rejectAll(error);
        for (const queue of queues) queue.fail(error);
      };
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
          const finish: ToWorker = render === undefined ? { type: 'finish' } : { type: 'finish', render: render() };
          workers.forEach((_, worker) => send(worker, finish));
        }
      };

      workers.forEach((worker, at) => {
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (!closed) reject(new Error(`an audit worker stopped unexpectedly (exit code ${code})`));
        });
        worker.on('message', (message: FromWorker) => {
          // After a cancel, messages already on their way are dropped: no progress or answers past it.
          // (Not once the findings are being taken: like a sequential run's sinks, they finish their write.)
          if (options.signal?.aborted === true && !rendering) return;
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
              if (results === workers.length && (render === undefined || findingReports.length === workers.length)) resolve();
            } else if (message.type === 'findings') {
              findingReports.push(message);
              if (results === workers.length && findingReports.length === workers.length) resolve();
            } else if (message.type === 'texts') {
              queues[at]?.push({ bytes: message.bytes, ends: message.ends, order: message.order });
            } else if (message.type === 'texts-end') {
              queues[at]?.end();
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
    if (!rendering) await close();
  }
  const evaluated = { counts, suppressed: [...suppressed.values()].sort((a, b) => a.index - b.index) };
  if (!rendering) return { ...evaluated, groups: [...groups.values()].sort((a, b) => compareStrings(a.canonicalKey, b.canonicalKey)) };
  const bySeverity: Record<string, number> = {};
  for (const report of findingReports) for (const [label, count] of Object.entries(report.bySeverity)) bySeverity[label] = (bySeverity[label] ?? 0) + count;
  let taken = false;
  return {
    ...evaluated,
    rendered: {
      count: findingReports.reduce((sum, report) => sum + report.count, 0),
      bySeverity,
      unattributed: findingReports.reduce((sum, report) => sum + report.unattributed, 0),
      texts: () => {
        if (taken) throw new Error('bug: the rendered findings were taken twice');
        taken = true;
        return mergeRenderedChunks(queues);
      },
      close,
    },
  };

  async function close(): Promise<void> {
    closed = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
