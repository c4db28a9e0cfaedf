/** A mistake on the command line or in a file the user gave us: printed as is, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `--format`'s value, checked: `table` for people, `json` for scripts. */
export function outputFormatOf(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json') throw new UsageError(`--format ${JSON.stringify(value)}: expected table or json`);
  return value;
}
