/**
 * A mistake on the command line or in a file the user gave us: exit status 2. The message is printed on
 * one line, escaped (it may quote a name from outside); `usage`, the command's own help, follows as is.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** `--format`'s value, checked: `table` for people, `json` for scripts. */
export function outputFormatOf(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json') throw new UsageError(`--format ${JSON.stringify(value)}: expected table or json`);
  return value;
}
