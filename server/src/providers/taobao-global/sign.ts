import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of Taobao Global's open platform, which runs Alibaba's IOP gateway (see
 * docs/adr/0016-real-upstreams.md). Requests are signed with HMAC keyed by the App Secret over the API
 * path followed by every parameter's name and value, names sorted; push messages carry an HMAC-SHA256 of
 * the App Key followed by the raw body. Pure functions: no clock, no I/O.
 */

/** `sha256` is what clients send; `hmac` is the older method the gateway also accepts (HMAC-MD5). */
export type IopSignMethod = 'sha256' | 'hmac';

/**
 * A parameter as the signer sees it. Text is signed; binary values are file uploads, which travel as
 * multipart parts and are never signed; missing values are not signed either.
 */
export type IopSignValue = string | Uint8Array | Blob | null | undefined;

function isSigned(value: IopSignValue): value is string {
  // An empty value is left out: the gateway's own signer skips it, so signing it would not match.
  return typeof value === 'string' && value !== '';
}

/** Compares strings by UTF-16 code unit, which for the ASCII names the gateway uses is ASCII order. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The text a request signature is computed over: the API path (`/order/get`), then `name` + `value` of
 * every signed parameter sorted by name, then the raw request body when the API takes one. `sign` itself
 * is never part of it.
 */
export function iopStringToSign(
  apiPath: string,
  params: Readonly<Record<string, IopSignValue>>,
  body?: string | null,
): string {
  const names = Object.keys(params)
    .filter((name) => name !== 'sign' && name !== '' && isSigned(params[name]))
    .sort(byCodeUnit);
  let text = apiPath;
  for (const name of names) text += name + (params[name] as string);
  if (body != null && body !== '') text += body;
  return text;
}

export interface IopSignInput {
  apiPath: string;
  params: Readonly<Record<string, IopSignValue>>;
  appSecret: string;
  body?: string | null;
  /** `sha256` unless given; the parameters' own `sign_method` is not read, so the caller stays explicit. */
  signMethod?: IopSignMethod;
}

/** The `sign` parameter of a request: upper-case hex of the HMAC over `iopStringToSign`. */
export function signIopRequest(input: IopSignInput): string {
  const algorithm = (input.signMethod ?? 'sha256') === 'hmac' ? 'md5' : 'sha256';
  return createHmac(algorithm, Buffer.from(input.appSecret, 'utf8'))
    .update(iopStringToSign(input.apiPath, input.params, input.body), 'utf8')
    .digest('hex')
    .toUpperCase();
}

/**
 * The `Authorization` header of a push message: lower-case hex of HMAC-SHA256 keyed by the App Secret
 * over the App Key followed by the raw body, byte for byte as it was sent.
 */
export function iopPushSignature(appKey: string, appSecret: string, rawBody: string | Uint8Array): string {
  const mac = createHmac('sha256', Buffer.from(appSecret, 'utf8'));
  mac.update(Buffer.from(appKey, 'utf8'));
  mac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return mac.digest('hex');
}

export interface IopPushCheck {
  appKey: string;
  appSecret: string;
  /** The body exactly as received: a parsed and re-serialised body would not match. */
  rawBody: string | Uint8Array;
  /** The `Authorization` header as received (missing when the request had none). */
  authorization: string | null | undefined;
}

/**
 * Whether a push message was signed by the platform with this app's secret. The hex is compared without
 * regard to case (the platform's samples are lower-case), in constant time.
 */
export function verifyIopPush(check: IopPushCheck): boolean {
  const given = (check.authorization ?? '').trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = iopPushSignature(check.appKey, check.appSecret, check.rawBody);
  return timingSafeEqual(Buffer.from(given, 'ascii'), Buffer.from(expected, 'ascii'));
}

/** Compares two request signatures in constant time, without regard to the case of the hex. */
export function sameIopSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given.toUpperCase(), 'utf8');
  const b = Buffer.from(expected.toUpperCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
