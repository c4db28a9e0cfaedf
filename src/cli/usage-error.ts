/** A mistake on the command line or in a file the user gave us: printed as is, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
