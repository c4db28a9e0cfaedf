import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { compareFindingOrder, type FindingOrderKey } from '../findings/finding-list.js';
import { findingJsonText } from './findings-json-text.js';

/**
 * A run's findings already rendered as JSON text, in {@link compareFindingOrder} order: what the workers
 * of a parallel audit hand a sink that writes text (src/audit-workers.ts), so the main thread neither
 * builds nor renders a finding. Its texts can be taken once.
 */
export interface RenderedFindings {
  readonly count: number;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly unattributed: number;
  /** Each finding's {@link findingJsonText} in UTF-8, in order. */
  texts(): AsyncIterable<Uint8Array>;
}

/**
 * Consecutive findings' texts in UTF-8, one after the other in `bytes`: finding i ends at `ends[i]`
 * and sorts by `order[i]`. Its buffers are transferred between threads, not copied.
 */
export interface RenderedChunk {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  readonly order: readonly FindingOrderKey[];
}

/**
 * Bytes a chunk is cut at: enough that a chunk costs one message for dozens of findings (about 5 KB
 * each), small enough that the few chunks on their way between threads stay a few MB.
 */
const CHUNK_BYTES = 256 * 1024;

/** The findings' texts ({@link findingJsonText}), in their order, as chunks. */
export function* renderedChunks(findings: Iterable<{ readonly order: FindingOrderKey; readonly finding: AwsSecurityFinding }>, chunkBytes = CHUNK_BYTES): Generator<RenderedChunk> {
  // A fresh buffer per chunk, not from Buffer's shared pool: the chunk's buffer is transferred whole.
  let bytes = Buffer.allocUnsafeSlow(chunkBytes);
  let used = 0;
  let ends: number[] = [];
  let order: FindingOrderKey[] = [];
  const cut = (): RenderedChunk => {
    const chunk = { bytes: bytes.subarray(0, used), ends: Uint32Array.from(ends), order };
    bytes = Buffer.allocUnsafeSlow(chunkBytes);
    used = 0;
    ends = [];
    order = [];
    return chunk;
  };
  for (const { order: key, finding } of findings) {
    const text = findingJsonText(finding);
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    if (used > 0 && used + text.length * 3 > bytes.length) yield cut();
    if (text.length * 3 > bytes.length) bytes = Buffer.allocUnsafeSlow(text.length * 3);
    used += bytes.write(text, used, 'utf8');
    ends.push(used);
    order.push(key);
  }
  if (used > 0) yield cut();
}

/**
 * One stream of findings' texts in {@link compareFindingOrder} order from several, each already in that
 * order (a k-way merge on the chunks' order keys). Each text is a view into its chunk, not a copy.
 */
export async function* mergeRenderedChunks(streams: readonly AsyncIterable<RenderedChunk>[]): AsyncGenerator<Uint8Array> {
  const heads: { chunk: RenderedChunk; at: number; rest: AsyncIterator<RenderedChunk> }[] = [];
  const next = async (rest: AsyncIterator<RenderedChunk>): Promise<void> => {
    for (;;) {
      const step = await rest.next();
      if (step.done === true) return;
      if (step.value.order.length > 0) {
        heads.push({ chunk: step.value, at: 0, rest });
        return;
      }
    }
  };
  await Promise.all(streams.map((stream) => next(stream[Symbol.asyncIterator]())));
  while (heads.length > 0) {
    let least = 0;
    for (let index = 1; index < heads.length; index += 1) {
      const head = heads[index];
      const best = heads[least];
      if (head !== undefined && best !== undefined && compareFindingOrder(head.chunk.order[head.at] as FindingOrderKey, best.chunk.order[best.at] as FindingOrderKey) < 0) least = index;
    }
    const head = heads[least] as (typeof heads)[number];
    const start = head.at === 0 ? 0 : (head.chunk.ends[head.at - 1] as number);
    yield head.chunk.bytes.subarray(start, head.chunk.ends[head.at]);
    head.at += 1;
    if (head.at === head.chunk.order.length) {
      heads.splice(least, 1);
      await next(head.rest);
    }
  }
}

/**
 * Chunks as they arrive from another thread, taken by one async iteration. `onTaken` runs as each chunk
 * is taken, so the sender can be allowed one more: at most a few chunks wait here whatever the run's size.
 */
export class ChunkQueue implements AsyncIterable<RenderedChunk> {
  readonly #chunks: RenderedChunk[] = [];
  readonly #onTaken: () => void;
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(onTaken: () => void) {
    this.#onTaken = onTaken;
  }

  push(chunk: RenderedChunk): void {
    this.#chunks.push(chunk);
    this.#wakeUp();
  }

  end(): void {
    this.#ended = true;
    this.#wakeUp();
  }

  fail(error: Error): void {
    this.#failure ??= error;
    this.#wakeUp();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RenderedChunk> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        this.#onTaken();
        yield chunk;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
