import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import test from 'ava';
import fc from 'fast-check';
import { compareFindingOrder, type FindingOrderKey } from '../../src/findings/finding-list.js';
import { findingsJsonPieces, findingsJsonText } from '../../src/sinks/findings-json-text.js';
import { ChunkQueue, mergeRenderedChunks, renderedChunks, type RenderedChunk } from '../../src/sinks/rendered-findings.js';

/** A finding-shaped object whose order key is in its fields, with text that needs escaping and more than one UTF-8 byte. */
function findingOf(order: FindingOrderKey, note: string): { order: FindingOrderKey; finding: AwsSecurityFinding } {
  return { order, finding: { Id: order.id, Title: note, ProductFields: { 'lfvaudit/RuleId': order.ruleId }, Severity: { Label: `rank-${order.rank}` } } as unknown as AwsSecurityFinding };
}

async function bytesOf(pieces: AsyncIterable<string | Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of pieces) parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece));
  return Buffer.concat(parts).toString('utf8');
}

async function* streamOf(chunks: Iterable<RenderedChunk>): AsyncGenerator<RenderedChunk> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}

const orderKey = fc.record({ rank: fc.integer({ min: 0, max: 4 }), ruleId: fc.constantFrom('a-rule', 'b-rule', 'c'), id: fc.string({ minLength: 1, maxLength: 6 }) });
const note = fc.string({ unit: 'grapheme', maxLength: 40 });

test('findings split in any way among sorted streams, rendered in chunks of any size and merged, give the bytes of findingsJsonText over them all in order', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.tuple(orderKey, note), { selector: ([key]) => `${key.rank}/${key.ruleId}/${key.id}`, maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
      fc.integer({ min: 1, max: 600 }),
      fc.boolean(),
      async (entries, owners, chunkBytes, withAfter) => {
        const findings = entries.map(([key, text]) => findingOf(key, text)).sort((a, b) => compareFindingOrder(a.order, b.order));
        const streams = [0, 1, 2, 3].map((stream) => streamOf(renderedChunks(findings.filter((_, index) => owners[index] === stream), chunkBytes)));
        const after = withAfter ? { Summary: { findings: findings.length } } : {};
        const merged = await bytesOf(findingsJsonPieces(mergeRenderedChunks(streams), after));
        return merged === [...findingsJsonText(findings.map(({ finding }) => finding), after)].join('');
      },
    ),
    { numRuns: 200, seed: 20261203 },
  );
  t.pass();
});

test('the merge yields findings in compareFindingOrder order: most severe first, then rule id, then Id', async (t) => {
  const keys: FindingOrderKey[] = [
    { rank: 4, ruleId: 'b', id: 'x' },
    { rank: 2, ruleId: 'a', id: 'z' },
    { rank: 4, ruleId: 'a', id: 'y' },
    { rank: 2, ruleId: 'a', id: 'b' },
    { rank: 0, ruleId: 'a', id: 'a' },
  ];
  const sorted = [...keys].sort(compareFindingOrder);
  t.deepEqual(sorted.map((key) => key.id), ['y', 'x', 'b', 'z', 'a']);
  const findings = sorted.map((key) => findingOf(key, key.id));
  const streams = [findings.filter((_, index) => index % 2 === 0), findings.filter((_, index) => index % 2 === 1)].map((part) => streamOf(renderedChunks(part, 64)));
  const ids: string[] = [];
  for await (const text of mergeRenderedChunks(streams)) ids.push((JSON.parse(Buffer.from(text).toString('utf8')) as { Id: string }).Id);
  t.deepEqual(ids, ['y', 'x', 'b', 'z', 'a']);
});

test('a chunk queue lets its sender send one more chunk for each chunk taken, and a failure reaches the one taking them', async (t) => {
  let credits = 0;
  const queue = new ChunkQueue(() => (credits += 1));
  const [first, second] = [...renderedChunks([findingOf({ rank: 1, ruleId: 'r', id: '1' }, 'one'), findingOf({ rank: 1, ruleId: 'r', id: '2' }, 'two')], 1)];
  if (first === undefined || second === undefined) throw new Error('expected two chunks');
  queue.push(first);
  const taking = queue[Symbol.asyncIterator]();
  t.is((await taking.next()).value, first);
  t.is(credits, 1);
  const waiting = taking.next();
  queue.push(second);
  t.is((await waiting).value, second);
  t.is(credits, 2);
  const failing = taking.next();
  queue.fail(new Error('worker gone'));
  await t.throwsAsync(failing, { message: 'worker gone' });
});
