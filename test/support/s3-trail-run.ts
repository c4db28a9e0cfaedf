import { main } from '../../src/cli/main.js';
import { capturedIo } from './captured-io.js';
import type { S3TestServer } from './s3-server.js';

/** Where a config's S3 source reads a trail: a bucket and prefix of the test's s3rver. */
export interface S3TrailLocation {
  readonly server: Pick<S3TestServer, 'endpoint' | 'credentials'>;
  readonly bucket: string;
  readonly prefix: string;
}

/**
 * The `sources:` block of a config with one S3 source reading `location` through s3rver (its endpoint,
 * path-style), then `more` lines of that source (its filters, indented by four).
 */
export function s3SourceLines(location: S3TrailLocation, ...more: readonly string[]): string[] {
  return [
    'sources:',
    '  - type: s3',
    `    bucket: ${location.bucket}`,
    `    prefix: ${location.prefix}`,
    `    endpoint: ${location.server.endpoint}`,
    '    forcePathStyle: true',
    ...more,
  ];
}

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `lfvaudit ARGV` in `dir`, in-process at `now`, with the environment holding s3rver's keys (the SDK reads
 * credentials from there, and never instance metadata) for the length of the run.
 */
export async function runWithS3Credentials(location: S3TrailLocation, dir: string, argv: readonly string[], now: Date): Promise<CliRun> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: location.server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: location.server.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  try {
    const io = capturedIo(dir, { now });
    const status = await main(argv, io);
    return { status, stdout: io.out(), stderr: io.err() };
  } finally {
    process.env = saved;
  }
}
