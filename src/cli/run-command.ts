import { parseArgs } from 'node:util';
import { hasFindingAtOrAbove, runAudit, type AuditProgress, type AuditResult } from '../audit/run-audit.js';
import type { AuditSummary } from '../sinks/audit-summary.js';
import type { SinkSpec } from '../config/config.js';
import { formatDiagnostic, hasErrors } from '../shared/diagnostics.js';
import { SEVERITY_LABELS, type SeverityLabel } from '../ruleset/rule.js';
import { coverageLine } from '../sinks/coverage-text.js';
import { incompleteReasons } from '../sinks/incomplete-text.js';
import { sinkFromSpec } from '../sinks/sink-from-spec.js';
import { isShardSplit, parseShard, SHARD_SPLITS } from '../sources/s3/shard.js';
import { sourceFromSpec } from '../sources/source-from-spec.js';
import type { TimeWindow } from '../sources/event-source.js';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { problemLines } from './problem-lines.js';
import { DEFAULT_EVALUATOR_ENGINE, EVALUATOR_ENGINES, isEvaluatorEngine } from '../evaluate/evaluator-engine.js';
import { loadAuditSetup } from './load-audit-setup.js';
import { parseSinkArgument, parseSourceArgument } from './spec-argument.js';
import { AuditStateFileError } from '../state/state-file-format.js';
import { RunLockClockFaultError, RunLockHeldError } from '../state/run-lock.js';
import { scheduledProgressKey, sourceProgressKey } from '../state/progress-key.js';
import { runScheduledAudit, ScheduledAuditError, type ScheduledAuditResult } from '../audit/scheduled-audit.js';
import type { EventSource } from '../sources/event-source.js';
import { checkRegionEnvironment } from './region-argument.js';
import { parseTimeArgument } from './time-argument.js';
import { displayName, escapeText, jsonLine } from '../shared/terminal-text.js';
import { docsLine } from './help-text.js';
import { outputFormatOf, UsageError } from './usage-error.js';

export const RUN_USAGE = `Usage: lfvaudit run [options]

Audits CloudTrail events against the rules and writes findings.

Options:
  --config FILE        config file (default: .lfvauditrc.yaml and friends, searched upwards)
  --source SPEC        file:PATH | cloudtrail[:REGION,...] | s3://BUCKET/PREFIX (repeatable; replaces the config's)
  --sink SPEC          file:PATH | stdout | securityhub[:REGION] (repeatable; replaces the config's sinks,
                       which are written otherwise: the summary names every one)
  --scheduled          a scheduled run: continue from the window the state file records for these
                       sources, under the run lock, and record the window once complete
                       (also config \`scheduled: true\`); cloudtrail and s3 sources need it or --since
  --since TIME         start of the window: ISO time or a duration before now (90m, 24h, 7d, 2w)
  --until TIME         end of the window (default: now; a scheduled run: the last whole hour delivered)
  --fail-on SEVERITY   exit 1 when a finding is at or above INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL
  --format FORMAT      table (default) or json, for the stdout sink
  --dry-run            evaluate and show findings, write nothing to files or Security Hub
  --shard I/N          read only part I (0-based) of N of an S3 source's objects; N runs together audit it all
  --shard-by SPLIT     how --shard splits them: object (default; each object by its key) or account-region
                       (each account's region whole, in one shard: needed while a rule with a threshold is active)
  --engine ENGINE      compiled (default, the fast path) or reference (json-rules-engine itself, slow)
  -h, --help           this help

Exit status: 0 completed, 1 findings at or above --fail-on, 2 usage/config/rule/input error or incomplete run,
3 integrity conflict (an eventID read twice with different content; both evaluated), 130/143 stopped by SIGINT/SIGTERM.

Examples:
  lfvaudit run                                          the sources and sinks .lfvauditrc.yaml names
  lfvaudit run --source file:trail-logs --since 1w      the last week of local trail logs
  lfvaudit run --format json --sink stdout | jq .Summary
  lfvaudit run --fail-on HIGH                           exit 1 on a HIGH or CRITICAL finding
  lfvaudit run --scheduled --source s3://trail-bucket --sink securityhub

${docsLine('README.md', 'docs/deploy.md')}`;

export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      source: { type: 'string', multiple: true },
      sink: { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      'fail-on': { type: 'string' },
      format: { type: 'string', default: 'table' },
      'dry-run': { type: 'boolean', default: false },
      scheduled: { type: 'boolean', default: false },
      shard: { type: 'string' },
      'shard-by': { type: 'string' },
      engine: { type: 'string', default: DEFAULT_EVALUATOR_ENGINE },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${RUN_USAGE}\n`);
    return ExitStatus.ok;
  }
  const format = outputFormatOf(values.format);
  const engine = values.engine;
  if (!isEvaluatorEngine(engine)) throw new UsageError(`--engine ${JSON.stringify(engine)}: expected ${EVALUATOR_ENGINES.join(' or ')}`);
  const failOnFlag = values['fail-on']?.toUpperCase();
  if (failOnFlag !== undefined && !(SEVERITY_LABELS as readonly string[]).includes(failOnFlag)) {
    throw new UsageError(`--fail-on ${JSON.stringify(values['fail-on'])}: expected one of ${SEVERITY_LABELS.join(', ')}`);
  }
  const now = io.now();
  const since = values.since === undefined ? undefined : parseTimeArgument('--since', values.since, now);
  const until = values.until === undefined ? undefined : parseTimeArgument('--until', values.until, now);
  // An empty window would audit nothing and still exit 0: a mistake, not an all-clear.
  if (since !== undefined && since.getTime() >= now.getTime()) {
    throw new UsageError(
      `--since ${JSON.stringify(values.since)} (${since.toISOString()}) is not before now (${now.toISOString()}): the window would be empty`,
    );
  }
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    throw new UsageError(
      `--since ${JSON.stringify(values.since)} (${since.toISOString()}) is not before --until ${JSON.stringify(values.until)} (${until.toISOString()}): the window would be empty`,
    );
  }

  const setup = await loadAuditSetup({ cwd: io.cwd, engine, now, ...(values.config === undefined ? {} : { configPath: values.config }) });
  for (const diagnostic of setup.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (hasErrors(setup.diagnostics) || setup.config === undefined) return ExitStatus.error;
  const { config, rules, evaluator } = setup;

  const sourceSpecs = values.source?.map((text) => parseSourceArgument(text, io.cwd)) ?? config.sources;
  if (sourceSpecs.length === 0) throw new UsageError('no event source: give --source file:PATH (or cloudtrail, s3://...) or set sources: in the config');
  let sinkSpecs: readonly SinkSpec[] = values.sink?.map((text) => parseSinkArgument(text, io.cwd)) ?? config.sinks;
  if (values['dry-run']) {
    // Nothing is written: Security Hub sinks print what they would change, file sinks are left out,
    // and the table is shown only when there is no Security Hub diff to show.
    const securityHub = sinkSpecs.filter((spec) => spec.type === 'securityhub');
    sinkSpecs = securityHub.length > 0 ? securityHub : sinkSpecs.filter((spec) => spec.type === 'stdout');
  }
  if (format === 'json' && !values['dry-run'] && !sinkSpecs.some((spec) => spec.type === 'stdout')) sinkSpecs = [...sinkSpecs, { type: 'stdout' }];

  // The SDK takes AWS_REGION for an AWS source or sink given no Region; an S3-compatible store (endpoint) has its own names.
  if (
    sourceSpecs.some((spec) => spec.type === 'cloudtrail' || (spec.type === 's3' && spec.endpoint === undefined)) ||
    sinkSpecs.some((spec) => spec.type === 'securityhub')
  )
    checkRegionEnvironment(io.env);

  const shardBy = values['shard-by'] ?? 'object';
  if (!isShardSplit(shardBy)) throw new UsageError(`--shard-by ${JSON.stringify(shardBy)}: expected ${SHARD_SPLITS.join(' or ')}`);
  if (values['shard-by'] !== undefined && values.shard === undefined)
    throw new UsageError('--shard-by says how --shard splits the objects: give --shard I/N too');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard, shardBy);
  if (typeof shard === 'string') throw new UsageError(`--shard: ${shard}`);
  if (shard !== undefined && sourceSpecs.some((spec) => spec.type !== 's3'))
    throw new UsageError('--shard splits the objects of S3 sources; every source must be s3://');
  if (shard?.by === 'object') {
    // A shard of objects sees some of each group's events, so it cannot weigh a threshold: refused rather than a silent miss.
    const thresholdRule = rules.find((rule) => rule.active && rule.threshold !== undefined);
    if (thresholdRule !== undefined)
      throw new UsageError(
        `--shard: rule ${thresholdRule.id} has a threshold, which needs every event of a group in one run, but a shard split by object reads only some of each hour's objects; ` +
          'split the shards by account and region (--shard-by account-region), whose every shard reads whole the account-regions it owns, or audit threshold rules in an unsharded run',
      );
  }
  const sources = sourceSpecs.map((spec) => sourceFromSpec(spec, shard === undefined ? {} : { shard }));
  const sinks = sinkSpecs.map((spec) =>
    sinkFromSpec(spec, {
      stdout: io.stdout,
      format,
      rules,
      securityHub: config.securityHub,
      dryRun: values['dry-run'],
      now: io.now,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    }),
  );

  const scheduledMode = values.scheduled || config.scheduled;
  if (!scheduledMode && since === undefined && until === undefined && sourceSpecs.some((spec) => spec.type !== 'file')) {
    throw new UsageError(
      'cloudtrail and s3 sources need a window: add --scheduled (or `scheduled: true` in the config) to continue from the window the state file records, or give --since/--until',
    );
  }
  const allowEmpty = new Set<EventSource>(sources.filter((_source, index) => sourceSpecs[index]?.allowEmpty === true));
  const progress = io.stderr.isTTY === true ? progressLine(io) : undefined;
  const auditOptions = {
    sources,
    allowEmpty,
    rules,
    evaluator,
    sinks,
    product: config.securityHub,
    ...(shard === undefined ? {} : { shard }),
    ...(setup.suppressions === undefined ? {} : { suppressions: setup.suppressions }),
    now: io.now,
    ...(progress === undefined ? {} : { onProgress: progress.update }),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };

  let result: AuditResult;
  if (scheduledMode) {
    const scheduled = await runScheduledAudit({
      ...auditOptions,
      progressKey: scheduledProgressKey(sourceSpecs.map((spec) => sourceProgressKey(spec, shard === undefined ? {} : { shard }))),
      state: config.state,
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      dryRun: values['dry-run'],
      lockHolder: { pid: io.pid, hostname: io.hostname },
    }).catch((error: unknown) => {
      if (
        error instanceof RunLockHeldError ||
        error instanceof RunLockClockFaultError ||
        error instanceof AuditStateFileError ||
        error instanceof ScheduledAuditError
      ) {
        throw new UsageError(error.message);
      }
      throw error;
    });
    progress?.clear();
    if (scheduled.outcome === 'nothing-new') {
      io.stderr.write(`lfvaudit: nothing new to audit: the last completed window ends at ${scheduled.plan.window.end.toISOString()}\n`);
      return ExitStatus.ok;
    }
    result = scheduled.result;
    const why = notRecordedNotice(scheduled);
    if (why !== undefined) io.stderr.write(`lfvaudit: notice: ${why}\n`);
  } else {
    const window = explicitWindow(since, until, now);
    result = await runAudit({ ...auditOptions, ...(window === undefined ? {} : { window }) });
    progress?.clear();
  }

  for (const notice of result.summary.notices ?? []) io.stderr.write(`${displayName(notice.origin)}: notice: ${escapeText(notice.message)}\n`);
  for (const coverage of result.summary.coverage ?? []) io.stderr.write(`${displayName(coverage.location)}: coverage: ${escapeText(coverageLine(coverage))}\n`);

  for (const line of problemLines(result.summary.unreadable)) io.stderr.write(`${line}\n`);
  for (const entry of result.summary.thresholdsIncomplete ?? [])
    io.stderr.write(`lfvaudit: error threshold-incomplete: rule ${entry.rule}: ${escapeText(entry.reason)}\n`);
  for (const source of result.summary.emptySources ?? []) io.stderr.write(`lfvaudit: error empty-source: no CloudTrail records in ${displayName(source)}\n`);
  for (const outcome of result.summary.sinkOutcomes ?? []) {
    if ((outcome.lowerBound ?? 0) > 0) {
      const count = outcome.lowerBound ?? 0;
      io.stderr.write(
        `${escapeText(outcome.sink)}: notice: ${count} finding${count === 1 ? '' : 's'} count${count === 1 ? 's' : ''} only a lower bound of ${count === 1 ? 'its' : 'their'} events ("At least N events", lfvaudit/EventCountIsLowerBound): ` +
          'events of this run met counts that compaction had made of other inputs (docs/findings-lifecycle.md)\n',
      );
    }
  }
  for (const conflict of result.summary.integrityConflicts) {
    io.stderr.write(
      `${displayName(conflict.origin)}: error integrity-conflict: eventID ${displayName(conflict.eventId)} was read before with other content; both records were evaluated\n`,
    );
  }
  for (const failure of result.sinkFailures) io.stderr.write(`lfvaudit: error sink-failed: ${escapeText(failure.sink)}: ${escapeText(failure.reason)}\n`);
  if (io.stderr.isTTY !== true) io.stderr.write(`${jsonLine(runLogLine({ ...result.summary, sinkFailures: result.sinkFailures.length }, result.complete))}\n`);

  if (!result.complete) {
    io.stderr.write(`lfvaudit: the audit is incomplete (${incompleteReasons(result.summary, result.sinkFailures.length).join(', ')}); exit status 2\n`);
    return ExitStatus.error;
  }
  const conflicts = result.summary.integrityConflicts.length;
  if (conflicts > 0) {
    io.stderr.write(
      `lfvaudit: integrity conflict: ${conflicts} record${conflicts === 1 ? ' reuses an eventID' : 's reuse eventIDs'} of other records with other content; exit status 3\n`,
    );
    return ExitStatus.integrityConflict;
  }
  const failOn = (failOnFlag as SeverityLabel | undefined) ?? config.failOn;
  if (failOn !== undefined && hasFindingAtOrAbove(result.summary.findingsBySeverity, failOn)) return ExitStatus.findings;
  return ExitStatus.ok;
}

/** Why a scheduled run that audited its window did not record it, when the exit status alone does not say. */
function notRecordedNotice(scheduled: Extract<ScheduledAuditResult, { outcome: 'audited' }>): string | undefined {
  if (scheduled.notRecordedBecause === 'nothing-read') return 'the window was not recorded: no CloudTrail record was read, so the next run audits it again';
  return undefined;
}

/** Without --scheduled: --since/--until narrow the audit when given; otherwise every record counts. */
function explicitWindow(since: Date | undefined, until: Date | undefined, now: Date): TimeWindow | undefined {
  if (since === undefined && until === undefined) return undefined;
  return { start: since ?? new Date(0), end: until ?? now };
}

/** One line per run for a scheduler's logs (stderr, when not on a terminal). */
function runLogLine(summary: AuditSummary & { readonly sinkFailures: number }, complete: boolean): Record<string, unknown> {
  return {
    lfvaudit: 'run',
    complete,
    window: summary.window,
    inputsRead: summary.inputsRead,
    inputsSkipped: summary.inputsSkipped.length,
    unreadable: summary.unreadable.length,
    emptySources: summary.emptySources?.length ?? 0,
    thresholdsIncomplete: summary.thresholdsIncomplete?.length ?? 0,
    recordsRead: summary.recordsRead,
    duplicateRecords: summary.duplicateRecords,
    integrityConflicts: summary.integrityConflicts.length,
    outsideWindow: summary.outsideWindow,
    recordsEvaluated: summary.recordsEvaluated,
    findings: summary.findings,
    ...(summary.sinks === undefined ? {} : { sinks: summary.sinks }),
    ...(summary.sinkOutcomes === undefined || summary.sinkOutcomes.length === 0
      ? {}
      : {
          findingsCreated: summary.sinkOutcomes.reduce((sum, outcome) => sum + outcome.created, 0),
          findingsUpdated: summary.sinkOutcomes.reduce((sum, outcome) => sum + outcome.updated, 0),
          findingsUnchanged: summary.sinkOutcomes.reduce((sum, outcome) => sum + outcome.unchanged, 0),
          findingsReimported: summary.sinkOutcomes.reduce((sum, outcome) => sum + (outcome.reimported ?? 0), 0),
          findingsLowerBound: summary.sinkOutcomes.reduce((sum, outcome) => sum + (outcome.lowerBound ?? 0), 0),
        }),
    sinkFailures: summary.sinkFailures,
    findingsBySeverity: summary.findingsBySeverity,
    notices: summary.notices?.length ?? 0,
    ...(summary.coverage === undefined ? {} : { coverageGaps: summary.coverage.reduce((sum, coverage) => sum + coverage.gaps.length, 0) }),
    suppressed: summary.suppressed.reduce((sum, entry) => sum + entry.count, 0),
    durationMs: summary.durationMs,
  };
}

function progressLine(io: CliIo): { update: (progress: AuditProgress) => void; clear: () => void } {
  let lastDrawn = 0;
  const clear = (): void => {
    if (lastDrawn > 0) io.stderr.write('\r\x1b[2K');
    lastDrawn = 0;
  };
  const update = (progress: AuditProgress): void => {
    // Erased before the sinks write, so that the table starts on a line of its own.
    if (progress.phase === 'writing') {
      clear();
      return;
    }
    const nowMs = Date.now();
    if (nowMs - lastDrawn < 100) return;
    lastDrawn = nowMs;
    const text = `read ${counted(progress.inputsRead, 'input')}, ${counted(progress.recordsRead, 'record')}, ${counted(progress.matches, 'match')} — ${displayName(progress.currentInput)}`;
    const width = Math.max(20, (io.stderr.columns ?? 80) - 1);
    io.stderr.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
  };
  return { update, clear };
}

/** `1 input`, `6 inputs`, `2 matches`. */
function counted(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : noun.endsWith('h') ? `${noun}es` : `${noun}s`}`;
}
