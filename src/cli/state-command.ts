import { loadConfig } from '../config/load-config.js';
import { formatDiagnostic, hasErrors } from '../shared/diagnostics.js';
import { emptyAuditState, type AuditState, type ScopeProgress } from '../state/audit-state.js';
import { scheduledProgressKey, sourceProgressKey } from '../state/progress-key.js';
import { acquireRunLock, removeRunLock, RunLockClockFaultError, RunLockHeldError, runLockPath } from '../state/run-lock.js';
import { AuditStateFileError } from '../state/state-file-format.js';
import { isLegacyKey } from '../state/state-file-migration.js';
import { readAuditState, writeAuditState } from '../state/state-file.js';
import { displayName, escapeText } from '../shared/terminal-text.js';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { UsageError } from './usage-error.js';
import { readSubcommandLine } from './subcommand-line.js';
import { docsLine } from './help-text.js';

export const STATE_USAGE = `Usage: lfvaudit state show [--format table|json]
       lfvaudit state reset KEY... | --all
       lfvaudit state unlock

The windows scheduled runs (run --scheduled) have completed, one per progress key: the sources read,
with their filters (organizationId, accounts, regions, shard and shardBy, endpoint).

show          each key's last completed window end, runs and last update, and this config's key
reset KEY     forget a key's window: its next scheduled run starts with the first-run look-back
              (state.lookbackHours), or give it --since
  --all       forget every window
unlock        remove the run lock left by a run that cannot be checked (another host, a clock fault);
              a lock held by a running process on this host is never removed

Options:
  --config FILE        config file (default: .lfvauditrc.yaml and friends); state.path names the file
  --format FORMAT      table (default) or json, for show
  -h, --help           this help

Exit status: 0 done, 2 usage or config error, unknown key, unusable state file, or a lock held.

Examples:
  lfvaudit state show
  lfvaudit state reset --all
  lfvaudit state unlock

${docsLine('docs/deploy.md', 'docs/scale.md')}`;

/** `lfvaudit state show|reset|unlock`: argv → exit status; never exits the process. */
export async function stateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const line = readSubcommandLine(args, io, {
    command: 'state',
    usage: STATE_USAGE,
    subcommands: ['show', 'reset', 'unlock'],
    options: { all: { type: 'boolean', default: false } },
  });
  if (line === undefined) return ExitStatus.ok;
  const { subcommand: action, operands: keys, values, format } = line;
  if (action !== 'reset' && (keys.length > 0 || values.all)) throw new UsageError(`state ${action} takes no key or --all`);
  if (action === 'reset' && keys.length > 0 === values.all) throw new UsageError('state reset needs one or more KEYs, or --all (not both)', STATE_USAGE);

  const loaded = await loadConfig({ cwd: io.cwd, ...(values.config === undefined ? {} : { configPath: values.config }) });
  for (const diagnostic of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (hasErrors(loaded.diagnostics) || loaded.config === undefined) return ExitStatus.error;
  const config = loaded.config;
  const file = config.state.path;
  try {
    if (action === 'show') {
      const state = await readAuditState(file);
      const configKey = config.sources.length === 0 ? undefined : scheduledProgressKey(config.sources.map((spec) => sourceProgressKey(spec)));
      io.stdout.write(format === 'json' ? `${JSON.stringify(stateJson(file, state, configKey), null, 2)}\n` : stateText(file, state, configKey));
      return ExitStatus.ok;
    }
    if (action === 'unlock') return await unlock(file, io);
    return await reset(file, values.all ? 'all' : keys, io);
  } catch (error) {
    if (error instanceof AuditStateFileError || error instanceof RunLockHeldError || error instanceof RunLockClockFaultError)
      throw new UsageError(error.message);
    throw error;
  }
}

/** Under the run lock, so that no scheduled run writes the file meanwhile. */
async function reset(file: string, keys: readonly string[] | 'all', io: CliIo): Promise<number> {
  const lock = await acquireRunLock(file, { now: io.now(), pid: io.pid, hostname: io.hostname });
  try {
    const state = await readAuditState(file);
    if (keys === 'all') {
      if (state !== undefined) await writeAuditState(file, emptyAuditState());
      io.stderr.write(
        `lfvaudit: ${displayName(file)}: every window forgotten (${state?.scopes.size ?? 0}); the next scheduled runs start with the first-run look-back\n`,
      );
      return ExitStatus.ok;
    }
    const scopes = new Map(state?.scopes ?? []);
    const unknown = keys.filter((key) => !scopes.has(key));
    if (unknown.length > 0) {
      const known = [...scopes.keys()].map((key) => escapeText(JSON.stringify(key))).join(', ');
      throw new UsageError(
        `${file}: no window is recorded for ${unknown.map((key) => JSON.stringify(key)).join(', ')}; recorded keys: ${known === '' ? 'none' : known}`,
      );
    }
    for (const key of keys) scopes.delete(key);
    await writeAuditState(file, { ...(state ?? emptyAuditState()), scopes });
    for (const key of keys)
      io.stderr.write(`lfvaudit: ${displayName(file)}: window of ${displayName(key)} forgotten; its next scheduled run starts with the first-run look-back\n`);
    return ExitStatus.ok;
  } finally {
    await lock.release();
  }
}

async function unlock(file: string, io: CliIo): Promise<number> {
  const outcome = await removeRunLock(file, { hostname: io.hostname });
  const lockPath = displayName(runLockPath(file));
  if (outcome.kind === 'no-lock') {
    io.stderr.write(`lfvaudit: ${lockPath}: no run lock\n`);
    return ExitStatus.ok;
  }
  if (outcome.kind === 'alive') {
    io.stderr.write(`lfvaudit: ${lockPath}: held by pid ${outcome.holder.pid} on this host, which is still running: not removed\n`);
    return ExitStatus.error;
  }
  const holder =
    outcome.holder === undefined
      ? 'an incomplete lock'
      : `the lock of pid ${outcome.holder.pid} on host ${escapeText(outcome.holder.hostname)}, started ${outcome.holder.startedAt.toISOString()}`;
  io.stderr.write(`lfvaudit: ${lockPath}: removed ${holder}\n`);
  return ExitStatus.ok;
}

function stateJson(file: string, state: AuditState | undefined, configKey: string | undefined): unknown {
  return {
    file,
    exists: state !== undefined,
    ...(configKey === undefined ? {} : { configKey }),
    windows: [...(state?.scopes ?? new Map<string, ScopeProgress>())].map(([key, progress]) => ({
      key,
      lastCompletedEnd: progress.lastCompletedEnd.toISOString(),
      updatedAt: progress.updatedAt.toISOString(),
      runs: progress.runs,
      ...(isLegacyKey(key) ? { legacy: true } : {}),
    })),
  };
}

/** The key comes last and whole: it is what `state reset` takes. */
function stateText(file: string, state: AuditState | undefined, configKey: string | undefined): string {
  const lines = [`State file: ${displayName(file)}${state === undefined ? ' (none yet: no scheduled run has completed)' : ''}`];
  if (configKey !== undefined) lines.push(`This config's key (without --shard): ${displayName(configKey)}`);
  const windows = [...(state?.scopes ?? new Map<string, ScopeProgress>())];
  if (windows.length > 0) {
    lines.push('', `${'LAST COMPLETED END'.padEnd(26)}${'RUNS'.padStart(6)}  ${'UPDATED'.padEnd(26)}KEY`);
    for (const [key, progress] of windows) {
      const marks = `${key === configKey ? ' (this config)' : ''}${isLegacyKey(key) ? ' (version 1: without the S3 filters)' : ''}`;
      lines.push(
        `${progress.lastCompletedEnd.toISOString().padEnd(26)}${String(progress.runs).padStart(6)}  ${progress.updatedAt.toISOString().padEnd(26)}${displayName(key)}${marks}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
