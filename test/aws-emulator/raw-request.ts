/**
 * Requests built by hand, for the few emulator tests that must see or bend the wire itself (an
 * unsigned request, a body changed after signing, the raw JSON). Signing uses the SDK's own SigV4
 * signer, so only the deliberate change differs from what a client sends.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorCredential } from '../support/aws-emulator/index.js';

export interface RawRequest {
  readonly method: 'POST' | 'PATCH';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** The SDK signer wants a hash class; node:crypto provides the algorithm. */
class NodeSha256 {
  private hash: Hash | Hmac;

  private readonly secret: Buffer | undefined;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** `request` signed with the SDK's SigV4 signer for `service` and `region`. */
export async function signRequest(
  endpoint: string,
  request: RawRequest,
  signing: { readonly service: string; readonly region: string; readonly credential: EmulatorCredential },
): Promise<RawRequest> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    service: signing.service,
    region: signing.region,
    credentials: { accessKeyId: signing.credential.accessKeyId, secretAccessKey: signing.credential.secretAccessKey },
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path,
    query: {},
    headers: { ...request.headers, host: url.host },
    body: request.body,
  });
  return { ...request, headers: signed.headers };
}

/** Sends `request` as is, over node:http (fetch would rewrite the Host header). */
export function sendRaw(endpoint: string, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(new URL(request.path, endpoint), { method: request.method, headers: request.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** A LookupEvents request as CloudTrailClient would send it. */
export function lookupEventsRequest(input: Readonly<Record<string, unknown>>): RawRequest {
  return {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
    body: JSON.stringify(input),
  };
}
