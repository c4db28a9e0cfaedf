/**
 * An error the emulator answers instead of a result: the error code the SDK maps to an exception
 * class, the HTTP status, and the message. Each wire protocol renders it in its own format.
 */
export class AwsApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }

  /** awsQuery's `<Type>`: who is to blame. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}
