/**
 * SigV4 verification, written from the specification rather than borrowed from the SDK's signer, so
 * the two implementations check each other:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Only header authentication (the `Authorization` header) is supported: the SDK clients lfvaudit
 * uses never presign.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as it arrived: the raw path and query (still percent-encoded), raw headers, and the body. */
export interface ArrivedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Node's `rawHeaders`: name, value, name, value… in arrival order. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export type SigV4FailureReason = 'missing-authentication' | 'incomplete-signature' | 'unknown-access-key' | 'wrong-service' | 'expired' | 'signature-mismatch';

export type SigV4Verdict =
  | { readonly ok: true; readonly accessKeyId: string; readonly region: string }
  | {
      readonly ok: false;
      readonly reason: SigV4FailureReason;
      readonly message: string;
      readonly accessKeyId?: string;
      readonly region?: string;
    };

export interface SigV4Expectations {
  /** The signing name of the service the request was routed to (cloudtrail, securityhub, sts). */
  readonly service: string;
  /** The secret for an access key id, or undefined for a key the emulator does not know. */
  readonly secretFor: (accessKeyId: string) => string | undefined;
  /** Server time, epoch ms. */
  readonly now: number;
}

/** AWS rejects requests whose X-Amz-Date is more than 15 minutes from its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTHORIZATION_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function verifySigV4(request: ArrivedRequest, expected: SigV4Expectations): SigV4Verdict {
  const headers = headerValues(request.rawHeaders);
  const authorization = headers.get('authorization');
  if (authorization === undefined) {
    return fail('missing-authentication', 'Missing Authentication Token');
  }
  const parsed = AUTHORIZATION_PATTERN.exec(authorization.join(','));
  if (parsed === null) {
    return fail('incomplete-signature', 'Authorization header requires Credential, SignedHeaders and Signature parameters.');
  }
  const [, credential = '', signedHeaderList = '', signature = ''] = parsed;
  const scopeParts = credential.split('/');
  const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = scopeParts;
  if (scopeParts.length !== 5 || terminator !== 'aws4_request' || accessKeyId === '' || region === '') {
    return fail('incomplete-signature', `Credential should be of the form <key>/<date>/<region>/<service>/aws4_request, got ${scopeParts.length} parts.`);
  }
  const context = { accessKeyId, region };

  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return { ...fail('incomplete-signature', "Signed headers must include 'host' and 'x-amz-date'."), ...context };
  }
  const amzDate = headers.get('x-amz-date')?.join(',') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== scopeDate) {
    return { ...fail('incomplete-signature', `X-Amz-Date '${amzDate}' is malformed or does not match the credential scope date '${scopeDate}'.`), ...context };
  }

  const secret = expected.secretFor(accessKeyId);
  if (secret === undefined) {
    return { ...fail('unknown-access-key', 'The security token included in the request is invalid.'), ...context };
  }
  if (service !== expected.service) {
    return { ...fail('wrong-service', `Credential should be scoped to correct service: '${expected.service}'.`), ...context };
  }
  const skew = signedAt - expected.now;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    const serverTime = formatAmzDate(expected.now);
    const message =
      skew < 0
        ? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(expected.now - MAX_CLOCK_SKEW_MS)} (${serverTime} - 15 min.)`
        : `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(expected.now + MAX_CLOCK_SKEW_MS)} (${serverTime} + 15 min.)`;
    return { ...fail('expired', message), ...context };
  }

  const canonical = canonicalRequest(request, headers, signedHeaders);
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
  const expectedSignature = hmac(signingKey(secret, scopeDate, region, service), stringToSign).toString('hex');
  if (!timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature))) {
    return {
      ...fail(
        'signature-mismatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ),
      ...context,
    };
  }
  return { ok: true, ...context };
}

function fail(reason: SigV4FailureReason, message: string): SigV4Verdict {
  return { ok: false, reason, message };
}

/** Header values by lower-case name, repeated headers kept in arrival order. */
function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const list = values.get(name) ?? [];
    list.push(rawHeaders[i + 1] ?? '');
    values.set(name, list);
  }
  return values;
}

function canonicalRequest(request: ArrivedRequest, headers: Map<string, string[]>, signedHeaders: readonly string[]): string {
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(headers.get(name) ?? []).map((value) => value.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
  return [
    request.method,
    canonicalUri(request.rawPath),
    canonicalQuery(request.rawQuery),
    canonicalHeaders,
    signedHeaders.join(';'),
    // The real body's hash, never the client's x-amz-content-sha256 claim: a body altered after
    // signing must fail.
    sha256Hex(request.body),
  ].join('\n');
}

/**
 * Services other than S3 sign a normalised path (no empty, `.` or `..` segments) encoded twice: the
 * client signs its already-encoded path, so the path as it arrived is encoded once more here.
 */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailingSlash}`;
}

function canonicalQuery(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([keyA, valueA], [keyB, valueB]) => compareStrings(keyA, keyB) || compareStrings(valueA, valueB))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function safeDecode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

/** RFC 3986 unreserved characters stay, everything else is percent-encoded (upper-case hex). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const dateKey = hmac(`AWS4${secret}`, date);
  return hmac(hmac(hmac(dateKey, region), service), 'aws4_request');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseAmzDate(value: string): number | undefined {
  const match = AMZ_DATE_PATTERN.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isFinite(time) ? time : undefined;
}

export function formatAmzDate(epochMs: number): string {
  return new Date(Math.floor(epochMs))
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
