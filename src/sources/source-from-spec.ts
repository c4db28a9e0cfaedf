import type { SourceSpec } from '../config/config.js';
import { CloudTrailSource } from './cloudtrail-source.js';
import type { EventSource } from './event-source.js';
import { FileSource } from './file-source.js';

/** The source a config entry or `--source` names. */
export function sourceFromSpec(spec: SourceSpec): EventSource {
  switch (spec.type) {
    case 'file':
      return new FileSource(spec.path);
    case 'cloudtrail':
      return new CloudTrailSource(spec.regions === undefined ? {} : { regions: spec.regions });
    case 's3':
      throw new SourceUnavailableError(`source type ${spec.type} is not available in this version of lfvaudit`);
  }
}

export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
}
