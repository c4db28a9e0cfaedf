/**
 * Which service and operation a request is for, told apart by protocol as AWS's front ends would:
 * an `X-Amz-Target` header means awsJson (CloudTrail), a form-encoded `POST /` means awsQuery (STS),
 * a `/findings` path means restJson (Security Hub).
 */
import { AwsApiError } from './api-error.js';
import { CLOUDTRAIL, SECURITY_HUB, STS, type EmulatedService } from './services.js';

const CLOUDTRAIL_TARGET_PREFIX = 'CloudTrail_20131101.';
const STS_VERSION = '2011-06-15';

export interface Route {
  readonly service: EmulatedService;
  readonly operation: string;
  /** The parsed input, or the error to answer once the request is authenticated. */
  readonly input: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: AwsApiError };
}

export interface RoutableRequest {
  readonly method: string;
  readonly path: string;
  readonly header: (name: string) => string | undefined;
  readonly body: Buffer;
}

/** The route, or undefined when no emulated service speaks this request's protocol. */
export function routeRequest(request: RoutableRequest): Route | undefined {
  const target = request.header('x-amz-target');
  if (target !== undefined) {
    if (!target.startsWith(CLOUDTRAIL_TARGET_PREFIX)) {
      return { service: CLOUDTRAIL, operation: target, input: failed('UnknownOperationException', 400, `Unknown target ${target}`) };
    }
    return { service: CLOUDTRAIL, operation: target.slice(CLOUDTRAIL_TARGET_PREFIX.length), input: parseJson(request.body) };
  }
  const contentType = request.header('content-type') ?? '';
  if (request.method === 'POST' && request.path === '/' && contentType.startsWith('application/x-www-form-urlencoded')) {
    const parameters = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
    const action = parameters.Action ?? '';
    const input =
      parameters.Version === STS_VERSION
        ? { ok: true as const, value: parameters }
        : failed('InvalidAction', 400, `Could not find operation ${action} for version ${parameters.Version ?? 'NO_VERSION_SPECIFIED'}`);
    return { service: STS, operation: action, input };
  }
  if (request.path === '/findings' || request.path.startsWith('/findings/')) {
    const operation = securityHubOperation(request.method, request.path);
    if (operation === undefined) {
      return {
        service: SECURITY_HUB,
        operation: `${request.method} ${request.path}`,
        input: failed('UnknownOperationException', 404, `No operation at ${request.method} ${request.path}`),
      };
    }
    return { service: SECURITY_HUB, operation, input: parseJson(request.body) };
  }
  return undefined;
}

function securityHubOperation(method: string, path: string): string | undefined {
  if (method === 'POST' && path === '/findings/import') return 'BatchImportFindings';
  if (method === 'POST' && path === '/findings') return 'GetFindings';
  if (method === 'PATCH' && path === '/findings/batchupdate') return 'BatchUpdateFindings';
  return undefined;
}

function parseJson(body: Buffer): Route['input'] {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return failed('SerializationException', 400, 'The request body is not valid JSON.');
  }
}

function failed(code: string, status: number, message: string): Route['input'] {
  return { ok: false, error: new AwsApiError(code, status, message) };
}
