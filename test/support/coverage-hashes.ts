/**
 * A bucket's hashes from and to their texts, so that tests can write them as Security Hub shows them
 * (8 base64url characters) while buckets keep numbers (BucketHashes in src/coverage/event-coverage.ts).
 */
import { bucketHashesOf, bucketHashesText, bucketHashOfText, NO_DIGEST, type BucketHashes, type CountOf } from '../../src/coverage/event-coverage.js';

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
