import type { CloudTrailClient, LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { setTimeout as delay } from 'node:timers/promises';
import { cloudTrailSdk } from '../../aws/sdk.js';
import { attemptsMade, describeAttemptError } from '../../aws/retry.js';
import { createCloudTrailClient } from '../../aws/cloudtrail-client.js';
import type { EventSource, SourceItem, TimeWindow } from '../event-source.js';
import { lookupEventsPageItems } from './lookup-events-page.js';
import { mergeAsyncIterables } from '../merge-async-iterables.js';
import { paceEveryAttempt, RequestPacer, type RequestPace } from '../../aws/request-pacer.js';
import { LOOKOUT_FOR_VISION_EVENT_SOURCE } from '../../ruleset/event-catalog.js';

/**
 * LookupEvents allows 2 calls per second per account and region, not raisable
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html). The pacer
 * counts from each attempt's end, so no margin is needed for delays on the way.
 */
export const LOOKUP_EVENTS_PACE: RequestPace = { requests: 2, windowMs: 1000 };

/** 500,000 events per region and window, over an hour and a half of paging: far beyond a day of Lookout for Vision calls. */
export const DEFAULT_MAX_PAGES = 10_000;

/** LookupEvents' largest page. */
const MAX_RESULTS = 50;

/** Event history covers the last 90 days (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html). */
const EVENT_HISTORY_MS = 90 * 24 * 60 * 60 * 1000;

const SOURCE_ORIGIN = 'cloudtrail';

export interface CloudTrailSourceOptions {
  /** Regions read side by side, each paced on its own. Default: the SDK's region (AWS_REGION, the profile's region). */
  readonly regions?: readonly string[];
  /**
   * The client for a region; `undefined` asks for the SDK's default region. Default:
   * createCloudTrailClient, which retries by lfvaudit's policy and whose timeouts throw. Every attempt
   * is paced, the client's retries included.
   */
  readonly clientFor?: (region: string | undefined) => CloudTrailClient;
  /** The LookupEvents EventSource attribute. Default: Lookout for Vision's. */
  readonly eventSource?: string;
  /** LookupEvents attempts allowed per region. Default: LOOKUP_EVENTS_PACE, 2 in any second. */
  readonly pace?: RequestPace;
  /** Pages read per region and window at most; a longer listing is reported unreadable. Default 10,000. */
  readonly maxPages?: number;
  /** Wall-clock time, to tell when a window reaches past the 90 days of event history. */
  readonly now?: () => Date;
  /** Waits for pacing; rejects when the signal aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A region being read: its client, and its pacer, kept across reads so back-to-back windows stay under the limit too. */
interface RegionReader {
  readonly region: string;
  readonly client: CloudTrailClient;
  readonly pacer: RequestPacer;
}

type PageFetch = { readonly ok: true; readonly output: LookupEventsCommandOutput } | { readonly ok: false; readonly error: unknown };

/**
 * Lookout for Vision events from CloudTrail event history (LookupEvents), per region, over the run's
 * window: pages of 50 following NextToken, every HTTP attempt paced under the documented rate, transient
 * failures retried by the client. A region that could not be read to the end yields what it read and
 * then an unreadable item, so the run is incomplete (exit 2) and its window is not marked done.
 * A region holds at most one page in memory: its next page is fetched only when the consumer asks.
 *
 * LookupEvents' EndTime is inclusive and its times are whole seconds, while the window is half-open:
 * the source asks for the window widened to whole seconds (start rounded down, end rounded up) and
 * relies on the audit's window filter on eventTime (src/audit/run-audit.ts) to drop what falls outside, such
 * as events at exactly the window's end, which the next window reads.
 */
export class CloudTrailSource implements EventSource {
  readonly description: string;
  private readonly regions: readonly string[] | undefined;
  private readonly clientFor: (region: string | undefined) => CloudTrailClient;
  private readonly eventSource: string;
  private readonly pace: RequestPace;
  private readonly maxPages: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readers: readonly RegionReader[] | undefined;

  constructor(options: CloudTrailSourceOptions = {}) {
    // The same region twice would get two pacers and twice the allowed rate.
    const regions = options.regions === undefined ? [] : [...new Set(options.regions)];
    if (regions.some((region) => region.trim() === '')) throw new RangeError('a CloudTrail region must not be empty');
    this.regions = regions.length === 0 ? undefined : regions;
    this.description = this.regions === undefined ? SOURCE_ORIGIN : `${SOURCE_ORIGIN}:${this.regions.join(',')}`;
    this.clientFor = options.clientFor ?? ((region) => createCloudTrailClient(region));
    this.eventSource = options.eventSource ?? LOOKOUT_FOR_VISION_EVENT_SOURCE;
    this.pace = options.pace ?? LOOKUP_EVENTS_PACE;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    if (!Number.isInteger(this.maxPages) || this.maxPages < 1) throw new RangeError(`maxPages must be a whole number ≥ 1, got ${this.maxPages}`);
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
  }

  async *read(window: TimeWindow | undefined, signal?: AbortSignal): AsyncIterable<SourceItem> {
    if (window === undefined) {
      yield {
        kind: 'unreadable',
        origin: SOURCE_ORIGIN,
        reason: 'LookupEvents needs a time window (StartTime and EndTime): give --since and --until, or let the state file set it',
      };
      return;
    }
    // An empty window (a scheduled run with nothing new to audit) holds no event: nothing to ask.
    if (window.start.getTime() >= window.end.getTime()) return;
    const readers = await this.regionReaders();
    if (typeof readers === 'string') {
      yield { kind: 'unreadable', origin: SOURCE_ORIGIN, reason: readers };
      return;
    }
    const horizon = this.historyHorizonNotice(window);
    if (horizon !== undefined) yield horizon;
    yield* mergeAsyncIterables(readers.map((reader) => this.readRegion(reader, window, signal)));
  }

  /** The configured regions' readers, or the SDK's default region's; a reason when there is no region at all. */
  private async regionReaders(): Promise<readonly RegionReader[] | string> {
    if (this.readers !== undefined) return this.readers;
    if (this.regions !== undefined) {
      this.readers = this.regions.map((region) => this.regionReader(region, this.clientFor(region)));
      return this.readers;
    }
    const client = this.clientFor(undefined);
    let region: string;
    try {
      region = await client.config.region();
    } catch (error) {
      client.destroy();
      const detail = error instanceof Error ? ` (${error.message})` : '';
      return `no AWS region${detail}: list regions in the cloudtrail source (--source cloudtrail:us-east-1,eu-west-1), or set AWS_REGION or a region in the AWS profile`;
    }
    this.readers = [this.regionReader(region, client)];
    return this.readers;
  }

  private regionReader(region: string, client: CloudTrailClient): RegionReader {
    return { region, client, pacer: new RequestPacer(this.pace, { now: () => performance.now(), sleep: (ms, signal) => this.pause(ms, signal) }) };
  }

  private async *readRegion(reader: RegionReader, window: TimeWindow, signal: AbortSignal | undefined): AsyncGenerator<SourceItem> {
    const origin = `${SOURCE_ORIGIN}:${reader.region}`;
    const query = this.lookupQuery(window);
    // Every token seen, not just the last: a server that cycles through tokens would otherwise be followed forever.
    const tokensSeen = new Set<string>();
    let nextToken: string | undefined;
    let events = 0;
    for (let page = 1; ; page += 1) {
      if (page > this.maxPages) {
        yield {
          kind: 'unreadable',
          origin,
          reason: `stopped after ${this.maxPages} pages (${events} events) with more to read: the window was not read to its end`,
        };
        return;
      }
      const fetched = await this.fetchPage(reader, nextToken === undefined ? query : { ...query, NextToken: nextToken }, signal);
      if (!fetched.ok) {
        yield {
          kind: 'unreadable',
          origin,
          reason: `LookupEvents page ${page} failed after ${attemptsMade(fetched.error)} (${events} events read before it): ${describeAttemptError(fetched.error)}`,
        };
        return;
      }
      const pageEvents = fetched.output.Events ?? [];
      events += pageEvents.length;
      yield* lookupEventsPageItems(pageEvents, origin, page);
      const token = fetched.output.NextToken;
      if (token === undefined || token === '') break;
      if (tokensSeen.has(token)) {
        yield {
          kind: 'unreadable',
          origin,
          reason: `LookupEvents page ${page} returned a NextToken it had returned before: stopped rather than loop (${events} events read), the window was not read to its end`,
        };
        return;
      }
      tokensSeen.add(token);
      nextToken = token;
    }
    if (events === 0) yield { kind: 'notice', origin, message: this.noEventsMessage(reader.region, window) };
  }

  private lookupQuery(window: TimeWindow): LookupEventsCommandInput {
    return {
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: this.eventSource }],
      StartTime: new Date(Math.floor(window.start.getTime() / 1000) * 1000),
      EndTime: new Date(Math.ceil(window.end.getTime() / 1000) * 1000),
      MaxResults: MAX_RESULTS,
    };
  }

  /** One page, every attempt paced. An abort is thrown as the signal's reason: the caller asked to stop, nothing failed. */
  private async fetchPage(reader: RegionReader, input: LookupEventsCommandInput, signal: AbortSignal | undefined): Promise<PageFetch> {
    const command = new (cloudTrailSdk().LookupEventsCommand)(input);
    paceEveryAttempt(command, reader.pacer, signal);
    try {
      return { ok: true, output: await reader.client.send(command, signal === undefined ? {} : { abortSignal: signal }) };
    } catch (error) {
      signal?.throwIfAborted();
      return { ok: false, error };
    }
  }

  /** The injected sleep, rejecting with the signal's reason when aborted (timers reject with their own AbortError). */
  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.sleep(ms, signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw error;
    }
  }

  private noEventsMessage(region: string, window: TimeWindow): string {
    const found = `no ${this.eventSource} events in ${region} event history from ${window.start.toISOString()} to ${window.end.toISOString()}`;
    if (this.eventSource !== LOOKOUT_FOR_VISION_EVENT_SOURCE) return `${found}.`;
    return (
      `${found}: this is not a clean audit. Amazon Lookout for Vision reached end of support on 31 October 2025 ` +
      `and LookupEvents only reaches back 90 days, so recent windows hold no events; ` +
      `audit the trail's archived logs in S3 instead (--source s3://BUCKET/PREFIX).`
    );
  }

  /** A window that starts before the 90 days LookupEvents keeps cannot be read whole from it. */
  private historyHorizonNotice(window: TimeWindow): SourceItem | undefined {
    const horizon = this.now().getTime() - EVENT_HISTORY_MS;
    if (window.start.getTime() >= horizon) return undefined;
    const oldest = new Date(horizon).toISOString();
    return {
      kind: 'notice',
      origin: SOURCE_ORIGIN,
      message:
        `the window starts at ${window.start.toISOString()}, but CloudTrail event history only keeps the last 90 days (since ${oldest}): ` +
        `events before then cannot be read with LookupEvents; audit the trail's archived logs in S3 for them (--source s3://BUCKET/PREFIX).`,
    };
  }
}
