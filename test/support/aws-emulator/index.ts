/** The loopback AWS emulator: CloudTrail LookupEvents, Security Hub findings and STS, over real wire protocols. */
export { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions, type EmulatorState } from './server.js';
export { ManualClock, systemClock, type EmulatorClock } from './clock.js';
export { TEST_CREDENTIAL, TEST_REGION, type EmulatorCredential } from './credentials.js';
export { emulatorClientConfig, emulatorEnvironment, quickRetries, type EmulatorClientConfig, type EmulatorClientOptions } from './client-config.js';
export type { CloudTrailState, LookupEventsEvent } from './cloudtrail.js';
export type { AccountRegion } from './operation.js';
export type { StsState } from './sts.js';
export { EVENT_HISTORY_RETENTION_MS } from './cloudtrail.js';
export { defaultProductArn, type AsffFinding, type SecurityHubState } from './securityhub.js';
export type { EmulatorFaults, EmulatedOperation, FaultKind, FaultSpec, InjectedFault } from './faults.js';
export { DOCUMENTED_RATE_LIMITS, type RateLimit } from './rate-limit.js';
export { maxRequestsInWindow, type RequestLogEntry } from './request-log.js';
export { MAX_CLOCK_SKEW_MS } from './sigv4.js';
