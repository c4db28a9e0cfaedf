import type { MessagePort } from 'node:worker_threads';
import type { EvaluationCounts, SuppressedCount } from './audit-evaluation.js';
import type { EvaluatorEngine } from './evaluate/evaluator-engine.js';
import type { FindingGroup } from './evaluate/finding-group.js';
import type { BuildFindingOptions } from './findings/asff-finding.js';
import type { ActiveSuppression } from './evaluate/suppressions.js';
import type { ResolvedRule } from './ruleset/rule.js';
import type { RenderedChunk } from './sinks/rendered-findings.js';
import type { SourceItem } from './sources/event-source.js';
import type { FileSourceOptions } from './sources/file-source.js';

/** Bytes of each record's identity digest a worker sends for the run-wide dedupe (SHA-256, whole). */
export const DIGEST_BYTES = 32;

/** What every worker of a parallel audit starts from: plain data, since compiled closures cannot cross threads. */
export interface AuditWorkerSetup {
  readonly rules: readonly ResolvedRule[];
  readonly engine: EvaluatorEngine;
  /** Epoch ms, half-open. */
  readonly window?: { readonly start: number; readonly end: number };
  readonly suppressions?: readonly ActiveSuppression[];
}

/** A source item as a worker reports it: a file's records stay in the worker until the main thread says which to keep. */
export type WorkerItem = Exclude<SourceItem, { kind: 'records' }> | { readonly kind: 'records'; readonly origin: string; readonly count: number };

export type ToWorker =
  | { readonly type: 'file'; readonly index: number; readonly path: string; readonly readOptions: FileSourceOptions }
  /** `keep[i]` is 1 for the file's i-th record if it is the first delivery of its event in the run. */
  | { readonly type: 'keep'; readonly index: number; readonly keep: Uint8Array }
  /**
   * No more files. Without `render`, send every group to the main thread. With it, build and render the
   * findings of the groups this worker owns (groupOwnerOf), joined with the other workers' partial
   * groups of the same keys, which the workers exchange directly (src/audit-peer-exchange.ts).
   */
  | { readonly type: 'finish'; readonly render?: BuildFindingOptions }
  /** The main thread took one of this worker's rendered chunks: it may send one more. */
  | { readonly type: 'credit' };

/** What a worker starts from besides the setup: its place among the workers and a port to each other one. */
export interface AuditWorkerData {
  readonly setup: AuditWorkerSetup;
  readonly index: number;
  /** By worker index; undefined at this worker's own. */
  readonly peers: readonly (MessagePort | undefined)[];
}

export type FromWorker =
  /** A file read: its items in read() order, and its records' identity digests, {@link DIGEST_BYTES} each. */
  | { readonly type: 'read'; readonly index: number; readonly items: readonly WorkerItem[]; readonly digests: Uint8Array }
  | { readonly type: 'evaluated'; readonly index: number; readonly matches: number }
  /** Evaluation done; `groups` are all its groups, or none when rendering. */
  | { readonly type: 'result'; readonly counts: EvaluationCounts; readonly suppressed: readonly SuppressedCount[]; readonly groups: readonly FindingGroup[] }
  /** Rendering: the findings of the groups this worker owns, counted before they are built. */
  | { readonly type: 'findings'; readonly count: number; readonly bySeverity: Readonly<Record<string, number>>; readonly unattributed: number }
  /** Rendering: the next of this worker's findings' texts, in order, within the credit the main thread gave. */
  | ({ readonly type: 'texts' } & RenderedChunk)
  | { readonly type: 'texts-end' }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string };
