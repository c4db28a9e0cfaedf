/**
 * A worker thread of a parallel audit (src/audit-workers.ts): reads whole files, reports each file's
 * record digests, and evaluates and groups only the records the main thread says are first deliveries.
 * At the end it either sends its groups to the main thread, or (rendering) exchanges partial groups
 * with the other workers and builds and renders the findings of the groups it owns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordEvaluation } from './audit-evaluation.js';
import { receivePartials, sendPartials } from './audit-peer-exchange.js';
import { DIGEST_BYTES, type AuditWorkerData, type FromWorker, type ToWorker, type WorkerItem } from './audit-worker-protocol.js';
import { evaluatorFor } from './evaluate/evaluator-engine.js';
import type { LocalFindingGroup, PartialFindingGroup } from './evaluate/finding-group.js';
import { groupOwnerOf, joinedOwnGroups } from './evaluate/finding-group-partition.js';
import type { BuildFindingOptions } from './findings/asff-finding.js';
import { findingListOf } from './findings/finding-list.js';
import { suppressionsFromData } from './evaluate/suppressions.js';
import type { CloudTrailRecord } from './records/cloudtrail-record.js';
import { identityDigest, recordIdentity } from './records/record-identity.js';
import { takeEachRecord } from './records/take-each-record.js';
import { renderedChunks } from './sinks/rendered-findings.js';
import { inflatedAhead, readFileInput } from './sources/file-source.js';

const port = parentPort;
if (port === null) throw new Error('audit-worker runs only as a worker thread');
const { setup, index: self, peers } = workerData as AuditWorkerData;
const evaluation = new RecordEvaluation({
  evaluator: evaluatorFor(setup.engine, setup.rules),
  ...(setup.window === undefined ? {} : { window: { start: new Date(setup.window.start), end: new Date(setup.window.end) } }),
  ...(setup.suppressions === undefined ? {} : { suppressions: suppressionsFromData(setup.suppressions) }),
});

/** Rendered chunks the main thread may hold of this worker before it takes one. */
const CHUNKS_AHEAD = 4;

/** Partial groups the other workers send for the groups this worker owns: listened for from the start. */
const { received, allReceived } = receivePartials<PartialFindingGroup>(peers);
let credits = CHUNKS_AHEAD;
let onCredit: (() => void) | undefined;

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
  let at = -1;
  for (const record of takeEachRecord(file.records)) {
    at += 1;
    if (keep[at] !== 1) continue;
    const pending = evaluation.evaluate(record, { identity: file.identities[at] as string, digest: file.digests.subarray(at * DIGEST_BYTES, (at + 1) * DIGEST_BYTES) });
    if (pending !== undefined) await pending;
  }
  post({ type: 'evaluated', index, matches: evaluation.counts.matches - before });
}

/**
 * Sends the other workers their groups' partials, joins the partials of this worker's own groups, and
 * renders their findings in order, a chunk at a time as the main thread gives credit.
 */
async function render(options: BuildFindingOptions): Promise<void> {
  post({ type: 'result', counts: evaluation.counts, suppressed: evaluation.suppressed(), groups: [] });
  const own: LocalFindingGroup[] = [];
  const theirs: LocalFindingGroup[][] = peers.map(() => []);
  for (const group of evaluation.groups.lazyGroups()) {
    const owner = groupOwnerOf(group.canonicalKey, peers.length);
    if (owner === self) own.push(group);
    else theirs[owner]?.push(group);
  }
  theirs.forEach((groups, owner) => {
    const peer = peers[owner];
    if (peer !== undefined) sendPartials(peer, groups.map((group) => group.partial()));
  });
  await allReceived;
  const findings = findingListOf(joinedOwnGroups(own, received), new Map(setup.rules.map((rule) => [rule.id, rule])), options);
  received.clear();
  post({ type: 'findings', count: findings.count, bySeverity: findings.bySeverity, unattributed: findings.unattributed });
  for (const chunk of renderedChunks(findings.keyed())) {
    if (credits === 0) await new Promise<void>((resolve) => (onCredit = resolve));
    credits -= 1;
    post({ type: 'texts', ...chunk }, [chunk.bytes.buffer as ArrayBuffer, chunk.ends.buffer as ArrayBuffer]);
  }
  post({ type: 'texts-end' });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'credit') {
    credits += 1;
    const wake = onCredit;
    onCredit = undefined;
    wake?.();
  } else if (message.type === 'file') {
    reading = reading.then(() => read(message.index, message.path, message.readOptions)).catch(fail);
  } else if (message.type === 'keep') {
    evaluating = evaluating.then(() => evaluate(message.index, message.keep)).catch(fail);
  } else if (message.render !== undefined) {
    const options = message.render;
    evaluating = evaluating.then(() => render(options)).catch(fail);
  } else {
    evaluating = evaluating
      .then(() => post({ type: 'result', counts: evaluation.counts, suppressed: evaluation.suppressed(), groups: evaluation.groups.groups() }))
      .catch(fail);
  }
});
