import path from 'node:path';
import type { SinkSpec, SourceSpec } from '../config/config.js';
import { checkRegionArgument } from './region-argument.js';
import { UsageError } from './usage-error.js';

const SOURCE_FORMS = 'file:PATH, cloudtrail[:REGION,...] or s3://BUCKET/PREFIX';
const SINK_FORMS = 'file:PATH, stdout or securityhub[:REGION]';

/** `--source` on the command line; relative paths are resolved against the working directory. */
export function parseSourceArgument(text: string, cwd: string): SourceSpec {
  if (text.startsWith('file:') && text.length > 'file:'.length) return { type: 'file', path: path.resolve(cwd, text.slice('file:'.length)) };
  if (text === 'cloudtrail') return { type: 'cloudtrail' };
  if (text.startsWith('cloudtrail:')) {
    const regions = text
      .slice('cloudtrail:'.length)
      .split(',')
      .filter((region) => region !== '');
    if (regions.length > 0) return { type: 'cloudtrail', regions: regions.map((region) => checkRegionArgument('--source', region)) };
  }
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  if (s3) return { type: 's3', bucket: s3[1] ?? '', prefix: s3[2] ?? '' };
  throw new UsageError(`--source ${JSON.stringify(text)}: expected ${SOURCE_FORMS}`);
}

export function parseSinkArgument(text: string, cwd: string): SinkSpec {
  if (text.startsWith('file:') && text.length > 'file:'.length) return { type: 'file', path: path.resolve(cwd, text.slice('file:'.length)) };
  if (text === 'stdout') return { type: 'stdout' };
  if (text === 'securityhub') return { type: 'securityhub' };
  if (text.startsWith('securityhub:') && text.length > 'securityhub:'.length)
    return { type: 'securityhub', region: checkRegionArgument('--sink', text.slice('securityhub:'.length)) };
  throw new UsageError(`--sink ${JSON.stringify(text)}: expected ${SINK_FORMS}`);
}
