import type { ExecutionContext } from 'ava';
import { setTimeout as delay } from 'node:timers/promises';
import type { CloudTrailRecord } from '../../../src/records/cloudtrail-record.js';
import { createCloudTrailClient } from '../../../src/aws/cloudtrail-client.js';
import type { RetryOptions } from '../../../src/aws/retry-strategy.js';
import { CloudTrailSource, type CloudTrailSourceOptions } from '../../../src/sources/cloudtrail/lookup-events-source.js';
import type { SourceItem, TimeWindow } from '../../../src/sources/event-source.js';
import { emulatorClientConfig, startAwsEmulator, type AwsEmulator, type RequestLogEntry } from '../../support/aws-emulator/index.js';
import { lfvRecord } from '../../support/lfv-record.js';

// Nothing in these tests may reach instance metadata.
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

export const SECOND = 1000;
export const HOUR = 3_600_000;

/** A window of whole seconds that ended an hour ago: inside the emulator's 90 days of event history. */
export function recentWindow(hours = 1): TimeWindow {
  const end = Math.floor((Date.now() - HOUR) / SECOND) * SECOND;
  return { start: new Date(end - hours * HOUR), end: new Date(end) };
}

/** `2025-10-01T09:00:00Z`: CloudTrail writes whole seconds. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `count` Lookout for Vision records in `region`, one a second from `firstMs`, with eventIDs `<region>-0000`, `<region>-0001`, … */
export function lfvEvents(
  count: number,
  options: { readonly region?: string; readonly firstMs: number; readonly fields?: Readonly<Record<string, unknown>> },
): CloudTrailRecord[] {
  const region = options.region ?? 'us-east-1';
  return Array.from({ length: count }, (_, index) =>
    lfvRecord({
      eventID: `${region}-${String(index).padStart(4, '0')}`,
      eventTime: eventTime(options.firstMs + index * SECOND),
      awsRegion: region,
      ...options.fields,
    }),
  );
}

/** An emulator holding these records, closed when the test ends. */
export async function emulatorWith(t: ExecutionContext, records: Iterable<CloudTrailRecord>): Promise<AwsEmulator> {
  const emulator = await startAwsEmulator();
  t.teardown(() => emulator.close());
  emulator.state.cloudTrail.load(records);
  return emulator;
}

/**
 * A source reading from the emulator with the real SDK client lfvaudit builds (createCloudTrailClient),
 * given the emulator's endpoint and keys explicitly; its retries wait 10-40 ms so fault tests stay
 * fast. Pacing is the product's default unless the options say otherwise.
 */
export function emulatorSource(
  emulator: AwsEmulator,
  options: CloudTrailSourceOptions & { readonly timeoutMs?: number; readonly retry?: RetryOptions } = {},
): CloudTrailSource {
  const { timeoutMs, retry, ...sourceOptions } = options;
  return new CloudTrailSource({
    regions: ['us-east-1'],
    clientFor: (region) =>
      createCloudTrailClient(region, {
        ...emulatorClientConfig(emulator, region === undefined ? {} : { region }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        retry: { baseDelayMs: 20, maxDelayMs: 40, ...retry },
      }),
    ...sourceOptions,
  });
}

export async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const collected: SourceItem[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

export function recordsOf(items: readonly SourceItem[]): CloudTrailRecord[] {
  return items.flatMap((item) => (item.kind === 'records' ? item.records : []));
}

export function eventIdsOf(items: readonly SourceItem[]): string[] {
  return recordsOf(items).map((record) => String(record['eventID']));
}

export function itemsOfKind<K extends SourceItem['kind']>(items: readonly SourceItem[], kind: K): Extract<SourceItem, { kind: K }>[] {
  return items.filter((item): item is Extract<SourceItem, { kind: K }> => item.kind === kind);
}

/** The LookupEvents requests the emulator received, optionally for one region only. */
export function lookupRequests(emulator: AwsEmulator, region?: string): RequestLogEntry[] {
  return emulator.state.requestLog.filter((entry) => entry.operation === 'LookupEvents' && (region === undefined || entry.region === region));
}

/** A real sleep that also records every wait asked for, in order. */
export function recordingSleep(): { readonly waits: number[]; readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms, signal) => {
      waits.push(ms);
      await delay(ms, undefined, signal === undefined ? {} : { signal });
    },
  };
}
