import type { AwsSecurityFinding, AwsSecurityFindingFilters, BatchImportFindingsCommandOutput, GetFindingsCommandOutput, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { setTimeout as delay } from 'node:timers/promises';
import { securityHubSdk } from '../aws/sdk.js';
import { backoffDelayMs, describeAttemptError, isRetryableError } from '../aws/retry.js';
import { securityHubRetryPolicy, type SecurityHubRetryPolicy } from '../aws/securityhub-retry.js';
import { paceEveryAttempt, SECURITY_HUB_RATES, TokenBucket, type TokenRate } from '../aws/token-bucket.js';

export interface SecurityHubFindingsApiOptions {
  /** Default: SECURITY_HUB_RATES. */
  readonly rates?: Partial<Record<keyof typeof SECURITY_HUB_RATES, TokenRate>>;
  readonly retry?: Partial<SecurityHubRetryPolicy>;
  /** Waits for pacing and backoff; rejects when the signal aborts. Default: real time. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic milliseconds for the token buckets. Default: performance.now. */
  readonly now?: () => number;
  /** Backoff jitter in [0, 1). */
  readonly random?: () => number;
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
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`${operation} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describeAttemptError(cause)}`);
  }
}

/**
 * The Security Hub calls lfvaudit makes, for one account and region (one client): each HTTP attempt
 * paced by that operation's token bucket, transient failures (throttling, 5xx, timeouts, dropped
 * connections) retried with backoff. Keep one instance per client: two would pace side by side and
 * together exceed the limits.
 */
export class SecurityHubFindingsApi {
  readonly #client: SecurityHubClient;
  readonly #importBucket: TokenBucket;
  readonly #getBucket: TokenBucket;
  readonly #retry: SecurityHubRetryPolicy;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #signal: AbortSignal | undefined;

  constructor(client: SecurityHubClient, options: SecurityHubFindingsApiOptions = {}) {
    this.#client = client;
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
    const clock = { now: options.now ?? (() => performance.now()), sleep: this.#sleep };
    this.#importBucket = new TokenBucket(options.rates?.batchImportFindings ?? SECURITY_HUB_RATES.batchImportFindings, clock);
    this.#getBucket = new TokenBucket(options.rates?.getFindings ?? SECURITY_HUB_RATES.getFindings, clock);
    this.#retry = securityHubRetryPolicy(options.retry);
    this.#random = options.random ?? Math.random;
    this.#signal = options.signal;
  }

  get retryPolicy(): SecurityHubRetryPolicy {
    return this.#retry;
  }

  /** The signal that stops this API's calls and waits, if any: longer waits of its callers heed it too. */
  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  /** Waits as the retry policy says before retry number `retry`. */
  backoff(retry: number): Promise<void> {
    return this.#sleep(backoffDelayMs(retry, this.#retry, this.#random), this.#signal);
  }

  /** One BatchImportFindings call (1–100 findings, ≤ 6 MB). FailedFindings in the answer are the caller's to handle. */
  importBatch(findings: readonly AwsSecurityFinding[]): Promise<BatchImportFindingsCommandOutput> {
    return this.#withRetries('BatchImportFindings', () => {
      const command = new (securityHubSdk().BatchImportFindingsCommand)({ Findings: [...findings] });
      paceEveryAttempt(command.middlewareStack, this.#importBucket, this.#signal);
      return this.#client.send(command, this.#sendOptions());
    });
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
    return this.#withRetries('GetFindings', () => {
      const command = new (securityHubSdk().GetFindingsCommand)({ Filters: filters, MaxResults: MAX_RESULTS, ...(nextToken === undefined ? {} : { NextToken: nextToken }) });
      paceEveryAttempt(command.middlewareStack, this.#getBucket, this.#signal);
      return this.#client.send(command, this.#sendOptions());
    });
  }

  async #withRetries<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    for (let attempts = 1; ; attempts += 1) {
      try {
        return await attempt();
      } catch (error) {
        this.#signal?.throwIfAborted();
        if (attempts >= this.#retry.maxAttempts || !isRetryableError(error)) throw new SecurityHubCallError(operation, attempts, error);
        await this.backoff(attempts);
      }
    }
  }

  #sendOptions(): { abortSignal?: AbortSignal } {
    return this.#signal === undefined ? {} : { abortSignal: this.#signal };
  }
}
