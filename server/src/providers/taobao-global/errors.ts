import { UpstreamError } from '../errors.js';
/**
 * How Taobao Global's IOP gateway fails, and what a caller can do about each failure. The gateway answers
 * a refused call with `{"type":"ISV","code":"IllegalAccessToken","message":"…","request_id":"…"}` (HTTP 200
 * as far as observed); `type` is SYSTEM (platform), ISV (the caller's request or data) or ISP (the
 * backend: try again later). See docs/adr/0016-real-upstreams.md.
 */

/** What a caller can do about a failed call. */
export type GatewayErrorKind =
  /** The access token is expired or invalid (refresh it), or the authorisation code or refresh token is. */
  | 'auth'
  /** The app's call quota is used up for now; the same call later may succeed. */
  | 'rate_limited'
  /** The request was not accepted as this app's: a bad signature, App Key or timestamp. */
  | 'signature'
  /** The API does not exist or this app may not call it. */
  | 'unsupported'
  /** A parameter is missing or invalid. */
  | 'params'
  /** Anything else, an unreadable answer included. */
  | 'unknown';

/** The gateway's error codes that this client and the fake both know. */
export const IOP_ERRORS = {
  IllegalAccessToken: 'The specified access token is invalid or expired',
  IncompleteSignature: 'The request signature does not conform to platform standards',
  InvalidAppKey: 'The specified App Key is invalid',
  InvalidApiPath: 'The specified API Path is invalid',
  ApiCallLimit: 'Api access frequency exceeds the limit. this ban will last 1 seconds',
  MissingParameter: 'The input parameter that is mandatory for processing this request is not supplied',
  InvalidParameter: 'The specified parameter is not valid',
  InvalidTimestamp: 'The specified timestamp is invalid or too far from the server time',
  InvalidCode: 'The specified authorization code is invalid or expired',
  IllegalRefreshToken: 'The specified refresh token is invalid or expired',
  InsufficientPermission: 'The app is not allowed to call this API',
} as const;

export type IopErrorCode = keyof typeof IOP_ERRORS;

const KINDS: ReadonlyArray<readonly [RegExp, GatewayErrorKind]> = [
  [/^(IllegalAccessToken|IllegalRefreshToken|InvalidCode|MissingAccessToken|IllegalSession)$/i, 'auth'],
  [/CallLimit|FlowLimit|Throttl|Frequency/i, 'rate_limited'],
  [
    /^(IncompleteSignature|InvalidSignature|InvalidAppKey|MissingAppKey|InvalidTimestamp|InvalidSignMethod)$/i,
    'signature',
  ],
  [/^(InvalidApiPath|ApiNotFound|InsufficientPermission|InsufficientIsvPermissions|AccessDenied)$/i, 'unsupported'],
  [/^(MissingParameter|InvalidParameter)(\..*)?$/i, 'params'],
];

/** The kind of an error code; codes not listed here are `unknown`. */
export function gatewayErrorKind(code: string): GatewayErrorKind {
  for (const [pattern, kind] of KINDS) if (pattern.test(code)) return kind;
  return 'unknown';
}

/** A call the gateway refused, or whose answer could not be read. */
export class GatewayError extends UpstreamError {
  readonly kind: GatewayErrorKind;

  constructor(
    /** The API path called (`/purchase/order/create`). */
    readonly api: string,
    /** The gateway's code (`IllegalAccessToken`), or `HttpStatus` / `UnreadableAnswer` for answers without one. */
    readonly code: string,
    /** The gateway's own text. */
    readonly gatewayMessage: string,
    /** The gateway's `request_id`, the reference its support asks for; null when the answer had none. */
    readonly requestId: string | null,
    readonly status: number,
    /** The gateway's `type` (SYSTEM, ISV, ISP) when the answer had one. */
    readonly type: string | null = null,
  ) {
    super(api, `${code}: ${gatewayMessage}`);
    this.name = 'GatewayError';
    this.kind = gatewayErrorKind(code);
  }
}
