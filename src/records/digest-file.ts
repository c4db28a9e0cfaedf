import { isRecordObject } from './cloudtrail-record.js';

/**
 * CloudTrail digest files prove log files were not changed; they hold hashes, not events. Trails write
 * them under `AWSLogs/<account>/CloudTrail-Digest/...`, next to the `CloudTrail/` log files.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 */
export const DIGEST_SKIP_REASON = 'CloudTrail digest file';

/** True when a path or key (either separator) has a `CloudTrail-Digest` folder in it. */
export function isDigestPath(path: string): boolean {
  return path.split(/[/\\]/).slice(0, -1).includes('CloudTrail-Digest');
}

const DIGEST_ONLY_KEYS = ['digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestPublicKeyFingerprint'];

/** True for the parsed body of a digest file: no CloudTrail record or log file has these keys. */
export function isDigestDocument(value: unknown): boolean {
  return isRecordObject(value) && DIGEST_ONLY_KEYS.some((key) => Object.hasOwn(value, key));
}
