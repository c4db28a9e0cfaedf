import type { SourceSpec } from '../config/config.js';
import type { Shard } from '../sources/s3/shard.js';
import { awsLogsPrefix, s3Uri } from '../sources/s3/trail-layout.js';

/**
 * What a source reads, as the state file's key for its progress: the location and every filter that
 * narrows it (an S3 source's organizationId, accounts, regions, shard and its split, and endpoint; a LookupEvents
 * source's regions), each written out even when unset, so that a source read differently keeps its own
 * window. Values are sorted, so reordering a list in the config keeps the key.
 *
 * `file:PATH`, `cloudtrail regions=us-east-1,eu-west-1`,
 * `s3://trail-logs/AWSLogs/ organizationId=o-abc accounts=any regions=us-east-1 shard=0/4 shardBy=account-region`.
 */
export function sourceProgressKey(spec: SourceSpec, options: { readonly shard?: Shard } = {}): string {
  switch (spec.type) {
    case 'file':
      return `file:${spec.path}`;
    case 'cloudtrail':
      // Without regions LookupEvents queries the SDK's region, which the environment sets at run time.
      return `cloudtrail regions=${listValue(spec.regions, 'default')}`;
    case 's3': {
      const filters = [
        `organizationId=${spec.organizationId ?? 'any'}`,
        `accounts=${listValue(spec.accounts, 'any')}`,
        `regions=${listValue(spec.regions, 'any')}`,
        // Split by object, the key stays as it was before shards could be split otherwise: running jobs keep their windows.
        ...(options.shard === undefined ? [] : [`shard=${options.shard.index}/${options.shard.count}`]),
        ...(options.shard?.by === 'account-region' ? ['shardBy=account-region'] : []),
        ...(spec.endpoint === undefined ? [] : [`endpoint=${spec.endpoint}`]),
      ];
      return [s3Uri(spec.bucket, awsLogsPrefix(spec.prefix)), ...filters].join(' ');
    }
  }
}

/**
 * The key of a run's progress: its sources' keys, whatever their order in the config (reordering
 * sources must not start a new window, whose first run would skip history).
 */
export function scheduledProgressKey(sourceKeys: readonly string[]): string {
  return [...new Set(sourceKeys)].sort().join(' + ');
}

function listValue(values: readonly string[] | undefined, none: string): string {
  return values === undefined || values.length === 0 ? none : [...new Set(values)].sort().join(',');
}
