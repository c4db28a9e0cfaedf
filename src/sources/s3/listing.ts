import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from '../../aws/sdk.js';
import { describeFailedCall } from '../../aws/retry.js';

/** A bucket and how to list it; its client retries each page. */
export interface S3Lister {
  readonly client: S3Client;
  readonly bucket: string;
  /** Keys per ListObjectsV2 page (S3 returns at most 1000). */
  readonly pageSize: number;
}

/** What a listing found, or why it could not be read to its end. */
export type Listed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** The names of the folders directly under `prefix` (which ends with `/`), sorted. */
export async function listFolderNames(lister: S3Lister, prefix: string, signal: AbortSignal | undefined): Promise<Listed<string[]>> {
  const listed = await listAll(lister, prefix, '/', signal);
  if (!listed.ok) return listed;
  const names = listed.value.prefixes.filter((folder) => folder.startsWith(prefix)).map((folder) => folder.slice(prefix.length, -1));
  return { ok: true, value: codeUnitSorted(names.filter((name) => name !== '')) };
}

/** Every key under `prefix`, sorted in code-unit order (S3's own order for ASCII keys, the same for every store). */
export async function listKeys(lister: S3Lister, prefix: string, signal: AbortSignal | undefined): Promise<Listed<string[]>> {
  const listed = await listAll(lister, prefix, undefined, signal);
  return listed.ok ? { ok: true, value: codeUnitSorted(listed.value.keys) } : listed;
}

async function listAll(
  lister: S3Lister,
  prefix: string,
  delimiter: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Listed<{ keys: string[]; prefixes: string[] }>> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  // Every token seen: a store that hands back an earlier token would otherwise be followed forever.
  const tokensSeen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page += 1) {
    const input = {
      Bucket: lister.bucket,
      Prefix: prefix,
      MaxKeys: lister.pageSize,
      ...(delimiter === undefined ? {} : { Delimiter: delimiter }),
      ...(token === undefined ? {} : { ContinuationToken: token }),
    };
    let fetched: ListObjectsV2CommandOutput;
    try {
      fetched = await lister.client.send(new (s3Sdk().ListObjectsV2Command)(input), signal === undefined ? {} : { abortSignal: signal });
    } catch (error) {
      // An abort is thrown as the signal's reason: the caller asked to stop, nothing failed.
      signal?.throwIfAborted();
      return { ok: false, reason: `ListObjectsV2 page ${page} ${describeFailedCall(error)}` };
    }
    for (const object of fetched.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    for (const common of fetched.CommonPrefixes ?? []) if (common.Prefix !== undefined) prefixes.push(common.Prefix);
    const next = fetched.NextContinuationToken;
    if (fetched.IsTruncated !== true || next === undefined || next === '') return { ok: true, value: { keys, prefixes } };
    if (tokensSeen.has(next))
      return { ok: false, reason: `ListObjectsV2 page ${page} returned a continuation token it had returned before: stopped rather than loop` };
    tokensSeen.add(next);
    token = next;
  }
}

function codeUnitSorted(values: string[]): string[] {
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
