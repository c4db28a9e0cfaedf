/**
 * Failures injected on demand, deterministically: a fault hits the next `times` matching requests,
 * or each matching request with `probability` drawn from a PRNG seeded with `seed` (and at most
 * `times` of them, when both are given). Faults are tried in the order they were injected; the first
 * that fires wins.
 */
export type FaultKind = 'throttle' | 'http500' | 'http503' | 'reset' | 'slow' | 'failedFindings' | 'repeatNextToken' | 'truncatedBody';

export type EmulatedOperation = 'LookupEvents' | 'BatchImportFindings' | 'GetFindings' | 'BatchUpdateFindings' | 'GetCallerIdentity';

export type FaultTrigger =
  | { readonly times: number; readonly probability?: undefined; readonly seed?: undefined }
  | { readonly probability: number; readonly seed: number; readonly times?: number };

export type FaultSpec = FaultTrigger &
  (
    | {
        /**
         * throttle: the operation's throttling error (CloudTrail 400 ThrottlingException, Security Hub 429
         * TooManyRequestsException, STS 400 Throttling); http500 / http503: a server error; reset: the
         * socket is destroyed without a response; truncatedBody: the full response is computed (and its
         * effects kept) but only half of its body is sent before the socket is destroyed.
         */
        readonly kind: 'throttle' | 'http500' | 'http503' | 'reset' | 'truncatedBody';
        readonly operation: EmulatedOperation;
      }
    | {
        /** The request is handled normally after `delayMs`, to provoke client timeouts. */
        readonly kind: 'slow';
        readonly operation: EmulatedOperation;
        readonly delayMs: number;
      }
    | {
        /**
         * The findings of the call (all, or those whose Id is in `findingIds`) are answered as
         * FailedFindings with `errorCode` and are not stored; the others are imported normally.
         */
        readonly kind: 'failedFindings';
        readonly operation: 'BatchImportFindings';
        readonly errorCode: string;
        readonly errorMessage?: string;
        readonly findingIds?: readonly string[];
      }
    | {
        /**
         * The response carries the request's own NextToken again, as a buggy server might. Only
         * requests that carry a NextToken match.
         */
        readonly kind: 'repeatNextToken';
        readonly operation: 'LookupEvents' | 'GetFindings';
      }
  );

/** A live view of one injected fault. */
export interface InjectedFault {
  readonly spec: FaultSpec;
  /** How many requests this fault has hit so far. */
  readonly triggered: number;
  /** Stop injecting this fault. */
  remove(): void;
}

/** The part tests use: `emulator.faults`. */
export interface EmulatorFaults {
  inject(spec: FaultSpec): InjectedFault;
  clear(): void;
}

export interface FaultCandidate {
  readonly operation: string;
  readonly hasNextToken: boolean;
}

class ArmedFault implements InjectedFault {
  triggered = 0;
  removed = false;
  private readonly random: (() => number) | undefined;

  constructor(readonly spec: FaultSpec) {
    this.random = spec.probability === undefined ? undefined : mulberry32(spec.seed);
  }

  remove(): void {
    this.removed = true;
  }

  /** Whether this fault hits the request; counts the hit. */
  fires(candidate: FaultCandidate): boolean {
    if (this.removed || candidate.operation !== this.spec.operation) return false;
    if (this.spec.kind === 'repeatNextToken' && !candidate.hasNextToken) return false;
    if (this.spec.times !== undefined && this.triggered >= this.spec.times) return false;
    if (this.random !== undefined && this.random() >= (this.spec.probability ?? 0)) return false;
    this.triggered += 1;
    return true;
  }
}

export class FaultInjector implements EmulatorFaults {
  private faults: ArmedFault[] = [];

  inject(spec: FaultSpec): InjectedFault {
    checkSpec(spec);
    const fault = new ArmedFault(spec);
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    for (const fault of this.faults) fault.remove();
    this.faults = [];
  }

  /** The fault that hits this request, if any. */
  take(candidate: FaultCandidate): FaultSpec | undefined {
    return this.faults.find((fault) => fault.fires(candidate))?.spec;
  }
}

function checkSpec(spec: FaultSpec): void {
  if (spec.times === undefined && spec.probability === undefined) {
    throw new TypeError('A fault needs `times`, or `probability` with `seed`.');
  }
  if (spec.times !== undefined && !(spec.times >= 1)) {
    throw new RangeError(`Fault \`times\` must be at least 1 (Infinity for always), got ${spec.times}.`);
  }
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1 && Number.isInteger(spec.seed))) {
    throw new RangeError('Fault `probability` must be within [0, 1] and come with an integer `seed`.');
  }
  if (spec.kind === 'slow' && !(spec.delayMs >= 0)) {
    throw new RangeError(`A slow fault needs a non-negative delayMs, got ${spec.delayMs}.`);
  }
}

/** A small, well-known seeded PRNG (uniform in [0, 1)); determinism is all that matters here. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
