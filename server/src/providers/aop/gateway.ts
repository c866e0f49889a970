import { type Dispatcher, FormData, fetch as undiciFetch } from 'undici';
import { UpstreamError } from '../errors.js';
import { GatewayError, gatewayErrorOf } from './errors.js';
import { parseAopJson, stringifyAopJson } from './json.js';
import { apiPath, SIGNATURE_PARAM, signRequest } from './sign.js';

/**
 * The client of 1688's open platform gateway (AOP, `param2`), as ADR 0016 describes it: every call is a
 * signed form POST to `{baseUrl}/openapi/param2/{version}/{namespace}/{apiName}/{appKey}`, answered in
 * JSON. This layer signs, sends, parses and types the gateway's refusals; it does not retry and does not
 * read business envelopes (each API's caller knows its own).
 */

/** An API of the gateway. `version` is `1` for every API Ponte uses. */
export interface AopApi {
  namespace: string;
  name: string;
  version?: string;
}

/**
 * A parameter value: text and numbers are sent as they are, objects and arrays as JSON text (a `bigint`
 * inside keeps all its digits), bytes as a multipart file part (which is not signed). `undefined` and
 * `null` are left out.
 */
export type AopParamValue = string | number | boolean | bigint | object | Uint8Array | null | undefined;

/** What the client writes to its log: never the secret, a token, a code or a signature. */
export interface GatewayLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** The subset of `fetch` the client uses (undici's by default; tests may pass their own). */
export type FetchLike = typeof undiciFetch;

export interface AopGatewayOptions {
  /** Where the gateway is, e.g. `https://gw.open.1688.com`; the client adds `/openapi/...`. */
  baseUrl: string;
  appKey: string;
  appSecret: string;
  fetch?: FetchLike;
  dispatcher?: Dispatcher;
  /** The clock for `_aop_timestamp` and token expiry times (epoch ms). */
  now: () => number;
  log: GatewayLog;
}

export interface AopCallOptions {
  /** The token of the account the call acts for; APIs that need no user authorisation go without. */
  accessToken?: string;
  signal?: AbortSignal;
}

/** A token of the OAuth endpoint, with its times as epoch milliseconds. */
export interface AopToken {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  /** When the refresh token stops working, when the gateway said so. */
  refreshExpiresAt: number | null;
  /** The account the token acts for: its member id (`b2b-...`), the id pushed messages carry as `userInfo`. */
  owner: string;
  /** The account's login name (`resource_owner`), when the gateway gave it. */
  ownerLogin?: string;
}

/** Reads `namespace:name` (optionally `namespace:name-version`, as the documentation's ids are written). */
export function parseApi(api: string | AopApi): AopApi {
  if (typeof api !== 'string') return api;
  const colon = api.indexOf(':');
  if (colon <= 0) throw new TypeError(`an AOP API is written namespace:name, not ${api}`);
  const namespace = api.slice(0, colon);
  const rest = api.slice(colon + 1);
  const versioned = /^(.+)-(\d+)$/.exec(rest);
  return versioned ? { namespace, name: versioned[1] as string, version: versioned[2] } : { namespace, name: rest };
}

const TOKEN_API: AopApi = { namespace: 'system.oauth2', name: 'getToken' };
const FORM_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

/** What one exchange with the gateway answered, parsed. */
interface Exchange {
  status: number;
  body: unknown;
}

export class AopGateway {
  private readonly fetch: FetchLike;
  private readonly baseUrl: string;

  constructor(private readonly options: AopGatewayOptions) {
    this.fetch = options.fetch ?? undiciFetch;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Calls `api` with `params` and answers the parsed body (ids above 2^53 as strings). Throws
   * `GatewayError` when the gateway refuses, `UpstreamError` when it cannot be reached or answers
   * something that is not JSON, and the signal's reason when `signal` aborts.
   */
  async call<T = unknown>(
    api: string | AopApi,
    params: Record<string, AopParamValue> = {},
    options: AopCallOptions = {},
  ): Promise<T> {
    const ref = parseApi(api);
    const fields = formFields(params);
    if (options.accessToken !== undefined) fields.access_token = options.accessToken;
    return (await this.signedPost(ref, fields, options.signal)) as T;
  }

  /**
   * The browser address where the account owner authorises the app; 1688 sends the browser back to
   * `redirectUri` with `?code=` (and the same `state`).
   */
  authorizeUrl(redirectUri: string, state: string, authBaseUrl = 'https://auth.1688.com'): string {
    const query = new URLSearchParams({
      client_id: this.options.appKey,
      site: '1688',
      redirect_uri: redirectUri,
      state,
    });
    return `${authBaseUrl.replace(/\/+$/, '')}/oauth/authorize?${query}`;
  }

  /**
   * Exchanges an authorisation code for a token: `system.oauth2/getToken` on the gateway's `http`
   * route, which authenticates the app by `client_secret` in the form rather than by a signature.
   */
  async exchangeCode(code: string, redirectUri: string, options: { signal?: AbortSignal } = {}): Promise<AopToken> {
    const { appKey, appSecret } = this.options;
    const url = `${this.baseUrl}/openapi/http/1/${TOKEN_API.namespace}/${TOKEN_API.name}/${appKey}`;
    const sentAt = this.options.now();
    const answer = await this.exchange(
      apiLabel(TOKEN_API),
      url,
      formBody({
        grant_type: 'authorization_code',
        need_refresh_token: 'true',
        client_id: appKey,
        client_secret: appSecret,
        redirect_uri: redirectUri,
        code,
      }),
      options.signal,
    );
    return tokenOf(apiLabel(TOKEN_API), answer, sentAt);
  }

  /**
   * Gets a new access token with a refresh token: `system.oauth2/getToken` on the signed `param2` route.
   * When the gateway does not hand out a new refresh token, the one given stays valid and is answered.
   */
  async refreshToken(refreshToken: string, options: { signal?: AbortSignal } = {}): Promise<AopToken> {
    const { appKey, appSecret } = this.options;
    const sentAt = this.options.now();
    const body = await this.signedPost(
      TOKEN_API,
      {
        grant_type: 'refresh_token',
        client_id: appKey,
        client_secret: appSecret,
        refresh_token: refreshToken,
      },
      options.signal,
    );
    return tokenOf(apiLabel(TOKEN_API), { status: 200, body }, sentAt, refreshToken);
  }

  /** Signs `fields` for `api`, posts them and answers the body of a successful answer. */
  private async signedPost(api: AopApi, fields: Record<string, string | Uint8Array>, signal?: AbortSignal) {
    const { appKey, appSecret } = this.options;
    const path = apiPath(api, appKey);
    fields._aop_timestamp = String(this.options.now());
    fields[SIGNATURE_PARAM] = signRequest(path, fields, appSecret);
    const label = apiLabel(api);
    const answer = await this.exchange(label, `${this.baseUrl}/openapi/${path}`, formBody(fields), signal);
    return answer.body;
  }

  /**
   * Sends one request and parses its answer, logging the API, the duration, the HTTP status and the
   * gateway's request id. Refusals become `GatewayError`.
   */
  private async exchange(
    api: string,
    url: string,
    body: URLSearchParams | FormData,
    signal?: AbortSignal,
  ): Promise<Exchange> {
    const { log } = this.options;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let status: number | undefined;
    try {
      signal?.throwIfAborted();
      const res = await this.fetch(url, {
        method: 'POST',
        // A FormData body sets its own multipart type with the boundary.
        headers: body instanceof URLSearchParams ? { 'content-type': FORM_TYPE, accept: 'application/json' } : {},
        body,
        signal,
        dispatcher: this.options.dispatcher,
      });
      status = res.status;
      const text = await res.text();
      const parsed = parseBody(text);
      // A refusal that is not JSON (a proxy's error page) still says something: its start is the message.
      const refusal = gatewayErrorOf(api, res.status, parsed.ok ? parsed.value : { error_message: text.slice(0, 200) });
      if (refusal) throw refusal;
      if (!parsed.ok) {
        throw new UpstreamError(api, `the gateway answered HTTP ${res.status} with a body that is not JSON`);
      }
      log.info({ api, durationMs: elapsed(), status, requestId: requestIdOf(parsed.value) }, 'aop call');
      return { status: res.status, body: parsed.value };
    } catch (err) {
      if (signal?.aborted) {
        log.warn({ api, durationMs: elapsed(), status, aborted: true }, 'aop call aborted');
        throw signal.reason ?? err;
      }
      if (err instanceof GatewayError) {
        log.warn(
          { api, durationMs: elapsed(), status, requestId: err.requestId, code: err.code, kind: err.kind },
          'aop call refused',
        );
        throw err;
      }
      if (err instanceof UpstreamError) {
        log.warn({ api, durationMs: elapsed(), status }, 'aop call failed');
        throw err;
      }
      log.warn({ api, durationMs: elapsed(), status, error: (err as Error).message }, 'aop call failed');
      throw new UpstreamError(api, `cannot reach the gateway (${(err as Error).message})`);
    }
  }
}

/** `namespace:name`, the way errors and the log name an API. */
function apiLabel(api: AopApi): string {
  return `${api.namespace}:${api.name}`;
}

/** The form fields of `params`: text as it is, objects as JSON text, bytes kept for a multipart part. */
function formFields(params: Record<string, AopParamValue>): Record<string, string | Uint8Array> {
  const fields: Record<string, string | Uint8Array> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Uint8Array) fields[key] = value;
    else if (typeof value === 'object') fields[key] = stringifyAopJson(value);
    else fields[key] = String(value);
  }
  return fields;
}

/** A urlencoded form, or a multipart one when a field is bytes (files are sent as parts, unsigned). */
function formBody(fields: Record<string, string | Uint8Array>): URLSearchParams | FormData {
  const values = Object.entries(fields);
  if (!values.some(([, v]) => v instanceof Uint8Array)) {
    return new URLSearchParams(values as [string, string][]);
  }
  const form = new FormData();
  for (const [key, value] of values) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([value as Uint8Array<ArrayBuffer>]), key);
  }
  return form;
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseAopJson(text) };
  } catch {
    return { ok: false };
  }
}

/** The gateway's request id in an answer, where it gives one. */
function requestIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const id = fields.request_id ?? fields.eagleTraceId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * Reads the OAuth endpoint's answer: `access_token`, `refresh_token`, `expires_in` (seconds),
 * `refresh_token_timeout` (`yyyyMMddHHmmssSSS+zzzz`), `memberId`, `resource_owner`.
 */
function tokenOf(api: string, answer: Exchange, sentAt: number, currentRefresh?: string): AopToken {
  const fields = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Record<
    string,
    unknown
  >;
  const accessToken = str(fields.access_token);
  const expiresIn = Number(fields.expires_in);
  const refreshToken = str(fields.refresh_token) ?? currentRefresh;
  const owner = str(fields.memberId) ?? str(fields.resource_owner);
  if (!accessToken || !refreshToken || !owner || !Number.isFinite(expiresIn)) {
    throw new UpstreamError(api, 'the token answer lacks access_token, refresh_token, expires_in or the owner');
  }
  const timeout = str(fields.refresh_token_timeout);
  const login = str(fields.resource_owner);
  return {
    accessToken,
    refreshToken,
    // Counted from when the request left, so that the token is never believed valid longer than it is.
    expiresAt: sentAt + expiresIn * 1000,
    refreshExpiresAt: timeout ? parseAopDate(timeout) : null,
    owner,
    ...(login ? { ownerLogin: login } : {}),
  };
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const AOP_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})([+-])(\d{2})(\d{2})$/;

/** Reads the gateway's date form `20261014200339000+0800` as epoch ms; null when it is not that form. */
export function parseAopDate(text: string): number | null {
  const m = AOP_DATE.exec(text);
  if (!m) return null;
  const n = m.map(Number);
  const at = (i: number) => n[i] as number;
  const local = Date.UTC(at(1), at(2) - 1, at(3), at(4), at(5), at(6), at(7));
  const offset = (at(9) * 60 + at(10)) * 60_000;
  // The digits are the local time at that offset: UTC is the local time minus the offset.
  return m[8] === '-' ? local + offset : local - offset;
}
