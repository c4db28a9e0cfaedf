/**
 * Opaque NextTokens bound to the parameters of the call that issued them. AWS requires a NextToken
 * to come back with the same parameters; a token is rejected when those differ or when it was not
 * issued by this emulator (an HMAC with a per-server key guards it).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson, isJsonObject } from './json-value.js';

export class PageTokens {
  private readonly key = randomBytes(32);

  /** A token that resumes after `cursor`, valid only with the same `parameters`. */
  issue(parameters: unknown, cursor: unknown): string {
    const payload = Buffer.from(JSON.stringify({ p: digest(parameters), c: cursor })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The cursor of a token issued for these `parameters`, or undefined when it is forged or bound to others. */
  read(token: string, parameters: unknown): unknown {
    const [payload = '', signature = '', extra] = token.split('.');
    if (extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!isJsonObject(decoded) || decoded.p !== digest(parameters)) return undefined;
    return decoded.c;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function digest(parameters: unknown): string {
  return createHash('sha256').update(canonicalJson(parameters)).digest('base64url');
}
