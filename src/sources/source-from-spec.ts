import type { SourceSpec } from '../config/config.js';
import { CloudTrailSource } from './cloudtrail/lookup-events-source.js';
import type { EventSource } from './event-source.js';
import { FileSource } from './file/file-source.js';
import { createS3Client } from '../aws/s3-client.js';
import type { Shard } from './s3/shard.js';
import { S3TrailSource } from './s3/trail-source.js';

/** The source a config entry or `--source` names; `shard` splits an S3 source's objects (`--shard I/N`). */
export function sourceFromSpec(spec: SourceSpec, options: { readonly shard?: Shard } = {}): EventSource {
  switch (spec.type) {
    case 'file':
      return new FileSource(spec.path);
    case 'cloudtrail':
      return new CloudTrailSource(spec.regions === undefined ? {} : { regions: spec.regions });
    case 's3':
      return new S3TrailSource({
        bucket: spec.bucket,
        prefix: spec.prefix,
        ...(spec.accounts === undefined ? {} : { accounts: spec.accounts }),
        ...(spec.regions === undefined ? {} : { regions: spec.regions }),
        ...(spec.organizationId === undefined ? {} : { organizationId: spec.organizationId }),
        ...(options.shard === undefined ? {} : { shard: options.shard }),
        client: createS3Client({
          ...(spec.endpoint === undefined ? {} : { endpoint: spec.endpoint }),
          ...(spec.forcePathStyle === undefined ? {} : { forcePathStyle: spec.forcePathStyle }),
        }),
      });
  }
}
