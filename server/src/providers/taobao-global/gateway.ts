import { isLosslessNumber, isSafeNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { type Dispatcher, request } from 'undici';
import { GatewayError } from './errors.js';
import { signIopRequest } from './sign.js';

/**
 * The client of Taobao Global's IOP gateway (`{baseUrl}/rest{apiPath}`): it signs each call, sends it,
 * reads the answer without losing the digits of long ids, and turns the gateway's refusals into
 * `GatewayError`. It neither retries nor refreshes tokens: the layer above decides (see
 * docs/adr/0016-real-upstreams.md).
 */

/** Where each call is reported; pino's and Fastify's loggers fit. */
export interface GatewayLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface IopClientOptions {
  /** `https://api.taobao.global`; the client adds `/rest` and the API path. */
  baseUrl: string;
  appKey: string;
  appSecret: string;
  /** The connection pool to use (tests, proxies); undici's global one unless given. */
  dispatcher?: Dispatcher;
  /** Epoch milliseconds, for the `timestamp` parameter and token expiries. */
  now: () => number;
  log: GatewayLog;
}

/**
 * A business parameter. Objects and arrays travel as JSON text, as the gateway expects of
 * `order_line_list` and its kin; bigint and lossless-json numbers keep their exact digits. Missing
 * values are not sent.
 */
export type IopParam = string | number | bigint | boolean | object | null | undefined;

export interface IopCallOptions {
  /** The buyer's token; omitted only for the token APIs. */
  accessToken?: string;
  signal?: AbortSignal;
  /** `POST` (form) unless given; `GET` puts the parameters in the query. */
  method?: 'GET' | 'POST';
  /**
   * A raw JSON body for the APIs that take one: the parameters then go in the query and the body is
   * appended to the text signed.
   */
  body?: string;
}

/** A successful answer: the whole parsed body (`code` is `"0"`) and its request id. */
export interface IopAnswer {
  body: Record<string, unknown>;
  requestId: string | null;
}

/** The account a token acts for, as the token APIs describe it. Ids are text: they exceed 2^53. */
export interface IopTokenOwner {
  /** The login name (`Company:caigou01` for a sub-account). */
  account: string;
  accountId: string | null;
  userId: string | null;
  sellerId: string | null;
  shortCode: string | null;
  accountPlatform: string | null;
}

export interface IopToken {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token no longer works. */
  expiresAt: number;
  /** Epoch milliseconds after which the refresh token no longer works; null when the answer did not say. */
  refreshExpiresAt: number | null;
  owner: IopTokenOwner;
}

const SIGN_METHOD = 'sha256';

/** `/purchase/order/create`: segments of letters, digits, `_`, `.` and `-`, so a path cannot carry a query. */
const API_PATH = /^(\/[\w.-]+)+$/;

export class IopClient {
  private readonly restUrl: string;

  constructor(private readonly options: IopClientOptions) {
    this.restUrl = `${options.baseUrl.replace(/\/+$/, '')}/rest`;
  }

  /** Calls `api` (`/product/get`) and answers its body, or throws `GatewayError` (or the signal's abort reason). */
  async call(
    api: string,
    params: Readonly<Record<string, IopParam>> = {},
    opts: IopCallOptions = {},
  ): Promise<IopAnswer> {
    if (!API_PATH.test(api)) throw new TypeError(`not an IOP API path: ${api}`);
    opts.signal?.throwIfAborted();
    const wire = this.signedParams(api, params, opts, this.options.now());
    const query = new URLSearchParams(wire).toString();
    // A raw body takes the request body, so the parameters move to the query; so they do for GET.
    const method = opts.body !== undefined ? 'POST' : (opts.method ?? 'POST');
    const paramsInBody = opts.body === undefined && method === 'POST';
    const payload = paramsInBody ? query : opts.body;
    const url = `${this.restUrl}${api}${paramsInBody ? '' : `?${query}`}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json;charset=utf-8';
    else if (payload !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded;charset=utf-8';
    const fields = { upstream: 'taobao-global', api };
    let status = 0;
    let text: string;
    const clockStart = performance.now();
    try {
      const res = await request(url, {
        method,
        headers,
        body: payload,
        signal: opts.signal,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const durationMs = Math.round(performance.now() - clockStart);
      // An abort is the caller's decision, not the upstream's failure: it is passed on as it came.
      if (opts.signal?.aborted) {
        this.options.log.info({ ...fields, durationMs, aborted: true }, 'upstream call aborted');
        throw opts.signal.reason;
      }
      this.options.log.warn({ ...fields, durationMs, error: describe(err) }, 'upstream call failed');
      throw err;
    }
    const durationMs = Math.round(performance.now() - clockStart);
    const body = parseAnswer(text);
    const requestId = body ? idText(body.request_id) : null;
    const code = body ? idText(body.code) : null;
    if (body && code === '0' && status >= 200 && status < 300) {
      this.options.log.info({ ...fields, durationMs, status, requestId }, 'upstream call');
      return { body, requestId };
    }
    const error = toGatewayError(api, status, body, text);
    this.options.log.warn(
      { ...fields, durationMs, status, requestId, code: error.code, kind: error.kind },
      'upstream call refused',
    );
    throw error;
  }

  /** Exchanges the authorisation code the OAuth callback received for a token (`/auth/token/create`). */
  async createToken(code: string, opts: { uuid?: string; signal?: AbortSignal } = {}): Promise<IopToken> {
    const requested = this.options.now();
    const answer = await this.call('/auth/token/create', { code, uuid: opts.uuid }, { signal: opts.signal });
    return tokenFromAnswer('/auth/token/create', answer, requested);
  }

  /** Gets a new access token with a refresh token (`/auth/token/refresh`). */
  async refreshToken(refreshToken: string, opts: { signal?: AbortSignal } = {}): Promise<IopToken> {
    const requested = this.options.now();
    const answer = await this.call('/auth/token/refresh', { refresh_token: refreshToken }, { signal: opts.signal });
    return tokenFromAnswer('/auth/token/refresh', answer, requested);
  }

  /** The parameters as sent: business ones as text, the system ones, and `sign` over all of them. */
  private signedParams(
    api: string,
    params: Readonly<Record<string, IopParam>>,
    opts: IopCallOptions,
    timestamp: number,
  ): Record<string, string> {
    const wire: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      const text = wireValue(value);
      // Empty and blank values are not sent at all: the gateway's signers disagree on whether they are
      // signed, and leaving them out is the one form every signer agrees on.
      if (text !== undefined && text.trim() !== '') wire[name] = text;
    }
    wire.app_key = this.options.appKey;
    wire.timestamp = String(timestamp);
    wire.sign_method = SIGN_METHOD;
    // The token is a system parameter too: only the call's options set it, never a business parameter.
    if (opts.accessToken) wire.access_token = opts.accessToken;
    else delete wire.access_token;
    wire.sign = signIopRequest({ apiPath: api, params: wire, appSecret: this.options.appSecret, body: opts.body });
    return wire;
  }
}

/** A parameter as the text the gateway receives. */
function wireValue(value: IopParam): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (isLosslessNumber(value)) return value.toString();
  return stringifyLossless(value) ?? undefined;
}

/** Numbers a double holds exactly stay numbers; any other (ids beyond 2^53) stays its exact text. */
function parseNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text;
}

/** The answer as an object, or null when it is not a JSON object (an HTML block page, an empty body). */
export function parseAnswer(text: string): Record<string, unknown> | null {
  try {
    const value = parseLossless(text, undefined, parseNumber);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** An id or code as text, whether the gateway sent it as a string or a number. */
function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function toGatewayError(api: string, status: number, body: Record<string, unknown> | null, text: string): GatewayError {
  if (body && idText(body.code) !== null) {
    const code = idText(body.code) as string;
    const message = typeof body.message === 'string' ? body.message : typeof body.msg === 'string' ? body.msg : code;
    const type = typeof body.type === 'string' ? body.type : null;
    return new GatewayError(api, code, message, idText(body.request_id), status, type);
  }
  if (status < 200 || status >= 300) {
    return new GatewayError(api, 'HttpStatus', `HTTP ${status}: ${excerpt(text)}`, null, status);
  }
  return new GatewayError(api, 'UnreadableAnswer', `not a gateway answer: ${excerpt(text)}`, null, status);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * A business failure inside a successful gateway answer, in whichever of the three styles the API uses:
 * `success: false` with `error_code` / `error_msg` at the top or in `result`, or `biz_error_code` /
 * `biz_error_msg`. `success` is sometimes the string `"true"`. Null when the answer reports none.
 */
export function businessError(body: Record<string, unknown>): { code: string; message: string } | null {
  for (const scope of [body, body.result, body.data]) {
    if (scope === null || typeof scope !== 'object') continue;
    const s = scope as Record<string, unknown>;
    const biz = idText(s.biz_error_code);
    if (biz && biz !== '0') return { code: biz, message: String(s.biz_error_msg ?? biz) };
    if (s.success === false || s.success === 'false') {
      const code = idText(s.error_code) ?? 'UNKNOWN';
      return { code, message: String(s.error_msg ?? s.error_message ?? s.errorMsg ?? code) };
    }
  }
  return null;
}

function tokenFromAnswer(api: string, answer: IopAnswer, requestedAt: number): IopToken {
  const b = answer.body;
  const accessToken = idText(b.access_token);
  const refreshToken = idText(b.refresh_token);
  const expiresIn = Number(b.expires_in);
  if (!accessToken || !refreshToken || !Number.isFinite(expiresIn)) {
    throw new GatewayError(
      api,
      'UnreadableAnswer',
      'the token answer lacks a token or its lifetime',
      answer.requestId,
      200,
    );
  }
  const refreshIn = Number(b.refresh_expires_in);
  // Lifetimes count from when the gateway issued the token, which is after the request left: counting
  // from the request errs on the early side.
  return {
    accessToken,
    refreshToken,
    expiresAt: requestedAt + expiresIn * 1000,
    refreshExpiresAt: Number.isFinite(refreshIn) && refreshIn > 0 ? requestedAt + refreshIn * 1000 : null,
    owner: {
      account: idText(b.account) ?? '',
      accountId: idText(b.account_id),
      userId: idText(b.user_id),
      sellerId: idText(b.seller_id),
      shortCode: idText(b.short_code),
      accountPlatform: idText(b.account_platform),
    },
  };
}
