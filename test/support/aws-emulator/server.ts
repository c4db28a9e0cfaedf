/**
 * A loopback HTTP server that speaks CloudTrail, Security Hub and STS on the wire, so lfvaudit is
 * tested against the real AWS SDK clients. Every request goes through the same steps:
 *
 *   [latency] → route by protocol → verify SigV4 → log → injected fault? → rate limit → handle → [latency] → respond
 *
 * Injected failures that replace the answer (throttle, http500, http503, reset) come before the rate
 * limiter and spend none of its tokens; the others (slow, failedFindings, repeatNextToken,
 * truncatedBody) act on a request that is otherwise handled normally.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsApiError } from './api-error.js';
import { systemClock, type EmulatorClock } from './clock.js';
import { CloudTrailEventHistory, type CloudTrailState } from './cloudtrail.js';
import { TEST_CREDENTIAL, type EmulatorCredential } from './credentials.js';
import { FaultInjector, mulberry32, type EmulatorFaults, type FaultSpec } from './faults.js';
import { isJsonObject, ownField } from './json-value.js';
import type { Caller, OperationRequest } from './operation.js';
import { PageTokens } from './page-token.js';
import { RateLimiter } from './rate-limit.js';
import type { MutableRequestLogEntry, RequestLogEntry } from './request-log.js';
import { SecurityHubFindings, type SecurityHubState } from './securityhub.js';
import { restJsonProtocol } from './rest-json-protocol.js';
import { routeRequest, type Route } from './routes.js';
import type { EmulatedService } from './services.js';
import { verifySigV4 } from './sigv4.js';
import { getCallerIdentity, StsRoles, type StsState } from './sts.js';
import type { EmulatorResponse } from './wire-protocol.js';

export interface AwsEmulatorOptions {
  /** Access keys the emulator accepts; the first is the default. Default: [TEST_CREDENTIAL]. */
  readonly credentials?: readonly EmulatorCredential[];
  /** The server clock for rate limits, SigV4 skew, event-history windows and timestamps. Default: system time. */
  readonly clock?: EmulatorClock;
  /**
   * Network latency: each request waits a time drawn from [0, maxMs) before it is handled, and another
   * before its answer is sent, from a PRNG seeded with `seed`, so concurrent clients interleave
   * differently per seed (the draws come in the order requests arrive). Default: none.
   */
  readonly latency?: { readonly seed: number; readonly maxMs: number };
}

export interface EmulatorState {
  /** Every request received, in arrival order. */
  readonly requestLog: readonly RequestLogEntry[];
  readonly cloudTrail: CloudTrailState;
  readonly securityHub: SecurityHubState;
  readonly sts: StsState;
}

export interface AwsEmulator {
  /** `http://127.0.0.1:<port>`: pass it as the clients' `endpoint` or as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** The accepted credentials; `credentials[0]` is the default one. */
  readonly credentials: readonly EmulatorCredential[];
  readonly clock: EmulatorClock;
  readonly state: EmulatorState;
  readonly faults: EmulatorFaults;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Larger bodies are refused outright; Security Hub's own 6 MB limit is checked by its handler. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

type OperationHandler = (request: OperationRequest) => unknown;

export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const credentials = options.credentials ?? [TEST_CREDENTIAL];
  if (credentials.length === 0) throw new TypeError('startAwsEmulator needs at least one credential');
  const credentialsByKey = new Map(credentials.map((credential) => [credential.accessKeyId, credential]));
  const clock = options.clock ?? systemClock;
  const pageTokens = new PageTokens();
  const cloudTrail = new CloudTrailEventHistory(pageTokens);
  const securityHub = new SecurityHubFindings(pageTokens);
  const sts = new StsRoles((issued) => credentialsByKey.set(issued.accessKeyId, issued));
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter();
  const requestLog: RequestLogEntry[] = [];
  const latency = options.latency;
  const drawLatency = latency === undefined ? undefined : mulberry32(latency.seed);
  const networkDelay = async (): Promise<void> => {
    if (drawLatency !== undefined && latency !== undefined) await sleep(Math.floor(drawLatency() * latency.maxMs));
  };
  const handlers = new Map<string, OperationHandler>([
    ['cloudtrail LookupEvents', (request) => cloudTrail.lookupEvents(request)],
    ['securityhub BatchImportFindings', (request) => securityHub.batchImportFindings(request)],
    ['securityhub GetFindings', (request) => securityHub.getFindings(request)],
    ['securityhub BatchUpdateFindings', (request) => securityHub.batchUpdateFindings(request)],
    ['sts GetCallerIdentity', getCallerIdentity],
    ['sts AssumeRole', (request) => sts.assumeRole(request)],
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = clock.now();
    const requestId = randomUUID();
    const body = await readBody(req);
    if (body === undefined) {
      req.socket.destroy();
      return;
    }
    const afterHandling = drawLatency === undefined ? 0 : Math.floor(drawLatency() * (latency?.maxMs ?? 0));
    await networkDelay();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeRequest({ method: req.method ?? 'GET', path: url.pathname, header: (name) => headerOf(req, name), body });
    const entry: MutableRequestLogEntry = {
      sequence: requestLog.length + 1,
      arrivedAt,
      service: route?.service.signingName ?? 'unknown',
      operation: route?.operation ?? `${req.method ?? ''} ${url.pathname}`,
      accessKeyId: undefined,
      accountId: undefined,
      region: undefined,
      status: undefined,
      errorCode: undefined,
      rateLimited: false,
      fault: undefined,
    };
    requestLog.push(entry);
    const respond = (response: EmulatorResponse, options: { truncate?: boolean } = {}) => {
      entry.status = response.status;
      entry.errorCode = response.errorCode;
      writeResponse(res, response, clock, options.truncate === true);
    };

    // Route by protocol.
    if (route === undefined) {
      respond(
        restJsonProtocol.error(new AwsApiError('UnknownOperationException', 404, `No emulated service at ${req.method ?? ''} ${url.pathname}`), requestId),
      );
      return;
    }
    const { service } = route;

    // Verify SigV4; the caller's account comes from the access key, the region from the credential scope.
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', rawPath, rawQuery: url.search.slice(1), rawHeaders: req.rawHeaders, body },
      { service: service.signingName, secretFor: (key) => credentialsByKey.get(key)?.secretAccessKey, now: arrivedAt },
    );
    entry.accessKeyId = verdict.accessKeyId;
    entry.region = verdict.region;
    if (!verdict.ok) {
      respond(service.protocol.error(service.authError(verdict.reason, verdict.message), requestId));
      return;
    }
    const credential = credentialsByKey.get(verdict.accessKeyId);
    if (credential === undefined) throw new Error(`verified an access key the emulator does not hold: ${verdict.accessKeyId}`);
    if (credential.sessionToken !== undefined && headerOf(req, 'x-amz-security-token') !== credential.sessionToken) {
      respond(service.protocol.error(service.authError('unknown-access-key', 'The security token included in the request is invalid.'), requestId));
      return;
    }
    const caller: Caller = { credential, accountId: credential.accountId, region: verdict.region };
    entry.accountId = caller.accountId;

    // Injected faults that replace the answer.
    const fault = faults.take({ operation: route.operation, hasNextToken: hasNextToken(route) });
    entry.fault = fault?.kind;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const replacement = fault === undefined ? undefined : replacementFor(fault, service);
    if (replacement !== undefined) {
      respond(service.protocol.error(replacement, requestId));
      return;
    }

    // Rate limit, on the arrival time.
    if (!rateLimiter.admit({ operation: route.operation, accountId: caller.accountId, region: caller.region }, arrivedAt)) {
      entry.rateLimited = true;
      respond(service.protocol.error(service.throttlingError(), requestId));
      return;
    }

    // Handle and respond, with the faults that only bend a normal answer.
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    const response = answer(route, caller, body.length, fault, requestId);
    if (afterHandling > 0) await sleep(afterHandling);
    respond(response, { truncate: fault?.kind === 'truncatedBody' });
  }

  function answer(route: Route, caller: Caller, bodyBytes: number, fault: FaultSpec | undefined, requestId: string): EmulatorResponse {
    const { service } = route;
    try {
      if (!route.input.ok) throw route.input.error;
      const handler = handlers.get(`${service.signingName} ${route.operation}`);
      if (handler === undefined) throw service.unknownOperationError(route.operation);
      const output = handler({ caller, input: route.input.value, now: clock.now(), bodyBytes, fault });
      return service.protocol.result(route.operation, fault?.kind === 'repeatNextToken' ? withRequestToken(output, route) : output, requestId);
    } catch (error) {
      if (error instanceof AwsApiError) return service.protocol.error(error, requestId);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the emulator: answer 500 so the test fails loudly rather than hanging.
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`aws-emulator bug: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    clock,
    state: { requestLog, cloudTrail, securityHub, sts },
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/** The error an injected fault answers instead of a result, for the faults that replace the answer. */
function replacementFor(fault: FaultSpec, service: EmulatedService): AwsApiError | undefined {
  switch (fault.kind) {
    case 'throttle':
      return service.throttlingError();
    case 'http500':
      return service.serverError(500);
    case 'http503':
      return service.serverError(503);
    default:
      return undefined;
  }
}

function hasNextToken(route: Route): boolean {
  return route.input.ok && isJsonObject(route.input.value) && typeof ownField(route.input.value, 'NextToken') === 'string';
}

/** The repeatNextToken fault: the response hands back the token the request came with. */
function withRequestToken(output: unknown, route: Route): unknown {
  const token = route.input.ok && isJsonObject(route.input.value) ? ownField(route.input.value, 'NextToken') : undefined;
  return isJsonObject(output) ? { ...output, NextToken: token } : output;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The Date header carries the emulator clock: the SDK corrects its own clock skew from it, as it
 * does against AWS.
 */
function writeResponse(res: ServerResponse, response: EmulatorResponse, clock: EmulatorClock, truncate: boolean): void {
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(body.length), Date: new Date(clock.now()).toUTCString() });
  if (!truncate) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}
