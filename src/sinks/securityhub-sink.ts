import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AuditSummary } from '../audit-summary.js';
import type { FindingRule } from '../findings/asff-finding.js';
import { planFindingImport, type FindingImportPlan } from '../findings/finding-merge.js';
import type { FindingSink, SinkOutcome } from './finding-sink.js';
import { SecurityHubFindingsApi, type SecurityHubFindingsApiOptions } from './securityhub-api.js';
import { createSecurityHubClient, createStsClient } from './securityhub-clients.js';
import { renderFindingsDiff } from './securityhub-diff-text.js';
import { importFindings, type ImportFailure } from './securityhub-import.js';
import { resolveProductScope, type ProductScope } from './securityhub-scope.js';

export interface SecurityHubSinkOptions {
  /** The receiving Security Hub's region. Default: the SDK's (AWS_REGION, the profile). */
  readonly region?: string;
  /** The receiving account, for ProductArn. Default: STS GetCallerIdentity's. */
  readonly accountId?: string;
  /** The run's rules: a merged finding is rendered again with its rule's title, text and severity. */
  readonly rules: readonly FindingRule[];
  /** UpdatedAt of the imports. */
  readonly now: () => Date;
  /** When set, `write` imports nothing and writes what it would do here instead (`lfvaudit run --dry-run`). */
  readonly dryRun?: { readonly out: { write(text: string): unknown }; readonly format: 'table' | 'json'; readonly columns: number };
  /** Clients to use instead of the SDK's standard chain; the sink leaves clients it did not create open. */
  readonly clients?: { readonly securityHub: SecurityHubClient; readonly sts?: STSClient };
  /** Pacing, retries and their clock, for tests. */
  readonly api?: SecurityHubFindingsApiOptions;
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
  ) {
    super(describeFailures(scope, failures, attempted));
  }
}

const FAILURES_LISTED = 20;

/**
 * Writes findings to AWS Security Hub so that runs merge rather than overwrite: the findings Security
 * Hub already holds with the run's Ids are read back (GetFindings, 20 Ids a call), each run finding is
 * joined with its stored one (docs/findings-lifecycle.md), and only findings that change are imported
 * (BatchImportFindings), with a later UpdatedAt. Every call is paced and retried; a finding that is
 * finally not imported makes `write` throw, after all the others were sent.
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

  async write(findings: readonly AwsSecurityFinding[], _summary: AuditSummary): Promise<SinkOutcome | undefined> {
    if (findings.length === 0 && this.#options.dryRun === undefined) return { created: 0, updated: 0, unchanged: 0 };
    return this.#withApi(async (api, scope) => {
      const { plan } = await this.#plan(api, scope, findings);
      const dryRun = this.#options.dryRun;
      if (dryRun !== undefined) {
        dryRun.out.write(renderFindingsDiff(plan.diff, { format: dryRun.format, columns: dryRun.columns, scope }));
        return undefined;
      }
      const outcome = await importFindings(api, plan.toImport);
      if (outcome.failures.length > 0) throw new SecurityHubImportError(scope, outcome.failures, plan.toImport.length);
      return { created: plan.diff.create.length, updated: plan.diff.update.length, unchanged: plan.diff.unchanged.length };
    });
  }

  /** What `write` would import, and the difference against what Security Hub holds now; imports nothing. */
  plan(findings: readonly AwsSecurityFinding[]): Promise<SecurityHubPlan> {
    return this.#withApi((api, scope) => this.#plan(api, scope, findings));
  }

  async #plan(api: SecurityHubFindingsApi, scope: ProductScope, findings: readonly AwsSecurityFinding[]): Promise<SecurityHubPlan> {
    const ids = findings.flatMap((finding) => (typeof finding.Id === 'string' ? [finding.Id] : []));
    const stored = ids.length === 0 ? [] : await api.findingsByIds(scope.productArn, ids);
    const plan = planFindingImport({
      fresh: findings,
      stored,
      rules: this.#rules,
      context: { productAccountId: scope.accountId, productRegion: scope.region, now: this.#options.now() },
    });
    return { scope, plan };
  }

  /** Runs `work` with clients for this sink, closing those it created itself. */
  async #withApi<T>(work: (api: SecurityHubFindingsApi, scope: ProductScope) => Promise<T>): Promise<T> {
    const given = this.#options.clients;
    const securityHub = given?.securityHub ?? createSecurityHubClient(this.#options.region);
    let sts: STSClient | undefined;
    try {
      const scope = await resolveProductScope({
        securityHub,
        sts: () => (sts = given?.sts ?? createStsClient(this.#options.region)),
        ...(this.#options.accountId === undefined ? {} : { accountId: this.#options.accountId }),
      });
      return await work(new SecurityHubFindingsApi(securityHub, this.#options.api), scope);
    } finally {
      if (given === undefined) securityHub.destroy();
      if (sts !== undefined && given?.sts === undefined) sts.destroy();
    }
  }
}

function describeFailures(scope: ProductScope, failures: readonly ImportFailure[], attempted: number): string {
  const lines = failures.slice(0, FAILURES_LISTED).map((failure) => `  ${failure.ruleId ?? '(no rule)'} ${failure.id}: ${failure.errorCode}${failure.errorMessage === '' ? '' : `: ${failure.errorMessage}`}`);
  if (failures.length > FAILURES_LISTED) lines.push(`  and ${failures.length - FAILURES_LISTED} more`);
  return [`${failures.length} of ${attempted} findings were not imported into Security Hub ${scope.region} (account ${scope.accountId}):`, ...lines].join('\n');
}
