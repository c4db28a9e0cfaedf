import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { explainCommand } from './explain-command.js';
import { findingsCommand } from './findings-command.js';
import { initCommand } from './init-command.js';
import { rulesCommand } from './rules-command.js';
import { runCommand } from './run-command.js';
import { stateCommand } from './state-command.js';
import { UsageError } from './usage-error.js';
import { escapeText } from '../shared/terminal-text.js';

export const USAGE = `Usage: lfvaudit <command> [options]

Commands:
  run        audit CloudTrail events against the rules and write findings
  init       write a commented .lfvauditrc.yaml and an example custom rule
  findings   list this tool's findings in Security Hub, or archive those not observed lately
  rules      list, validate or test the rules (built-in and your own)
  explain    show how one rule decides on one event, condition by condition
  state      show or reset the windows scheduled runs have completed, or remove a stale run lock

Run \`lfvaudit <command> --help\` for a command's options.`;

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['run', runCommand],
  ['init', initCommand],
  ['findings', findingsCommand],
  ['rules', rulesCommand],
  ['explain', explainCommand],
  ['state', stateCommand],
]);

/** argv (without node and the script) → exit status. Never exits the process itself. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return name === undefined ? ExitStatus.error : ExitStatus.ok;
  }
  const command = COMMANDS.get(name);
  if (command === undefined) {
    io.stderr.write(`lfvaudit: unknown command ${escapeText(JSON.stringify(name))}\n${USAGE}\n`);
    return ExitStatus.error;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const usage = error instanceof UsageError && error.usage !== undefined ? `${error.usage}\n` : '';
      io.stderr.write(`lfvaudit ${name}: ${escapeText((error as Error).message)}\n${usage}`);
      return ExitStatus.error;
    }
    throw error;
  }
}

/** node:util parseArgs reports unknown or malformed options with these codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
