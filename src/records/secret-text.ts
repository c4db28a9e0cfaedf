import { REDACTED } from './secret-fields.js';

/**
 * Secrets inside event text. Findings copy text out of events (error messages by way of a rule's
 * `groupBy`, user agents, principals, project names and the ARNs built from them, S3 keys, event ids)
 * and Security Hub shows it to everyone who may read findings, so every such text passes
 * {@link redactSecrets} first. What it finds (docs/findings-lifecycle.md, "Redaction", lists them):
 *
 * - `word=value`, `word = value`, `"word": "value"`, `'word': 'value'` and `word: value` (a colon
 *   followed by a space, so that ARNs such as `arn:aws:secretsmanager:…` are left alone), where the key
 *   contains password, passwd, secret, token, credential, signature, api_key / apikey / api-key or
 *   private_key / privatekey (any case, any prefix or suffix: `aws_secret_access_key`,
 *   `X-Amz-Security-Token`, `X-Amz-Signature`, `X-Amz-Credential`, `dbPassword`): the value goes;
 * - `Authorization: <scheme> <credentials>` (and `authorization=`, `"Authorization": "…"`): the
 *   credentials go, a known scheme (Bearer, Basic, AWS4-HMAC-SHA256, …) stays;
 * - `Bearer <token>` anywhere;
 * - an access key id (AKIA…, ASIA…) followed by a 40-character secret access key: the key id is an
 *   identifier CloudTrail logs in every record and stays, the secret goes;
 * - STS session tokens, recognised by how they begin (`IQoJb3JpZ2lu…`, `FwoGZXIvYXdz…`, `AQoDYXdz…`
 *   and their kin), wherever they stand;
 * - the password of credentials in a URL (`scheme://user:password@host`).
 *
 * Each secret is replaced with `[redacted]`; the text around it is kept, so a finding still says what
 * happened. Redacting twice changes nothing.
 *
 * Linear time by construction: every pattern begins with a literal (or a class of two characters)
 * and bounded quantifiers only (`{0,40}`, `{1,5}`), and ends with the secret itself: one character
 * class, or a quote-led run whose alternatives never match the same character, repeated greedily
 * with nothing after it. An attempt therefore costs at most the bounded prefix before it fails, and a
 * match is never scanned again: the global replace moves past it.
 */

/** Words that make a key's value a secret. */
const SECRET_KEY_WORDS = 'password|passwd|secret|token|credential|signature|api[_-]?key|private[_-]?key';

/** `word…=value`, `"word…": "value"`, `word…: value`: the key stays (group 1), the value goes. */
const KEY_VALUE = new RegExp(
  `((?:${SECRET_KEY_WORDS})[\\w.-]{0,40}(?:["']?\\s{0,5}=\\s{0,5}|["']\\s{0,5}:\\s{0,5}|:\\s{1,5}))` +
    // The value: quoted (up to the closing quote, which stays), or up to a separator.
    `("(?:[^"\\\\\\r\\n]|\\\\.)*|'[^'\\r\\n]*|[^\\s&;,"'<>]+)`,
  'gi',
);

/** `Authorization: Bearer …`: the header name and a known scheme stay (group 1), the credentials go. */
const AUTHORIZATION = /(authorization["']?\s{0,5}[:=]\s{0,5}["']?(?:(?:bearer|basic|digest|token|negotiate|ntlm|aws4-hmac-sha256|aws)\s{1,5})?)([^\s"',;]+)/gi;

/** `Bearer <token>`, where no Authorization header names it. */
const BEARER = /(\bbearer\s{1,5})([\w.~+/=-]{8,})/gi;

/** An access key id, a separator, then its 40-character secret access key (group 2), whatever follows it. */
const ACCESS_KEY_PAIR = /(\b(?:AKIA|ASIA)[A-Z0-9]{16}[\s:,;|="']{1,5})([A-Za-z0-9/+]{40})/g;

/**
 * STS session tokens begin with a few fixed bytes, base64-encoded: `IQoJb3JpZ2lu` (and other
 * two-character starts before `oJb3JpZ2lu`), `FwoGZXIvYXdz`, `FQoGZXIvYXdz`, `AQoDYXdz`. URL-encoded
 * ones carry `%2B`, `%2F`, `%3D`. Case-sensitive: base64 is.
 */
const SESSION_TOKEN = /(?:[A-Za-z0-9+/]{2}oJb3JpZ2lu|[FA][wQ]oGZXIvYXdz|AQoDYXdz)[A-Za-z0-9+/=%]{16,}/g;

/** `scheme://user:password@host`: the password goes. */
const URL_PASSWORD = /(:\/\/[^\s/:@]{1,64}:)([^\s/@]{1,256})(?=@)/g;

/**
 * Whether a text may hold anything the patterns above find: one pass over literals, so that the
 * common case (no such word anywhere) costs a single scan.
 */
const MAY_HOLD_SECRET =
  /password|passwd|secret|token|credential|signature|api[_-]?key|private[_-]?key|authorization|bearer|AKIA|ASIA|oJb3JpZ2lu|oGZXIvYXdz|AQoDYXdz|:\/\//i;

/** `text` with every secret the patterns find replaced with `[redacted]`. */
export function redactSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(AUTHORIZATION, (_, kept: string) => `${kept}${REDACTED}`)
    .replace(KEY_VALUE, (_, kept: string, value: string) => `${kept}${value.startsWith('"') || value.startsWith("'") ? value[0] : ''}${REDACTED}`)
    .replace(BEARER, (_, kept: string) => `${kept}${REDACTED}`)
    .replace(ACCESS_KEY_PAIR, (_, kept: string) => `${kept}${REDACTED}`)
    .replace(SESSION_TOKEN, REDACTED)
    .replace(URL_PASSWORD, (_, kept: string) => `${kept}${REDACTED}`);
}
