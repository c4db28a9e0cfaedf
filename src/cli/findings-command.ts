import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../config/load-config.js';
import { formatDiagnostic, hasErrors } from '../shared/diagnostics.js';
import { sortFindings } from '../findings/asff-finding.js';
import { diffFindings } from '../merge/diff.js';
import { SEVERITY_LABELS } from '../ruleset/rule.js';
import { MAX_FILTER_VALUES, SecurityHubFindingsApi } from '../securityhub/api.js';
import { archivedCopyOf } from '../securityhub/archive.js';
import { createSecurityHubClient, createStsClient } from '../aws/securityhub-clients.js';
import { renderFindingsDiff } from '../securityhub/diff-text.js';
import { toolFindingFilters, type ToolFindingQuery } from '../securityhub/filters.js';
import { importFindings, type ImportFailure } from '../securityhub/import.js';
import { resolveProductScope, type ProductScope } from '../securityhub/scope.js';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { renderFindingsTable } from './findings-table.js';
import { sigmaAttributionLines, sigmaAttributionOf } from '../findings/sigma-attribution.js';
import { tableWidthOf } from '../shared/text-table.js';
import { checkRegionArgument, checkRegionEnvironment } from './region-argument.js';
import { parseTimeArgument } from './time-argument.js';
import { docsLine } from './help-text.js';
import { UsageError } from './usage-error.js';
import { readSubcommandLine } from './subcommand-line.js';
import { escapeText } from '../shared/terminal-text.js';

export const FINDINGS_USAGE = `Usage: lfvaudit findings list [options]
       lfvaudit findings archive --older-than TIME [options]

Reviews lfvaudit's findings in AWS Security Hub.

list                   this tool's findings: severity, rule, title, principal, events, last seen, workflow
  --severity LABEL     only this severity (repeatable): ${SEVERITY_LABELS.join('|')}
  --rule ID            only this rule (repeatable)
  --all                archived findings too (default: active only)
archive                mark findings not observed since TIME as ARCHIVED (a new observation reopens them)
  --older-than TIME    a duration before now (30d, 2w, 12h) or an ISO time
  --dry-run            say what would be archived, change nothing

Options:
  --region REGION      Security Hub region (default: securityHub.region in the config, else the SDK's)
  --config FILE        config file (default: .lfvauditrc.yaml and friends)
  --format FORMAT      table (default) or json
  -h, --help           this help

Credentials and the region come from the AWS SDK's standard chain (AWS_PROFILE, AWS_REGION, SSO, roles).

Exit status: 0 done, 2 usage or config error, or a Security Hub call that failed.

Examples:
  lfvaudit findings list --severity HIGH --severity CRITICAL
  lfvaudit findings list --rule lfv-root-credentials --format json
  lfvaudit findings archive --older-than 30d --dry-run

${docsLine('docs/findings-lifecycle.md', 'docs/deploy.md')}`;

/** `lfvaudit findings list|archive`: argv → exit status; never exits the process. */
export async function findingsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const line = readSubcommandLine(args, io, {
    command: 'findings',
    usage: FINDINGS_USAGE,
    subcommands: ['list', 'archive'],
    options: {
      severity: { type: 'string', multiple: true },
      rule: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      'older-than': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      region: { type: 'string' },
    },
  });
  if (line === undefined) return ExitStatus.ok;
  const { subcommand: action, operands, values, format } = line;
  if (operands.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(operands[0])}`);
  const onlyFor = (flag: string, given: boolean, command: 'list' | 'archive'): void => {
    if (given && action !== command) throw new UsageError(`${flag} is an option of findings ${command}`);
  };
  onlyFor('--severity', values.severity !== undefined, 'list');
  onlyFor('--rule', values.rule !== undefined, 'list');
  onlyFor('--all', values.all, 'list');
  onlyFor('--older-than', values['older-than'] !== undefined, 'archive');
  onlyFor('--dry-run', values['dry-run'], 'archive');
  const severities = (values.severity ?? []).map((label) => {
    const upper = label.toUpperCase();
    if (!(SEVERITY_LABELS as readonly string[]).includes(upper))
      throw new UsageError(`--severity ${JSON.stringify(label)}: expected one of ${SEVERITY_LABELS.join(', ')}`);
    return upper;
  });
  const now = io.now();
  let olderThan: Date | undefined;
  if (action === 'archive') {
    const text = values['older-than'];
    if (text === undefined) throw new UsageError('findings archive needs --older-than TIME (30d, 12h, or an ISO time)');
    olderThan = parseTimeArgument('--older-than', text, now);
  }

  const loaded = await loadConfig({ cwd: io.cwd, ...(values.config === undefined ? {} : { configPath: values.config }) });
  for (const diagnostic of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (hasErrors(loaded.diagnostics) || loaded.config === undefined) return ExitStatus.error;
  checkRegionEnvironment(io.env);
  const region = values.region === undefined ? loaded.config.securityHub.region : checkRegionArgument('--region', values.region);
  const accountId = loaded.config.securityHub.accountId;

  const securityHub = createSecurityHubClient(region);
  let sts: STSClient | undefined;
  try {
    const scope = await resolveProductScope({
      securityHub,
      sts: () => (sts = createStsClient(region)),
      regionOptions: '--region REGION or securityHub.region in the config',
      ...(accountId === undefined ? {} : { accountId }),
    });
    const api = new SecurityHubFindingsApi(securityHub, io.signal === undefined ? {} : { signal: io.signal });
    const output: OutputOptions = { format, columns: tableWidthOf(io.stdout), scope };
    if (action === 'list') {
      const query: ToolFindingQuery = { productArn: scope.productArn, ruleIds: values.rule ?? [], severities, includeArchived: values.all };
      const findings = sortFindings(await collect(api, query));
      io.stdout.write(listText(findings, { ...output, withRecordState: values.all }));
      return ExitStatus.ok;
    }
    return await archive(api, io, { ...output, olderThan: olderThan ?? now, now, dryRun: values['dry-run'] });
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.name === 'AbortError')) throw error;
    io.stderr.write(`lfvaudit findings: error: ${escapeText(error instanceof Error ? error.message : String(error))}\n`);
    return ExitStatus.error;
  } finally {
    securityHub.destroy();
    sts?.destroy();
  }
}

interface OutputOptions {
  readonly format: 'table' | 'json';
  readonly columns: number;
  readonly scope: ProductScope;
}

async function collect(api: SecurityHubFindingsApi, query: ToolFindingQuery): Promise<AwsSecurityFinding[]> {
  const findings: AwsSecurityFinding[] = [];
  let filters;
  try {
    filters = toolFindingFilters(query);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for await (const page of api.findings(filters)) findings.push(...page);
  return findings;
}

function listText(findings: readonly AwsSecurityFinding[], options: OutputOptions & { readonly withRecordState: boolean }): string {
  if (options.format === 'json') return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
  const where = `in Security Hub ${options.scope.region} (account ${options.scope.accountId})`;
  const kind = options.withRecordState ? 'findings' : 'active findings';
  if (findings.length === 0) return `No ${kind} of lfvaudit ${where}.\n`;
  const total = `${findings.length} ${findings.length === 1 ? kind.replace(/s$/, '') : kind} ${where}.`;
  const attribution = sigmaAttributionLines(findings.flatMap((finding) => sigmaAttributionOf(finding) ?? []));
  const table = renderFindingsTable(findings, { columns: options.columns, withRecordState: options.withRecordState });
  return `${[...table, '', ...(attribution.length === 0 ? [] : [...attribution, '']), total].join('\n')}\n`;
}

/**
 * Archives the active findings last observed before `olderThan` by importing each again with
 * RecordState ARCHIVED (only an import changes RecordState), paced and retried like the sink's imports.
 * The archived copy is of the stored finding as read right before its import, 20 at a time: a run
 * importing new events into it meanwhile would otherwise lose them to a copy read minutes earlier.
 * (A run's own check after its settle period merges again what an archive wrote over; a finding that
 * was observed since the listing is left active.)
 */
async function archive(
  api: SecurityHubFindingsApi,
  io: CliIo,
  options: OutputOptions & { readonly olderThan: Date; readonly now: Date; readonly dryRun: boolean },
): Promise<number> {
  const cutoff = options.olderThan.getTime();
  // The LastObservedAt filter's End is inclusive; "older than" is not.
  const stale = (await collect(api, { productArn: options.scope.productArn, lastObservedBefore: options.olderThan })).filter(
    (finding) => Date.parse(finding.LastObservedAt ?? '') < cutoff,
  );
  if (options.dryRun) {
    io.stdout.write(
      renderFindingsDiff(
        diffFindings(
          stale,
          stale.map((finding) => archivedCopyOf(finding, options.now)),
        ),
        options,
      ),
    );
    return ExitStatus.ok;
  }
  const outcome = { imported: 0, failures: [] as ImportFailure[] };
  const ids = stale.flatMap((finding) => (typeof finding.Id === 'string' ? [finding.Id] : []));
  for (let start = 0; start < ids.length; start += MAX_FILTER_VALUES) {
    const current = await api.findingsByIds(options.scope.productArn, ids.slice(start, start + MAX_FILTER_VALUES));
    const stillStale = current.filter((finding) => finding.RecordState !== 'ARCHIVED' && Date.parse(finding.LastObservedAt ?? '') < cutoff);
    const batch = await importFindings(
      api,
      stillStale.map((finding) => archivedCopyOf(finding, options.now)),
    );
    outcome.imported += batch.imported;
    outcome.failures.push(...batch.failures);
  }
  const since = options.olderThan.toISOString();
  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify({ archived: outcome.imported, notObservedSince: since, failures: outcome.failures }, null, 2)}\n`);
  } else {
    io.stdout.write(
      `Archived ${outcome.imported} finding${outcome.imported === 1 ? '' : 's'} not observed since ${since} in Security Hub ${options.scope.region} (account ${options.scope.accountId}).\n`,
    );
  }
  for (const failure of outcome.failures) {
    io.stderr.write(
      escapeText(
        `lfvaudit findings: error: not archived: ${failure.ruleId ?? '(no rule)'} ${failure.id}: ${failure.errorCode}${failure.errorMessage === '' ? '' : `: ${failure.errorMessage}`}`,
      ) + '\n',
    );
  }
  return outcome.failures.length === 0 ? ExitStatus.ok : ExitStatus.error;
}
