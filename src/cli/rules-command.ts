import { formatDiagnostic, hasErrors, type Diagnostic } from '../shared/diagnostics.js';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { loadRuleCatalog, type RuleCatalog } from './rule-catalog.js';
import { listedSigmaAttributions, relativeFile, renderRuleTable, ruleListing } from './rule-listing.js';
import { sigmaAttributionLines } from '../findings/sigma-attribution.js';
import { tableWidthOf } from '../shared/text-table.js';
import { renderRuleTestReport } from './rule-test-report.js';
import { UsageError } from './usage-error.js';
import { readSubcommandLine } from './subcommand-line.js';
import { docsLine } from './help-text.js';

export const RULES_USAGE = `Usage: lfvaudit rules list [--config FILE] [--format table|json]
       lfvaudit rules validate [PATH...] [--config FILE]
       lfvaudit rules test [PATH...] [--config FILE]

list        every loaded rule: id, severity, scope, threshold, file, and whether it runs (and why not)
validate    load the rules and the config and report every problem as file:line:col
test        run the tests embedded in each rule file

PATH is a rule file or a folder of them; without PATH the config's rules (and the built-in pack) are used.

Options:
  --config FILE        config file (default: .lfvauditrc.yaml and friends, searched upwards)
  --format FORMAT      table (default) or json, for list
  -h, --help           this help

Exit status: validate 0 clean (warnings allowed), 2 on any error; test 0 all passed, 1 a test failed,
2 the rules or config did not load.

Examples:
  lfvaudit rules validate                       the config's rules and the built-in pack
  lfvaudit rules test rules/my-rule.yaml
  lfvaudit rules list --format json

${docsLine('docs/rules.md', 'docs/builtin-rules.md')}`;

/** Exit status of `rules test` when a test failed: like a run with findings, something to look at. */
const TEST_FAILED = 1;

type Subcommand = (catalog: RuleCatalog, io: CliIo, format: 'table' | 'json') => Promise<number>;

const SUBCOMMANDS = {
  list: { run: listRules, takesPaths: false },
  validate: { run: validateRules, takesPaths: true },
  test: { run: testRules, takesPaths: true },
} as const satisfies Readonly<Record<string, { readonly run: Subcommand; readonly takesPaths: boolean }>>;

/** `lfvaudit rules list|validate|test`: argv → exit status; never exits the process. */
export async function rulesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const line = readSubcommandLine(args, io, { command: 'rules', usage: RULES_USAGE, subcommands: ['list', 'validate', 'test'], options: {} });
  if (line === undefined) return ExitStatus.ok;
  const subcommand = SUBCOMMANDS[line.subcommand];
  if (!subcommand.takesPaths && line.operands.length > 0) throw new UsageError(`${line.subcommand} takes no paths (got ${line.operands.join(' ')})`);
  const configPath = line.values.config;
  const catalog = await loadRuleCatalog({ cwd: io.cwd, now: io.now(), paths: line.operands, ...(configPath === undefined ? {} : { configPath }) });
  return subcommand.run(catalog, io, line.format);
}

function listRules(catalog: RuleCatalog, io: CliIo, format: 'table' | 'json'): Promise<number> {
  writeDiagnostics(io.stderr, catalog.diagnostics, io.cwd);
  if (catalog.config === undefined) return Promise.resolve(ExitStatus.error);
  const listings = catalog.rules.map((rule) => ruleListing(rule, io.cwd));
  if (format === 'json') io.stdout.write(`${JSON.stringify(listings, null, 2)}\n`);
  else {
    const active = listings.filter((listing) => listing.active).length;
    io.stdout.write(
      `${[
        ...renderRuleTable(listings, tableWidthOf(io.stdout)),
        '',
        ...withBlankAfter(sigmaAttributionLines(listedSigmaAttributions(listings))),
        `${listings.length} rules, ${active} active, ${listings.length - active} inactive`,
      ].join('\n')}\n`,
    );
  }
  return Promise.resolve(hasErrors(catalog.diagnostics) ? ExitStatus.error : ExitStatus.ok);
}

function validateRules(catalog: RuleCatalog, io: CliIo): Promise<number> {
  // An inactive rule is valid but never runs: worth a warning, since a forgotten parameter looks like silence.
  const inactive: Diagnostic[] = catalog.rules
    .filter((rule) => !rule.disabled && !rule.resolved.active)
    .map((rule) => ({
      file: rule.definition.file,
      code: 'inactive-rule',
      message: `rule ${rule.definition.id} will not run: ${rule.resolved.inactiveReason ?? 'inactive'}`,
      severity: 'warning',
    }));
  const diagnostics = [...catalog.diagnostics, ...inactive];
  writeDiagnostics(io.stdout, diagnostics, io.cwd);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  io.stdout.write(`${plural(catalog.rules.length, 'rule')} loaded, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  return Promise.resolve(errors > 0 ? ExitStatus.error : ExitStatus.ok);
}

async function testRules(catalog: RuleCatalog, io: CliIo): Promise<number> {
  writeDiagnostics(io.stderr, catalog.diagnostics, io.cwd);
  if (hasErrors(catalog.diagnostics) || catalog.config === undefined) {
    io.stderr.write('lfvaudit rules test: fix the errors above first; no test was run\n');
    return ExitStatus.error;
  }
  // Imported here: the test runner brings the reference evaluator and finding building, which list and validate never use.
  const { runRuleTests } = await import('../audit/rule-test-runner.js');
  const results = await runRuleTests(
    catalog.rules.map((rule) => rule.definition),
    { now: io.now() },
  );
  io.stdout.write(`${renderRuleTestReport(results, io.cwd).join('\n')}\n`);
  return results.every((result) => result.passed) ? ExitStatus.ok : TEST_FAILED;
}

export function writeDiagnostics(out: { write(text: string): unknown }, diagnostics: readonly Diagnostic[], cwd: string): void {
  for (const diagnostic of diagnostics) out.write(`${formatDiagnostic({ ...diagnostic, file: relativeFile(diagnostic.file, cwd) })}\n`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function withBlankAfter(lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [...lines, ''];
}
