/**
 * A worker thread of a parallel audit (src/audit-workers.ts): reads whole files, reports each file's
 * record digests, and evaluates and groups only the records the main thread says are first deliveries.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordEvaluation } from './audit-evaluation.js';
import { DIGEST_BYTES, type AuditWorkerSetup, type FromWorker, type ToWorker, type WorkerItem } from './audit-worker-protocol.js';
import { evaluatorFor } from './evaluate/evaluator-engine.js';
import { suppressionsFromData } from './evaluate/suppressions.js';
import type { CloudTrailRecord } from './records/cloudtrail-record.js';
import { identityDigest, recordIdentity } from './records/record-identity.js';
import { inflatedAhead, readFileInput } from './sources/file-source.js';

const port = parentPort;
if (port === null) throw new Error('audit-worker runs only as a worker thread');
const setup = workerData as AuditWorkerSetup;
const evaluation = new RecordEvaluation({
  evaluator: evaluatorFor(setup.engine, setup.rules),
  ...(setup.window === undefined ? {} : { window: { start: new Date(setup.window.start), end: new Date(setup.window.end) } }),
  ...(setup.suppressions === undefined ? {} : { suppressions: suppressionsFromData(setup.suppressions) }),
});

/** Files read and waiting for their keep flags. */
const waiting = new Map<number, { records: CloudTrailRecord[]; identities: string[]; digests: Uint8Array }>();
/** Reads one file at a time, in the order they were handed out; evaluations run in their own chain. */
let reading: Promise<void> = Promise.resolve();
let evaluating: Promise<void> = Promise.resolve();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function fail(error: unknown): void {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}) });
}

async function read(index: number, path: string, readOptions: Parameters<typeof readFileInput>[1]): Promise<void> {
  const items: WorkerItem[] = [];
  const records: CloudTrailRecord[] = [];
  // Inflated on the thread pool: meanwhile this thread evaluates the file before, once its keep flags come.
  const inflated = await inflatedAhead(path, readOptions);
  for (const item of await readFileInput(path, readOptions, undefined, inflated)) {
    if (item.kind === 'records') {
      records.push(...item.records);
      items.push({ kind: 'records', origin: item.origin, count: item.records.length });
    } else {
      items.push(item);
    }
  }
  const identities = records.map(recordIdentity);
  const digests = new Uint8Array(records.length * DIGEST_BYTES);
  identities.forEach((identity, at) => digests.set(identityDigest(identity), at * DIGEST_BYTES));
  waiting.set(index, { records, identities, digests });
  post({ type: 'read', index, items, digests: digests.slice() });
}

async function evaluate(index: number, keep: Uint8Array): Promise<void> {
  const file = waiting.get(index);
  if (file === undefined) throw new Error(`bug: keep flags for file ${index}, which this worker has not read`);
  waiting.delete(index);
  const before = evaluation.counts.matches;
  for (let at = 0; at < file.records.length; at += 1) {
    if (keep[at] !== 1) continue;
    const pending = evaluation.evaluate(file.records[at] as CloudTrailRecord, { identity: file.identities[at] as string, digest: file.digests.subarray(at * DIGEST_BYTES, (at + 1) * DIGEST_BYTES) });
    if (pending !== undefined) await pending;
  }
  post({ type: 'evaluated', index, matches: evaluation.counts.matches - before });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'file') {
    reading = reading.then(() => read(message.index, message.path, message.readOptions)).catch(fail);
  } else if (message.type === 'keep') {
    evaluating = evaluating.then(() => evaluate(message.index, message.keep)).catch(fail);
  } else {
    evaluating = evaluating
      .then(() => post({ type: 'result', counts: evaluation.counts, suppressed: evaluation.suppressed(), groups: evaluation.groups.groups() }))
      .catch(fail);
  }
});
