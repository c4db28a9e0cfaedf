import { createRequire } from 'node:module';
import type * as CloudTrailSdk from '@aws-sdk/client-cloudtrail';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type * as SecurityHubSdk from '@aws-sdk/client-securityhub';
import type * as StsSdk from '@aws-sdk/client-sts';

/**
 * The AWS SDK clients, loaded when first used. Together they take about half a second and 40 MB to
 * load, which a run over local files with a file sink never needs. The packages are CommonJS (their
 * `main`), so `require` gives the same module instances as an `import` of them elsewhere would.
 */
const load = createRequire(import.meta.url);

export function cloudTrailSdk(): typeof CloudTrailSdk {
  return load('@aws-sdk/client-cloudtrail') as typeof CloudTrailSdk;
}

export function s3Sdk(): typeof S3Sdk {
  return load('@aws-sdk/client-s3') as typeof S3Sdk;
}

export function securityHubSdk(): typeof SecurityHubSdk {
  return load('@aws-sdk/client-securityhub') as typeof SecurityHubSdk;
}

export function stsSdk(): typeof StsSdk {
  return load('@aws-sdk/client-sts') as typeof StsSdk;
}
