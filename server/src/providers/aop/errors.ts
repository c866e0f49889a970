import { UpstreamError } from '../errors.js';

/**
 * What kind of refusal a gateway error is, so that a later layer can decide what to do without reading
 * codes: renew the token (`auth`), wait (`rate_limited`), fix the client (`signature`, `params`), or give
 * up on an API the app cannot use (`unsupported`: no such API, or the app was not granted it).
 */
export type GatewayErrorKind = 'auth' | 'rate_limited' | 'signature' | 'unsupported' | 'params' | 'unknown';

/** The gateway refused a call: its own code and message, the request id it gave, and the HTTP status. */
export class GatewayError extends UpstreamError {
  constructor(
    /** The API called, as `namespace:name`. */
    readonly api: string,
    readonly code: string,
    readonly gatewayMessage: string,
    readonly status: number,
    readonly kind: GatewayErrorKind,
    readonly requestId?: string,
  ) {
    super(api, `${code || `HTTP ${status}`}: ${gatewayMessage}`);
    this.name = 'GatewayError';
  }
}

const AUTH_TEXT = /need user authori[sz]ed|need user authenticated/i;

/**
 * The kind of a gateway error code. Tokens are refused with code `401` ("Request need user
 * authorized"); throttling codes start with `gw.Qos`; the others are the gateway's `gw.*` codes.
 */
export function errorKind(code: string, message: string, status: number): GatewayErrorKind {
  if (code === '401' || AUTH_TEXT.test(message)) return 'auth';
  if (code.startsWith('gw.Qos') || status === 429) return 'rate_limited';
  if (code === 'gw.SignatureInvalid') return 'signature';
  if (code === 'gw.APIUnsupported' || code === 'gw.APIACLDecline') return 'unsupported';
  if (code.startsWith('gw.Param')) return 'params';
  if (status === 401) return 'auth';
  return 'unknown';
}

/**
 * The gateway error a parsed answer carries, if any: the gateway's body (`error_code`, `error_message`,
 * `exception`, `request_id`) on any status, or an HTTP status of 400 or more with whatever body came.
 * Business refusals inside HTTP 200 envelopes (`errorCode`, `success: false`...) are not gateway errors:
 * each API's caller reads its own envelope.
 */
export function gatewayErrorOf(api: string, status: number, body: unknown): GatewayError | undefined {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = text(fields.error_code);
  if (code === undefined && status < 400) return undefined;
  const message = text(fields.error_message) ?? text(fields.exception) ?? text(fields.error_description) ?? '';
  const requestId = text(fields.request_id);
  // The OAuth endpoint answers in OAuth's own words (`error`, `error_description`): a refused code or
  // refresh token means the authorisation has to be given again.
  const oauth = text(fields.error);
  if (code === undefined && oauth !== undefined) {
    return new GatewayError(api, oauth, message, status, 'auth', requestId);
  }
  const finalCode = code ?? String(status);
  return new GatewayError(api, finalCode, message, status, errorKind(finalCode, message, status), requestId);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
