import { base64Decode, base64Encode, bytesEqual, hmacSha256, utf8Decode, utf8Encode } from '#crypto';

/**
 * Signed callbacks as Ponte sends them (docs/architecture.md §9): Standard Webhooks
 * (https://www.standardwebhooks.com). Each delivery carries `webhook-id` (the message's id, the same on every
 * retry), `webhook-timestamp` (seconds since the epoch, when this attempt was signed) and `webhook-signature`:
 * `v1,` followed by the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the callback secret's key. While a
 * secret is being rotated the header carries one signature per secret, separated by spaces. The server signs with
 * these functions and receivers check with `verifyCallback`; both are checked against the published vectors in
 * `test-vectors/callbacks.json` and against the reference `standardwebhooks` package. The HMAC comes from `#crypto`
 * (src/crypto): node:crypto in Node, @noble/hashes in browsers.
 */

/** Callback secrets are `whsec_` followed by the base64 of their key (24 random bytes when Ponte makes one). */
export const CALLBACK_SECRET_PREFIX = 'whsec_';

/** How far `webhook-timestamp` may be from the receiver's clock, either way, by default (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The envelope every callback carries: PandaPon's four fields, plus the message's id and its object's version. */
export interface CallbackMessage<Body = unknown> {
  messageId: string;
  messageType: string;
  /** 0 Taobao, 1 1688; null for the messages about the callback URL itself (`CALLBACK_*`). */
  messagePlatform: number | null;
  messageBody: Body;
  /** When the change happened, in milliseconds since the epoch. */
  timestamp: number;
  /** Grows with every message about the same object: a receiver drops one older than the last it kept. */
  version: number;
}

/** A type, not an interface, so that it can be passed wherever headers are taken (HeaderSource). */
export type CallbackHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export type CallbackRejection =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'invalid_secret'
  | 'no_matching_signature'
  | 'invalid_body';

/** Why a callback was refused; `reason` is stable, the message is for people. */
export class CallbackVerificationError extends Error {
  constructor(
    readonly reason: CallbackRejection,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackVerificationError';
  }
}

/** What `callbackSecretKey` returns: a `Buffer` in Node (so typed where Node's types are loaded), else `Uint8Array`. */
type SecretKey = typeof globalThis extends { Buffer: { alloc(size: number): infer B } } ? B : Uint8Array;

/** The key of a callback secret (`whsec_` + base64; the bare base64 is taken too, as the reference library does). */
export function callbackSecretKey(secret: string): SecretKey {
  const encoded = secret.startsWith(CALLBACK_SECRET_PREFIX) ? secret.slice(CALLBACK_SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new CallbackVerificationError('invalid_secret', 'a callback secret is whsec_ followed by base64');
  }
  const key = base64Decode(encoded);
  if (key.length === 0) throw new CallbackVerificationError('invalid_secret', 'the callback secret is empty');
  return key as SecretKey;
}

function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? utf8Encode(body) : body;
}

function digest(key: Uint8Array, id: string, timestamp: string, body: Uint8Array): Uint8Array {
  return hmacSha256(key, `${id}.${timestamp}.`, body);
}

/** One `v1,…` signature of a delivery under one secret. `timestamp` is in seconds. */
export function callbackSignature(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  return `v1,${base64Encode(digest(callbackSecretKey(secret), id, String(timestamp), bytesOf(body)))}`;
}

/**
 * The three headers of a delivery signed with every secret given (during a rotation, the new secret and the old
 * one). `timestamp` is in seconds since the epoch.
 */
export function callbackHeaders(
  secrets: string | readonly string[],
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): CallbackHeaders {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new CallbackVerificationError('invalid_secret', 'no callback secret to sign with');
  const bytes = bytesOf(body);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': list.map((s) => callbackSignature(s, id, timestamp, bytes)).join(' '),
  };
}

/** Headers as Node gives them, as a Fetch `Headers`, or as a plain object in any letter case. */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifyOptions {
  /** Seconds `webhook-timestamp` may be from now, either way (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock, in milliseconds (default `Date.now`). */
  now?: () => number;
}

/**
 * Checks a delivery's signature against the receiver's secrets (during a rotation, both) and its timestamp
 * against the clock, then parses the body. Pass the body exactly as received, before any JSON parsing. Throws
 * CallbackVerificationError when the delivery is not authentic or not fresh; the comparison takes the same time
 * whatever the signature's content.
 */
export function verifyCallback<Body = unknown>(
  headers: HeaderSource,
  rawBody: string | Uint8Array,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): { id: string; timestamp: number; message: CallbackMessage<Body> } {
  const id = header(headers, 'webhook-id');
  const stamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !stamp || !signatures) {
    throw new CallbackVerificationError(
      'missing_header',
      'a callback carries webhook-id, webhook-timestamp and webhook-signature',
    );
  }
  if (!/^[0-9]{1,12}$/.test(stamp)) {
    throw new CallbackVerificationError('invalid_timestamp', 'webhook-timestamp is not a number of seconds');
  }
  const timestamp = Number(stamp);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  if (timestamp < now - tolerance) {
    throw new CallbackVerificationError('timestamp_too_old', 'webhook-timestamp is older than the tolerance');
  }
  if (timestamp > now + tolerance) {
    throw new CallbackVerificationError('timestamp_too_new', 'webhook-timestamp is later than the tolerance');
  }
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new CallbackVerificationError('invalid_secret', 'no callback secret to verify with');
  const body = bytesOf(rawBody);
  const expected = list.map((s) => digest(callbackSecretKey(s), id, stamp, body));
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => base64Decode(s.slice(3)));
  let matched = false;
  for (const e of expected) {
    for (const g of given) {
      // Every pair is compared, so the time taken does not tell which one matched.
      if (bytesEqual(g, e)) matched = true;
    }
  }
  if (!matched) {
    throw new CallbackVerificationError('no_matching_signature', 'no signature matches the callback secret');
  }
  let message: CallbackMessage<Body>;
  try {
    message = JSON.parse(utf8Decode(body)) as CallbackMessage<Body>;
  } catch {
    throw new CallbackVerificationError('invalid_body', 'the callback body is not JSON');
  }
  return { id, timestamp, message };
}
