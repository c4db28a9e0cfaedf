import type {
  AwsSecurityFinding,
  AwsSecurityFindingFilters,
  BatchImportFindingsCommandOutput,
  GetFindingsCommandOutput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
// Types only, erased at runtime: @smithy/types is the SDK's own type package, installed with every client.
import type { RetryStrategyV2 } from '@smithy/types';
import { setTimeout as delay } from 'node:timers/promises';
import { securityHubSdk } from '../aws/sdk.js';
import { describeFailedCall } from '../aws/retry.js';
import { paceEveryAttempt, RequestPacer, type RequestPace } from '../aws/request-pacer.js';

/**
 * Security Hub's documented limits per account and region are BatchImportFindings 10 requests a second
 * with bursts of 30, GetFindings 3 with bursts of 6
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-limits.html). The paces keep
 * the rates with smaller bursts (a pace of N per W ms is within a bucket when N ≤ burst and N / W ≤
 * rate, see RequestPacer): the burst left over is for a neighbour's calls in the same account.
 */
export const SECURITY_HUB_PACES = {
  batchImportFindings: { requests: 20, windowMs: 2000 },
  getFindings: { requests: 3, windowMs: 1000 },
} as const satisfies Record<string, RequestPace>;

export interface SecurityHubFindingsApiOptions {
  /** Default: SECURITY_HUB_PACES. */
  readonly paces?: Partial<Record<keyof typeof SECURITY_HUB_PACES, RequestPace>>;
  /** Waits for pacing; rejects when the signal aborts. Default: real time. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic milliseconds for the pacers. Default: performance.now. */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/** GetFindings takes at most 20 values per filter field (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html). */
export const MAX_FILTER_VALUES = 20;
const MAX_RESULTS = 100;

/** A call that still failed when retries ran out, or failed in a way retrying cannot fix. */
export class SecurityHubCallError extends Error {
  override readonly name = 'SecurityHubCallError';

  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} ${describeFailedCall(cause)}`);
  }
}

/**
 * The Security Hub calls lfvaudit makes, for one account and region (one client): each HTTP attempt
 * paced by that operation's pacer, the client's retries included. Keep one instance per client: two
 * would pace side by side and together exceed the limits.
 */
export class SecurityHubFindingsApi {
  readonly #client: SecurityHubClient;
  readonly #importPacer: RequestPacer;
  readonly #getPacer: RequestPacer;
  readonly #signal: AbortSignal | undefined;

  constructor(client: SecurityHubClient, options: SecurityHubFindingsApiOptions = {}) {
    this.#client = client;
    const clock = {
      now: options.now ?? (() => performance.now()),
      sleep: options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal === undefined ? {} : { signal })),
    };
    this.#importPacer = new RequestPacer(options.paces?.batchImportFindings ?? SECURITY_HUB_PACES.batchImportFindings, clock);
    this.#getPacer = new RequestPacer(options.paces?.getFindings ?? SECURITY_HUB_PACES.getFindings, clock);
    this.#signal = options.signal;
  }

  /** The client's retry strategy, which also decides when findings answered as failed are sent again. */
  async retryStrategy(): Promise<RetryStrategyV2> {
    const strategy = await this.#client.config.retryStrategy();
    if (!('refreshRetryTokenForRetry' in strategy))
      throw new TypeError("the Security Hub client needs a retry strategy of the SDK's current kind (RetryStrategyV2)");
    return strategy;
  }

  /** The signal the calls stop on. */
  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  /** One BatchImportFindings call (1–100 findings, ≤ 6 MB). FailedFindings in the answer are the caller's to handle. */
  importBatch(findings: readonly AwsSecurityFinding[]): Promise<BatchImportFindingsCommandOutput> {
    const command = new (securityHubSdk().BatchImportFindingsCommand)({ Findings: [...findings] });
    paceEveryAttempt(command, this.#importPacer, this.#signal);
    return this.#send('BatchImportFindings', () => this.#client.send(command, this.#sendOptions()));
  }

  /** Every finding the filters match, page by page (100 a page), following NextToken. */
  async *findings(filters: AwsSecurityFindingFilters): AsyncGenerator<AwsSecurityFinding[]> {
    // Every token seen, not just the last: a server that hands a token back would otherwise be followed forever.
    const tokensSeen = new Set<string>();
    let nextToken: string | undefined;
    for (;;) {
      const page = await this.#getFindings(filters, nextToken);
      yield page.Findings ?? [];
      const token = page.NextToken;
      if (token === undefined || token === '') return;
      if (tokensSeen.has(token)) throw new Error('GetFindings returned a NextToken it had returned before: stopped rather than loop');
      tokensSeen.add(token);
      nextToken = token;
    }
  }

  /** The findings of a product with these Ids, in calls of 20 Ids (GetFindings' limit of values per filter). */
  async findingsByIds(productArn: string, ids: readonly string[]): Promise<AwsSecurityFinding[]> {
    const found: AwsSecurityFinding[] = [];
    const distinct = [...new Set(ids)];
    for (let start = 0; start < distinct.length; start += MAX_FILTER_VALUES) {
      const filters: AwsSecurityFindingFilters = {
        ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
        Id: distinct.slice(start, start + MAX_FILTER_VALUES).map((id) => ({ Value: id, Comparison: 'EQUALS' })),
      };
      for await (const page of this.findings(filters)) found.push(...page);
    }
    return found;
  }

  #getFindings(filters: AwsSecurityFindingFilters, nextToken: string | undefined): Promise<GetFindingsCommandOutput> {
    const command = new (securityHubSdk().GetFindingsCommand)({
      Filters: filters,
      MaxResults: MAX_RESULTS,
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    });
    paceEveryAttempt(command, this.#getPacer, this.#signal);
    return this.#send('GetFindings', () => this.#client.send(command, this.#sendOptions()));
  }

  /** The call's answer; a call that failed after the client's retries is a SecurityHubCallError, an abort the signal's reason. */
  async #send<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      this.#signal?.throwIfAborted();
      throw new SecurityHubCallError(operation, error);
    }
  }

  #sendOptions(): { abortSignal?: AbortSignal } {
    return this.#signal === undefined ? {} : { abortSignal: this.#signal };
  }
}
