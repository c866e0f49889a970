import { hmacSha256Hex, md5Hex, randomBase64url, sha256Hex as sha256OfBody } from '#crypto';

/**
 * Request signing as Ponte specifies it (docs/architecture.md §5). Shared by the SDK and the server, and
 * checked by both against the published vectors in `test-vectors/signature.json`. The hashes come from `#crypto`
 * (src/crypto): node:crypto in Node, @noble/hashes in browsers.
 */

/** System parameters; when sent in the query they are not part of the canonical query. */
export const SYSTEM_PARAMETERS = ['access-key', 'timestamp', 'nonce-str', 'user-id', 'signature', 'sign'] as const;
const SYSTEM_SET = new Set<string>(SYSTEM_PARAMETERS);

export type SignatureMethod = 'hmac-sha256' | 'md5';

/** Percent-encodes with only RFC 3986 unreserved characters left as they are (UTF-8, upper-case hex). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // not valid percent-encoding: taken literally, as the server's query parser does
  }
}

/**
 * The canonical query: each pair decoded (`+` is a space), re-encoded with `rfc3986`, system
 * parameters left out, sorted by encoded name then encoded value, joined with `&`.
 * `rawQuery` is the text after `?` (without it); empty segments are ignored.
 */
export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs: [string, string][] = [];
  for (const segment of rawQuery.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const name = decodeComponent(eq < 0 ? segment : segment.slice(0, eq));
    if (SYSTEM_SET.has(name)) continue;
    const value = eq < 0 ? '' : decodeComponent(segment.slice(eq + 1));
    pairs.push([rfc3986(name), rfc3986(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

const EMPTY_SHA256 = sha256OfBody('');

export function sha256Hex(body: Uint8Array | string | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_SHA256;
  return sha256OfBody(body);
}

export interface CanonicalInput {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The raw query text after `?`, or '' when there is none. */
  query: string;
  accessKey: string;
  timestamp: string;
  nonce: string;
  userId: string;
  /** The raw body bytes (or text); absent or empty for no body. */
  body?: Uint8Array | string | undefined;
}

export function canonicalString(input: CanonicalInput): string {
  return [
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query),
    input.accessKey,
    input.timestamp,
    input.nonce,
    input.userId,
    sha256Hex(input.body),
  ].join('\n');
}

/** HMAC-SHA256 of the canonical string, 64 upper-case hex characters. */
export function hmacSignature(secret: string, canonical: string): string {
  return hmacSha256Hex(secret, canonical).toUpperCase();
}

/** The legacy MD5 signature, 32 upper-case hex characters; signs only key, nonce and timestamp. */
export function md5Signature(accessKey: string, nonce: string, timestamp: string, secret: string): string {
  const text = `access-key=${accessKey}&nonce-str=${nonce}&timestamp=${timestamp}&secret=${secret}`;
  return md5Hex(text).toUpperCase();
}

export function computeSignature(method: SignatureMethod, secret: string, input: CanonicalInput): string {
  return method === 'md5'
    ? md5Signature(input.accessKey, input.nonce, input.timestamp, secret)
    : hmacSignature(secret, canonicalString(input));
}

const SORTABLE = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * A nonce of 32 characters of [A-Za-z0-9_-]: 8 that encode the time in milliseconds, in an alphabet
 * whose order is ASCII order, then 24 random (144 bits). Nonces that grow with time keep the server's
 * nonce index compact (new entries land at its end); any unique nonce is accepted.
 */
export function newNonce(now: number = Date.now()): string {
  let prefix = '';
  for (let t = Math.floor(now), i = 0; i < 8; i++, t = Math.floor(t / 64)) prefix = SORTABLE[t % 64] + prefix;
  return prefix + randomBase64url(18);
}

export interface SignOptions {
  method: string;
  /** Path with optional query, as it will be sent: `/open/user/list?pageNo=1`. */
  url: string;
  body?: Uint8Array | string | undefined;
  accessKey: string;
  accessSecret: string;
  userId: string;
  signatureMethod?: SignatureMethod;
  timestamp?: number;
  nonce?: string;
}

/** What a signed request was signed with: its canonical string and the system headers sent. */
export interface SignedRequest {
  /** The canonical string (§5); with the legacy `md5` method it is not what the signature covers. */
  canonical: string;
  headers: Record<string, string>;
}

/** The canonical input of a request about to be signed, its timestamp and nonce chosen now when not given. */
export function canonicalInputOf(options: SignOptions): CanonicalInput {
  const q = options.url.indexOf('?');
  return {
    method: options.method,
    path: q < 0 ? options.url : options.url.slice(0, q),
    query: q < 0 ? '' : options.url.slice(q + 1),
    accessKey: options.accessKey,
    timestamp: String(options.timestamp ?? Date.now()),
    nonce: options.nonce ?? newNonce(),
    userId: options.userId,
    body: options.body,
  };
}

/** The system headers of a request with the signature given, in the order they are sent. */
export function systemHeaders(input: CanonicalInput, signature: string): Record<string, string> {
  return {
    'access-key': input.accessKey,
    timestamp: input.timestamp,
    'nonce-str': input.nonce,
    'user-id': input.userId,
    signature,
  };
}

/** The system headers for a request and the canonical string they sign. */
export function signRequestWithCanonical(options: SignOptions): SignedRequest {
  const input = canonicalInputOf(options);
  const method = options.signatureMethod ?? 'hmac-sha256';
  const canonical = canonicalString(input);
  const signature =
    method === 'md5'
      ? md5Signature(input.accessKey, input.nonce, input.timestamp, options.accessSecret)
      : hmacSignature(options.accessSecret, canonical);
  return { canonical, headers: systemHeaders(input, signature) };
}

/** The system headers for a request: `access-key`, `timestamp`, `nonce-str`, `user-id`, `signature`. */
export function signRequest(options: SignOptions): Record<string, string> {
  const input = canonicalInputOf(options);
  return systemHeaders(input, computeSignature(options.signatureMethod ?? 'hmac-sha256', options.accessSecret, input));
}
