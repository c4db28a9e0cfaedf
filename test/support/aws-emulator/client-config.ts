/**
 * Pointing AWS SDK v3 clients at the emulator, either through constructor config or through the
 * environment (for code that builds its own clients, such as the CLI).
 */
// @smithy/core is the SDK's own runtime (a dependency of every @aws-sdk client), not a direct
// dependency of lfvaudit; its retry strategy is the real one the clients use.
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { TEST_REGION, type EmulatorCredential } from './credentials.js';
import type { AwsEmulator } from './server.js';

export interface EmulatorClientOptions {
  readonly region?: string;
  /** Default: the emulator's first credential. */
  readonly credential?: EmulatorCredential;
}

export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Constructor config for CloudTrailClient, SecurityHubClient or STSClient. */
export function emulatorClientConfig(emulator: AwsEmulator, options: EmulatorClientOptions = {}): EmulatorClientConfig {
  const credential = options.credential ?? emulator.credentials[0];
  if (credential === undefined) throw new TypeError('The emulator has no credentials');
  return {
    endpoint: emulator.endpoint,
    region: options.region ?? TEST_REGION,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
  };
}

/**
 * Environment variables that make default-configured clients talk to the emulator: endpoint, static
 * keys and region, no instance-metadata lookups, and no Node-version warning on stderr.
 */
export function emulatorEnvironment(emulator: AwsEmulator, options: EmulatorClientOptions = {}): Record<string, string> {
  const config = emulatorClientConfig(emulator, options);
  return {
    AWS_ENDPOINT_URL: config.endpoint,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    AWS_REGION: config.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The SDK's standard retries with a fixed short delay, so tests of retry behaviour stay fast. */
export function quickRetries(maxAttempts = 3, delayMs = 10): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(maxAttempts, () => delayMs);
}
