import type { EmulatorCredential } from './credentials.js';
import type { FaultSpec } from './faults.js';

/** Where state lives: AWS keeps CloudTrail history and Security Hub findings per account and region. */
export interface AccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** Who is calling: the recognised access key, its account, and the region of the SigV4 scope. */
export interface Caller extends AccountRegion {
  readonly credential: EmulatorCredential;
}

/** What an operation handler gets: the caller, the parsed input, and the request's circumstances. */
export interface OperationRequest {
  readonly caller: Caller;
  /** The parsed JSON body (awsJson, restJson) or form parameters (awsQuery). */
  readonly input: unknown;
  /** Emulator clock at arrival, epoch ms. */
  readonly now: number;
  readonly bodyBytes: number;
  /** A fault that changes what the handler does (failedFindings), if one hit this request. */
  readonly fault: FaultSpec | undefined;
}
