import { parseArgs } from 'node:util';
import { didYouMean } from '../shared/did-you-mean.js';
import type { CliIo } from './cli-io.js';
import { COMMAND_NAMES } from './command-names.js';
import { outputFormatOf, UsageError } from './usage-error.js';

/** The options every command with subcommands takes. */
const COMMON_OPTIONS = {
  config: { type: 'string' },
  format: { type: 'string', default: 'table' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type OptionsConfig = NonNullable<Parameters<typeof parseArgs>[0]>['options'] & object;
type ParsedValues<Options extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: Options & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>
>['values'];

export interface SubcommandSpec<Name extends string, Options extends OptionsConfig> {
  /** `rules`, `findings`, `state`. */
  readonly command: string;
  /** The command's help, printed for --help and after a missing or unknown subcommand. */
  readonly usage: string;
  readonly subcommands: readonly Name[];
  /** The command's own options, beside --config, --format and --help. */
  readonly options: Options;
}

export interface SubcommandLine<Name extends string, Options extends OptionsConfig> {
  readonly subcommand: Name;
  /** What follows the subcommand: rule paths, state keys. */
  readonly operands: readonly string[];
  readonly values: ParsedValues<Options>;
  readonly format: 'table' | 'json';
}

/**
 * `lfvaudit COMMAND SUBCOMMAND [OPERAND...] [OPTIONS]`, as `rules`, `findings` and `state` read it: the
 * options parsed strictly, --format checked, and the subcommand one of the spec's; a missing or unknown
 * one is a usage error naming the choices, with a did-you-mean. Undefined when --help asked for the
 * help, which is then written to stdout.
 */
export function readSubcommandLine<Name extends string, Options extends OptionsConfig>(
  args: readonly string[],
  io: Pick<CliIo, 'stdout'>,
  spec: SubcommandSpec<Name, Options>,
): SubcommandLine<Name, Options> | undefined {
  // Typed as any command's options: parseArgs's typing cannot see through the generic spec.
  const options: OptionsConfig = { ...spec.options, ...COMMON_OPTIONS };
  const { values, positionals } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: true,
  });
  if (values['help'] === true) {
    io.stdout.write(`${spec.usage}\n`);
    return undefined;
  }
  const [name, ...operands] = positionals;
  const subcommand = spec.subcommands.find((known) => known === name);
  if (subcommand === undefined) throw new UsageError(subcommandMistake(name, spec), spec.usage);
  // parseArgs gives each option the type its config declares: the spec's options and COMMON_OPTIONS.
  return { subcommand, operands, values: values as ParsedValues<Options>, format: outputFormatOf(String(values['format'])) };
}

function subcommandMistake(name: string | undefined, spec: SubcommandSpec<string, OptionsConfig>): string {
  const expected = `expected ${spec.subcommands.slice(0, -1).join(', ')} or ${spec.subcommands.at(-1) ?? ''}`;
  if (name === undefined) return `missing subcommand: ${expected}`;
  // A subcommand that names another command (`rules init`) is pointed at it.
  const hint =
    (COMMAND_NAMES as readonly string[]).includes(name) && name !== spec.command ? ` (did you mean 'lfvaudit ${name}'?)` : didYouMean(name, spec.subcommands);
  return `unknown subcommand ${JSON.stringify(name)}${hint}: ${expected}`;
}
