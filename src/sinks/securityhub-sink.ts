import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AuditSummary } from './audit-summary.js';
import type { FindingRule } from '../findings/asff-finding.js';
import { planFindingImport, type FindingImportPlan } from '../merge/merge-findings.js';
import type { FindingSink, SinkOutcome } from './finding-sink.js';
import { SecurityHubFindingsApi, type SecurityHubFindingsApiOptions } from '../securityhub/api.js';
import { createSecurityHubClient, createStsClient } from '../aws/securityhub-clients.js';
import { renderFindingsDiff } from '../securityhub/diff-text.js';
import type { ImportFailure } from '../securityhub/import.js';
import { DEFAULT_IMPORT_GUARD, importVerified, type ImportGuard } from '../securityhub/verified-import.js';
import { assumedSecurityHubClient, roleArnFor } from '../aws/assume-role.js';
import type { RetryOptions } from '../aws/retry-strategy.js';
import { productArnOf, resolveProductScope, type ProductScope } from '../securityhub/scope.js';

export interface SecurityHubSinkOptions {
  /** The receiving Security Hub's region. Default: the SDK's (AWS_REGION, the profile). */
  readonly region?: string;
  /** The receiving account, for ProductArn. Default: STS GetCallerIdentity's. */
  readonly accountId?: string;
  /**
   * A role ARN with `{accountId}` (`arn:aws:iam::{accountId}:role/lfvaudit-import`): findings of other
   * accounts than the receiving one are imported into their own account's Security Hub through this role.
   * Without it they are sent to the receiving account, which refuses them (the run exits 2).
   */
  readonly assumeRole?: string;
  /** The run's rules: a merged finding is rendered again with its rule's title, text and severity. */
  readonly rules: readonly FindingRule[];
  /** UpdatedAt of the imports. */
  readonly now: () => Date;
  /** When set, `write` imports nothing and writes what it would do here instead (`lfvaudit run --dry-run`). */
  readonly dryRun?: { readonly out: { write(text: string): unknown }; readonly format: 'table' | 'json'; readonly columns: number };
  /** Clients to use instead of the SDK's standard chain; the sink leaves clients it did not create open. */
  readonly clients?: { readonly securityHub: SecurityHubClient; readonly sts?: STSClient };
  /** Pacing and its clock, for tests. */
  readonly api?: SecurityHubFindingsApiOptions;
  /** Retries of the clients the sink makes itself (given clients keep their own), for tests. Default: DEFAULT_RETRY_POLICY. */
  readonly retry?: RetryOptions;
  /** How imports check, after a settle period, that concurrent importers left their evidence. Default: DEFAULT_IMPORT_GUARD. */
  readonly guard?: Partial<ImportGuard>;
}

/** What a run would do: the receiving Security Hub and the plan against what it holds now. */
export interface SecurityHubPlan {
  readonly scope: ProductScope;
  readonly plan: FindingImportPlan;
}

/** Findings that were finally not imported: the run exits 2 and does not mark its window done. */
export class SecurityHubImportError extends Error {
  override readonly name = 'SecurityHubImportError';

  constructor(
    readonly scope: ProductScope,
    readonly failures: readonly ImportFailure[],
    readonly attempted: number,
    /** Findings for other accounts than the scope's among those attempted. */
    otherAccounts: readonly string[] = [],
  ) {
    super(describeFailures(scope, failures, attempted) + otherAccountsHint(scope, otherAccounts));
  }
}

const FAILURES_LISTED = 20;

/**
 * Writes findings to AWS Security Hub so that runs merge rather than overwrite: the findings Security
 * Hub already holds with the run's Ids are read back (GetFindings, 20 Ids a call), each run finding is
 * joined with its stored one (docs/findings-lifecycle.md), and only findings that change are imported
 * (BatchImportFindings), with a later UpdatedAt, batch by batch; after a settle period the run checks
 * that Security Hub still holds its evidence, and merges and imports again what a concurrent importer
 * overwrote (src/securityhub/verified-import.ts). Every call is paced and retried; a finding that is finally
 * not imported, or still overwritten after the last round, makes `write` throw, after all the others were sent.
 */
export class SecurityHubSink implements FindingSink {
  readonly description: string;
  readonly #options: SecurityHubSinkOptions;
  readonly #rules: ReadonlyMap<string, FindingRule>;

  constructor(options: SecurityHubSinkOptions) {
    this.#options = options;
    this.#rules = new Map(options.rules.map((rule) => [rule.id, rule]));
    this.description = `securityhub${options.region === undefined ? '' : `:${options.region}`}`;
  }

  async write(given: Iterable<AwsSecurityFinding>, _summary: AuditSummary): Promise<SinkOutcome | undefined> {
    // Held whole: the findings Security Hub stores under the same Ids are read back and merged with them.
    const findings = Array.isArray(given) ? (given as readonly AwsSecurityFinding[]) : [...given];
    if (findings.length === 0 && this.#options.dryRun === undefined) return { created: 0, updated: 0, unchanged: 0 };
    return this.#withApi(async (api, scope, assumed) => {
      const template = this.#options.assumeRole;
      if (template === undefined) return this.#writeInto(api, scope, findings);
      // Each account's findings go to its own Security Hub; an account that fails does not stop the others.
      const outcome = { created: 0, updated: 0, unchanged: 0, reimported: 0, lowerBound: 0 };
      const failures: Error[] = [];
      for (const [accountId, accountFindings] of findingsByAccount(findings, scope.accountId)) {
        try {
          const written =
            accountId === scope.accountId
              ? await this.#writeInto(api, scope, accountFindings)
              : await assumed(roleArnFor(template, accountId), accountId, (memberApi, memberScope) => this.#writeInto(memberApi, memberScope, accountFindings));
          outcome.created += written?.created ?? 0;
          outcome.updated += written?.updated ?? 0;
          outcome.unchanged += written?.unchanged ?? 0;
          outcome.reimported += written?.reimported ?? 0;
          outcome.lowerBound += written?.lowerBound ?? 0;
        } catch (error) {
          failures.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      const [onlyFailure] = failures;
      if (failures.length === 1 && onlyFailure !== undefined) throw onlyFailure;
      if (failures.length > 1) throw new Error(failures.map((failure) => failure.message).join('\n'));
      return this.#options.dryRun === undefined ? outcome : undefined;
    });
  }

  /** Plans and imports findings into one account's Security Hub (or shows the plan, on a dry run). */
  async #writeInto(api: SecurityHubFindingsApi, scope: ProductScope, findings: readonly AwsSecurityFinding[]): Promise<SinkOutcome | undefined> {
    const dryRun = this.#options.dryRun;
    if (dryRun !== undefined) {
      const { plan } = await this.#plan(api, scope, findings);
      dryRun.out.write(renderFindingsDiff(plan.diff, { format: dryRun.format, columns: dryRun.columns, scope }));
      return undefined;
    }
    const guard = { ...DEFAULT_IMPORT_GUARD, ...this.#options.guard };
    const outcome = await importVerified(
      api,
      scope.productArn,
      findings,
      (fresh, stored) => this.#planOf(scope, fresh, stored),
      guard,
      `Security Hub ${scope.region} (account ${scope.accountId})`,
    );
    if (outcome.failures.length > 0) throw new SecurityHubImportError(scope, outcome.failures, outcome.attempted, otherAccountsOf(findings, scope.accountId));
    const { created, updated, unchanged, reimported, lowerBound } = outcome;
    return { created, updated, unchanged, reimported, lowerBound };
  }

  /** What `write` would import, and the difference against what Security Hub holds now; imports nothing. */
  plan(findings: readonly AwsSecurityFinding[]): Promise<SecurityHubPlan> {
    return this.#withApi((api, scope) => this.#plan(api, scope, findings));
  }

  async #plan(api: SecurityHubFindingsApi, scope: ProductScope, findings: readonly AwsSecurityFinding[]): Promise<SecurityHubPlan> {
    const ids = findings.flatMap((finding) => (typeof finding.Id === 'string' ? [finding.Id] : []));
    const stored = ids.length === 0 ? [] : await api.findingsByIds(scope.productArn, ids);
    return { scope, plan: this.#planOf(scope, findings, stored) };
  }

  #planOf(scope: ProductScope, fresh: readonly AwsSecurityFinding[], stored: readonly AwsSecurityFinding[]): FindingImportPlan {
    return planFindingImport({
      fresh,
      stored,
      rules: this.#rules,
      context: { productAccountId: scope.accountId, productRegion: scope.region, now: this.#options.now() },
    });
  }

  /**
   * Runs `work` with clients for this sink, closing those it created itself. `assumed` runs work in
   * another account, through a role assumed with the sink's own credentials.
   */
  async #withApi<T>(work: (api: SecurityHubFindingsApi, scope: ProductScope, assumed: AssumedWork) => Promise<T>): Promise<T> {
    const given = this.#options.clients;
    const retry = this.#options.retry;
    const securityHub = given?.securityHub ?? createSecurityHubClient(this.#options.region, retry === undefined ? {} : { retry });
    let sts: STSClient | undefined;
    const stsClient = (): STSClient => (sts ??= given?.sts ?? createStsClient(this.#options.region, retry));
    try {
      const scope = await resolveProductScope({
        securityHub,
        sts: stsClient,
        ...(this.#options.accountId === undefined ? {} : { accountId: this.#options.accountId }),
      });
      const assumed: AssumedWork = async (roleArn, accountId, accountWork) => {
        const client = await assumedSecurityHubClient(stsClient(), roleArn, scope.region, retry);
        try {
          return await accountWork(new SecurityHubFindingsApi(client, this.#options.api), {
            accountId,
            region: scope.region,
            productArn: productArnOf(accountId, scope.region),
          });
        } finally {
          client.destroy();
        }
      };
      return await work(new SecurityHubFindingsApi(securityHub, this.#options.api), scope, assumed);
    } finally {
      if (given === undefined) securityHub.destroy();
      if (sts !== undefined && given?.sts === undefined) sts.destroy();
    }
  }
}

type AssumedWork = <T>(roleArn: string, accountId: string, work: (api: SecurityHubFindingsApi, scope: ProductScope) => Promise<T>) => Promise<T>;

/** Findings per AwsAccountId, the receiving account first, then the others in order of first appearance. */
function findingsByAccount(findings: readonly AwsSecurityFinding[], home: string): Map<string, AwsSecurityFinding[]> {
  const byAccount = new Map<string, AwsSecurityFinding[]>([[home, []]]);
  for (const finding of findings) {
    const account = finding.AwsAccountId ?? home;
    const list = byAccount.get(account);
    if (list === undefined) byAccount.set(account, [finding]);
    else list.push(finding);
  }
  if (byAccount.get(home)?.length === 0) byAccount.delete(home);
  return byAccount;
}

function otherAccountsOf(findings: readonly AwsSecurityFinding[], home: string): string[] {
  return [
    ...new Set(findings.flatMap((finding) => (finding.AwsAccountId !== undefined && finding.AwsAccountId !== home ? [finding.AwsAccountId] : []))),
  ].sort();
}

/** Why findings of other accounts fail, and the way out. */
function otherAccountsHint(scope: ProductScope, accounts: readonly string[]): string {
  if (accounts.length === 0) return '';
  return (
    `\n  ${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}: Security Hub takes findings only from the account they are for, not from ${scope.accountId}; ` +
    'set securityHub.assumeRole (e.g. arn:aws:iam::{accountId}:role/lfvaudit-import) to import them into their own accounts (docs/deploy.md)'
  );
}

function describeFailures(scope: ProductScope, failures: readonly ImportFailure[], attempted: number): string {
  const lines = failures
    .slice(0, FAILURES_LISTED)
    .map(
      (failure) => `  ${failure.ruleId ?? '(no rule)'} ${failure.id}: ${failure.errorCode}${failure.errorMessage === '' ? '' : `: ${failure.errorMessage}`}`,
    );
  if (failures.length > FAILURES_LISTED) lines.push(`  and ${failures.length - FAILURES_LISTED} more`);
  return [`${failures.length} of ${attempted} findings were not imported into Security Hub ${scope.region} (account ${scope.accountId}):`, ...lines].join('\n');
}
