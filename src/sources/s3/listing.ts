import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from '../../aws/sdk.js';
import { withRetries, type Attempted, type S3RetryPlan } from './attempts.js';

/** A bucket and how to list it: each page retried on its own. */
export interface S3Lister {
  readonly client: S3Client;
  readonly bucket: string;
  readonly retry: S3RetryPlan;
  /** Keys per ListObjectsV2 page (S3 returns at most 1000). */
  readonly pageSize: number;
}

/** The names of the folders directly under `prefix` (which ends with `/`), sorted. */
export async function listFolderNames(lister: S3Lister, prefix: string, signal: AbortSignal | undefined): Promise<Attempted<string[]>> {
  const listed = await listAll(lister, prefix, '/', signal);
  if (!listed.ok) return listed;
  const names = listed.value.prefixes.filter((folder) => folder.startsWith(prefix)).map((folder) => folder.slice(prefix.length, -1));
  return { ok: true, value: codeUnitSorted(names.filter((name) => name !== '')) };
}

/** Every key under `prefix`, sorted in code-unit order (S3's own order for ASCII keys, the same for every store). */
export async function listKeys(lister: S3Lister, prefix: string, signal: AbortSignal | undefined): Promise<Attempted<string[]>> {
  const listed = await listAll(lister, prefix, undefined, signal);
  return listed.ok ? { ok: true, value: codeUnitSorted(listed.value.keys) } : listed;
}

async function listAll(
  lister: S3Lister,
  prefix: string,
  delimiter: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Attempted<{ keys: string[]; prefixes: string[] }>> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  // Every token seen: a store that hands back an earlier token would otherwise be followed forever.
  const tokensSeen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page += 1) {
    const input = { Bucket: lister.bucket, Prefix: prefix, MaxKeys: lister.pageSize, ...(delimiter === undefined ? {} : { Delimiter: delimiter }), ...(token === undefined ? {} : { ContinuationToken: token }) };
    const fetched = await withRetries<ListObjectsV2CommandOutput>(() => lister.client.send(new (s3Sdk().ListObjectsV2Command)(input), signal === undefined ? {} : { abortSignal: signal }), lister.retry, signal);
    if (!fetched.ok) return { ok: false, reason: `ListObjectsV2 page ${page} ${fetched.reason}` };
    for (const object of fetched.value.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    for (const common of fetched.value.CommonPrefixes ?? []) if (common.Prefix !== undefined) prefixes.push(common.Prefix);
    const next = fetched.value.NextContinuationToken;
    if (fetched.value.IsTruncated !== true || next === undefined || next === '') return { ok: true, value: { keys, prefixes } };
    if (tokensSeen.has(next)) return { ok: false, reason: `ListObjectsV2 page ${page} returned a continuation token it had returned before: stopped rather than loop` };
    tokensSeen.add(next);
    token = next;
  }
}

function codeUnitSorted(values: string[]): string[] {
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
