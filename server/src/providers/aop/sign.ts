import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signatures of 1688's open platform (AOP), as ADR 0016 describes them.
 *
 * A request is signed over its URL path from `param2` on (no leading slash, no `/openapi/`) followed by
 * every parameter as `key + value`, those strings sorted as whole strings (not by key: `{a: 'z', ab: '1'}`
 * gives `ab1az`), with HMAC-SHA1 keyed by the app secret, in uppercase hex. Files sent as multipart parts
 * are not signed, and neither is `_aop_signature` itself. A push message is signed by the same rule with
 * an empty path over the posted fields.
 */

/** The name of the signature parameter, in requests and in pushed messages. */
export const SIGNATURE_PARAM = '_aop_signature';

/** A parameter value as sent: text is signed, bytes (a multipart file part) are not. */
export type SignableValue = string | Uint8Array;

/** The signed part of a request URL: `param2/{version}/{namespace}/{apiName}/{appKey}`. */
export function apiPath(api: { namespace: string; name: string; version?: string }, appKey: string): string {
  return `param2/${api.version ?? '1'}/${api.namespace}/${api.name}/${appKey}`;
}

/**
 * Orders strings by their UTF-8 bytes, which is code point order: what the official SDKs' sorts give
 * for these strings. JavaScript's default sort compares UTF-16 units and differs above U+FFFF.
 */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The text that is signed: the path, then the sorted `key + value` strings of the text parameters. */
export function signatureFactor(urlPath: string, params: Record<string, SignableValue | undefined>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (key === SIGNATURE_PARAM || typeof value !== 'string') continue;
    pairs.push(key + value);
  }
  return urlPath + pairs.sort(byBytes).join('');
}

/** The `_aop_signature` of a request to `urlPath` (see `apiPath`) with `params`. */
export function signRequest(
  urlPath: string,
  params: Record<string, SignableValue | undefined>,
  appSecret: string,
): string {
  return createHmac('sha1', Buffer.from(appSecret, 'utf8'))
    .update(Buffer.from(signatureFactor(urlPath, params), 'utf8'))
    .digest('hex')
    .toUpperCase();
}

/** Whether `given` is `expected` (uppercase hex), compared in constant time. */
function sameSignature(given: string | undefined, expected: string, ignoreCase: boolean): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(ignoreCase ? given.toUpperCase() : given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a request's parameters carry the right `_aop_signature` for `urlPath` and `appSecret`. The hex
 * must be uppercase, as every SDK sends it: a client that sends lowercase is caught here, not in production.
 */
export function verifyRequest(
  urlPath: string,
  params: Record<string, SignableValue | undefined>,
  appSecret: string,
): boolean {
  const given = params[SIGNATURE_PARAM];
  return sameSignature(typeof given === 'string' ? given : undefined, signRequest(urlPath, params, appSecret), false);
}

/** The `_aop_signature` of a pushed message's form fields (normally just `message`): an empty path. */
export function signPush(fields: Record<string, string | undefined>, appSecret: string): string {
  return signRequest('', fields, appSecret);
}

/**
 * Whether a pushed form (its fields, `_aop_signature` among them) was signed with `appSecret`. The case of
 * the hex digits is not held against the sender: one published verifier accepts either.
 */
export function verifyPush(fields: Record<string, string | undefined>, appSecret: string): boolean {
  return sameSignature(fields[SIGNATURE_PARAM], signPush(fields, appSecret), true);
}
