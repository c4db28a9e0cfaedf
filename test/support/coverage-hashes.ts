/**
 * A bucket's hashes from and to their texts, so that tests can write them as Security Hub shows them
 * (8 base64url characters) while buckets keep numbers (BucketHashes in src/coverage/event-coverage.ts).
 */
import {
  bucketHashesOf,
  bucketHashesText,
  bucketHashOfText,
  bucketKey,
  makeBucket,
  NO_DIGEST,
  NO_HASHES,
  sortedCoverage,
  type BucketHashes,
  type CountOf,
  type CoverageKind,
  type EventCoverage,
} from '../../src/coverage/event-coverage.js';

/** The hashes whose texts are `texts`, in any order and repeated or not: sorted, each once. */
export function hashesOfTexts(texts: Iterable<string>): BucketHashes {
  return bucketHashesOf(
    Float64Array.from(texts, (text) => {
      const hash = text.length === 8 ? bucketHashOfText(text) : undefined;
      if (hash === undefined) throw new Error(`not a hash text: ${JSON.stringify(text)}`);
      return hash;
    }),
  );
}

/** Each hash's text, in the hashes' order. */
export function textsOfHashes(hashes: BucketHashes): string[] {
  return Array.from(hashes, (hash) => bucketHashesText(Float64Array.of(hash)));
}

/** A count of `count` events, with the digest of the events it counted when given (else unknown, as written before digests). */
export function countOfEvents(count: number, digest: number = NO_DIGEST): CountOf {
  return { count, digest, lowerBound: false };
}

/** The hash text as its definition states it: base64url of the hash's six bytes. */
export function bufferHashText(hash: number): string {
  const bytes = Buffer.alloc(6);
  bytes.writeUIntBE(hash, 0, 6);
  return bytes.toString('base64url');
}

/** The snapshot as a plain formula, as {@link entriesOf} shows it: distinct hash texts per bucket key, sorted as text, buckets in compareBuckets order. */
export function plainSnapshot(events: readonly { readonly kind: CoverageKind; readonly hash: number }[]): unknown[] {
  const byKey = new Map<string, { kind: CoverageKind; texts: string[] }>();
  for (const { kind, hash } of events) {
    const key = bucketKey(kind.period, kind.eventName, kind.errorCode);
    const bucket = byKey.get(key) ?? { kind, texts: [] };
    bucket.texts.push(bufferHashText(hash));
    byKey.set(key, bucket);
  }
  const ordered = sortedCoverage([...byKey.values()].map(({ kind }) => makeBucket(kind.period, kind.eventName, kind.errorCode, countOfEvents(0), NO_HASHES)));
  return [...ordered].map(([key, bucket]) => [key, { ...bucket, hashes: [...new Set(byKey.get(key)?.texts)].sort() }]);
}

/** Entries with each bucket's hashes as their texts, in the order the bucket keeps them. */
export function entriesOf(coverage: EventCoverage): unknown[] {
  return [...coverage].map(([key, bucket]) => [key, { ...bucket, hashes: textsOfHashes(bucket.hashes) }]);
}
