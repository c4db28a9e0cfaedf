import type { AwsApiError } from './api-error.js';

/** A response before it is written: the protocol decides status, headers and body. */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The error code, for error responses (kept for the request log). */
  readonly errorCode?: string;
}

/** How one AWS protocol renders results and errors on the wire. */
export interface WireProtocol {
  result(operation: string, output: unknown, requestId: string): EmulatorResponse;
  error(error: AwsApiError, requestId: string): EmulatorResponse;
}
