import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasErrors } from '../shared/diagnostics.js';
import { stringField } from '../records/cloudtrail-record.js';
import { readDocument } from '../records/read-document.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { explainRule } from '../ruleset/explain-condition.js';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { renderExplanation, thresholdLine } from './explanation-text.js';
import { loadRuleCatalog } from './rule-catalog.js';
import { relativeFile } from './rule-listing.js';
import { writeDiagnostics } from './rules-command.js';
import { UsageError } from './usage-error.js';
import { displayName, escapeText } from '../shared/terminal-text.js';
import { docsLine } from './help-text.js';

export const EXPLAIN_USAGE = `Usage: lfvaudit explain --rule ID --event FILE [--index N] [--config FILE]

Shows how one rule decides on one event: the scope check, every condition with the field it reads,
the value found there, the operator, the value compared with and the result, then the verdict.
For a threshold rule a match is one event counted towards the threshold, which explain names.
The rule's parameters come from the config, as in a run.

Options:
  --rule ID            the rule to explain (see lfvaudit rules list)
  --event FILE         a CloudTrail record, log file, JSON Lines, LookupEvents or EventBridge file (gzipped or not)
  --index N            which record of the file (default 0, the first)
  --config FILE        config file (default: .lfvauditrc.yaml and friends, searched upwards)
  -h, --help           this help

Exit status: 0 explained (whatever the verdict), 2 usage, config, rule or event file error.

Examples:
  lfvaudit explain --rule lfv-mfa-required --event examples/records/seed-create-dataset.json
  lfvaudit explain --rule lfv-root-credentials --event trail.json.gz --index 3

${docsLine('docs/rules.md')}`;

/** `lfvaudit explain`: argv → exit status; never exits the process. */
export async function explainCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      rule: { type: 'string' },
      event: { type: 'string' },
      index: { type: 'string', default: '0' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${EXPLAIN_USAGE}\n`);
    return ExitStatus.ok;
  }
  if (values.rule === undefined) throw new UsageError('--rule ID is required');
  if (values.event === undefined) throw new UsageError('--event FILE is required');
  if (!/^(0|[1-9][0-9]*)$/.test(values.index)) throw new UsageError(`--index ${JSON.stringify(values.index)}: expected a record number from 0`);
  const index = Number(values.index);

  const catalog = await loadRuleCatalog({ cwd: io.cwd, now: io.now(), ...(values.config === undefined ? {} : { configPath: values.config }) });
  writeDiagnostics(io.stderr, catalog.diagnostics, io.cwd);
  if (hasErrors(catalog.diagnostics) || catalog.config === undefined) return ExitStatus.error;
  const ruleId = values.rule;
  const entry = catalog.rules.find((rule) => rule.definition.id === ruleId);
  if (entry === undefined)
    throw new UsageError(
      `no loaded rule has the id ${JSON.stringify(ruleId)}${didYouMean(
        ruleId,
        catalog.rules.map((rule) => rule.definition.id),
      )}`,
    );
  const rule = entry.resolved;
  if (!rule.active && !entry.disabled) {
    io.stderr.write(
      `lfvaudit explain: rule ${ruleId} does not run: ${escapeText(rule.inactiveReason ?? 'inactive')}; set its parameters under params: in the config\n`,
    );
    return ExitStatus.error;
  }

  const eventFile = path.resolve(io.cwd, values.event);
  const document = await readDocument(
    [
      await readFile(eventFile).catch((error: unknown) => {
        throw new UsageError(`--event ${values.event ?? ''}: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }),
    ],
    eventFile,
  );
  writeDiagnostics(io.stderr, document.problems, io.cwd);
  const record = document.records[index];
  if (record === undefined) {
    io.stderr.write(
      `lfvaudit explain: ${displayName(relativeFile(eventFile, io.cwd))} holds ${document.records.length} record${document.records.length === 1 ? '' : 's'}; there is no record ${index}\n`,
    );
    return ExitStatus.error;
  }

  const explanation = explainRule(rule, record);
  const lines = [
    `rule ${rule.id} (${displayName(relativeFile(rule.file, io.cwd))})${entry.disabled ? ' — disabled in the config: a run does not evaluate it' : ''}`,
    ...(rule.threshold === undefined ? [] : [thresholdLine(rule.threshold)]),
    `event ${displayName(relativeFile(eventFile, io.cwd))} record ${index} of ${document.records.length}: ${escapeText(stringField(record, 'eventName') ?? '(no eventName)')} at ${escapeText(stringField(record, 'eventTime') ?? '(no eventTime)')}`,
    ...renderExplanation(explanation, io.cwd),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return ExitStatus.ok;
}
