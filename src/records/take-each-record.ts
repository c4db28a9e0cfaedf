import type { CloudTrailRecord } from './cloudtrail-record.js';

/**
 * Each of `records` in order, its entry in the array cleared as it is taken (so the n-th record
 * yielded is the one at index n: callers keep parallel arrays by it).
 *
 * Why: a file's records are parsed all at once; if the array held every one until the last was
 * evaluated, V8's young-generation collections during the file would find them alive and move them to
 * the old generation, where they wait for a full collection and raise the peak. Taken this way, an
 * evaluated record dies young unless something else keeps it.
 */
export function* takeEachRecord(records: CloudTrailRecord[]): Generator<CloudTrailRecord> {
  // The array's type says records; once taken, an entry is a hole no one reads.
  const entries = records as (CloudTrailRecord | undefined)[];
  for (let at = 0; at < entries.length; at += 1) {
    const record = entries[at];
    if (record === undefined) throw new Error(`bug: record ${at} of a file was taken twice`);
    entries[at] = undefined;
    yield record;
  }
}
