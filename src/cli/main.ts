import type { CliIo } from './cli-io.js';
import { COMMAND_NAMES, type CommandName } from './command-names.js';
import { ExitStatus } from './exit-status.js';
import { readFileSync } from 'node:fs';
import { docsLine } from './help-text.js';
import { UsageError } from './usage-error.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { packagePath } from '../shared/package-path.js';
import { escapeText } from '../shared/terminal-text.js';

export const USAGE = `Usage: lfvaudit <command> [options]

Commands:
  run        audit CloudTrail events against the rules and write findings
  init       write a commented .lfvauditrc.yaml and an example custom rule
  findings   list this tool's findings in Security Hub, or archive those not observed lately
  rules      list, validate or test the rules (built-in and your own)
  explain    show how one rule decides on one event, condition by condition
  state      show or reset the windows scheduled runs have completed, or remove a stale run lock

Options:
  -V, --version  print lfvaudit's version
  -h, --help     this help

Run \`lfvaudit help <command>\` or \`lfvaudit <command> --help\` for a command's options.
${docsLine('README.md', 'docs/rules.md', 'docs/deploy.md')}`;

interface Command {
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
  /** Its --help text, whose option names are the candidates for a mistyped one. */
  readonly usage: string;
}

/**
 * Each command's module is imported when that command runs: together they pull in the whole pipeline
 * (config, rules, sources, sinks), which `--help`, `--version` or one command alone never needs.
 */
const COMMAND_LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  run: () => import('./run-command.js').then((module) => ({ run: module.runCommand, usage: module.RUN_USAGE })),
  init: () => import('./init-command.js').then((module) => ({ run: module.initCommand, usage: module.INIT_USAGE })),
  findings: () => import('./findings-command.js').then((module) => ({ run: module.findingsCommand, usage: module.FINDINGS_USAGE })),
  rules: () => import('./rules-command.js').then((module) => ({ run: module.rulesCommand, usage: module.RULES_USAGE })),
  explain: () => import('./explain-command.js').then((module) => ({ run: module.explainCommand, usage: module.EXPLAIN_USAGE })),
  state: () => import('./state-command.js').then((module) => ({ run: module.stateCommand, usage: module.STATE_USAGE })),
};

const COMMANDS: ReadonlyMap<string, () => Promise<Command>> = new Map(COMMAND_NAMES.map((name) => [name, COMMAND_LOADERS[name]]));

/** argv (without node and the script) → exit status. Never exits the process itself. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...afterFirst] = argv;
  if (first === '-V' || first === '--version') {
    io.stdout.write(`lfvaudit ${packageVersion()}\n`);
    return ExitStatus.ok;
  }
  // `lfvaudit help run` is `lfvaudit run --help`.
  const helpFor = first === 'help' ? afterFirst[0] : undefined;
  const [name, ...rest] = helpFor === undefined ? argv : [helpFor, '--help'];
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
    return name === undefined ? ExitStatus.error : ExitStatus.ok;
  }
  const loadCommand = COMMANDS.get(name);
  if (loadCommand === undefined) {
    io.stderr.write(`lfvaudit: unknown command ${escapeText(JSON.stringify(name))}${escapeText(didYouMean(name, COMMANDS.keys()))}\n${USAGE}\n`);
    return ExitStatus.error;
  }
  const command = await loadCommand();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const usage = error.usage !== undefined ? `${error.usage}\n` : '';
      io.stderr.write(`lfvaudit ${name}: ${escapeText(error.message)}\n${usage}`);
      return ExitStatus.error;
    }
    if (isParseArgsError(error)) {
      io.stderr.write(`lfvaudit ${name}: ${escapeText(optionErrorText(error as Error, command.usage))}\nRun 'lfvaudit ${name} --help' for its options.\n`);
      return ExitStatus.error;
    }
    throw error;
  }
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/**
 * parseArgs's message for an unknown option (`Unknown option '--sourc'. To specify a positional
 * argument…`), cut to what the user needs, with the closest option of the command's help.
 */
function optionErrorText(error: Error, usage: string): string {
  const option = /^Unknown option '(-[^']*)'/.exec(error.message)?.[1];
  if (option === undefined) return error.message;
  const known = new Set(usage.match(/(?<![\w-])--?[a-zA-Z][\w-]*/g) ?? []);
  return `unknown option ${option}${didYouMean(option, known)}`;
}

/** node:util parseArgs reports unknown or malformed options with these codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
