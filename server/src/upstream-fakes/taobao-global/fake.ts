import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isLosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { request } from 'undici';
import { IOP_ERRORS, type IopErrorCode } from '../../providers/taobao-global/errors.js';
import {
  type IopSignMethod,
  iopPushSignature,
  sameIopSignature,
  signIopRequest,
} from '../../providers/taobao-global/sign.js';

/**
 * A stand-in for Taobao Global's IOP gateway that follows its protocol (see
 * docs/adr/0016-real-upstreams.md): `/rest{apiPath}` reached by GET query, POST form or POST JSON; the App
 * Key, timestamp and signature checked as the gateway checks them; access tokens issued by the OAuth code
 * exchange, expiring by an injected clock; the gateway's error bodies; business APIs answered by the
 * handlers the test gives; push messages signed as the platform signs them. What the business APIs do is
 * not its concern.
 */

/** An account that can authorise the app (a main account or a `Main:sub` sub-account). */
export interface IopFakeAccount {
  account: string;
  userId: string;
  accountId?: string;
  sellerId?: string;
  shortCode?: string;
  accountPlatform?: string;
}

export interface IopHandlerContext {
  api: string;
  /** The account whose access token the call carried; null for APIs that take none. */
  account: IopFakeAccount | null;
  requestId: string;
  now: number;
  /** The raw body of an API that takes one (a JSON body signed as a whole); null otherwise. */
  body: string | null;
}

export type IopHandlerFn = (params: Record<string, string>, ctx: IopHandlerContext) => unknown;

export interface IopHandlerSpec {
  handle: IopHandlerFn;
  /** Parameters without which the gateway answers `MissingParameter` before the handler runs. */
  required?: string[];
  /** Whether the API needs an access token (true unless said otherwise). */
  needsToken?: boolean;
}

export type IopHandler = IopHandlerFn | IopHandlerSpec;

/** Thrown by a handler to answer a gateway error body (`type`, `code`, `message`, `request_id`). */
export class IopFakeError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    readonly type: 'ISV' | 'ISP' | 'SYSTEM' = 'ISV',
    readonly status = 200,
  ) {
    super(message ?? (IOP_ERRORS as Record<string, string>)[code] ?? code);
    this.name = 'IopFakeError';
  }
}

const RAW = Symbol('iop-raw-answer');

/** A handler's answer sent as the whole body, without the gateway's `code` and `request_id`. */
export interface IopRawAnswer {
  [RAW]: true;
  body: unknown;
  status: number;
}

export function iopRawAnswer(body: unknown, status = 200): IopRawAnswer {
  return { [RAW]: true, body, status };
}

function isRaw(value: unknown): value is IopRawAnswer {
  return typeof value === 'object' && value !== null && RAW in value;
}

export interface IopFakeOptions {
  appKey: string;
  appSecret: string;
  /** Epoch milliseconds: token expiry and the timestamp check follow it. */
  now: () => number;
  /** Business APIs by path (`/product/get`). */
  handlers?: Record<string, IopHandler>;
  accounts?: IopFakeAccount[];
  /** The account `/oauth/authorize` signs in as; the first account unless given. */
  authorizingAccount?: string;
  /** Access token lifetime; 30 days unless given (the figure Lazada's copy of the gateway documents). */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime; 180 days unless given. */
  refreshTokenTtlSeconds?: number;
  /** How far a request's timestamp may be from the clock; 7200 s unless given. */
  maxSkewMs?: number;
  /** How long an authorisation code can be exchanged; 30 minutes unless given. */
  codeTtlMs?: number;
}

export interface IopPushResult {
  /** The subscriber's last HTTP status (0 when it could not be reached). */
  status: number;
  attempts: number;
  /** The body as sent, byte for byte what was signed. */
  body: string;
}

export interface IopFake {
  app: FastifyInstance;
  /** Starts listening (on loopback and a free port unless given) and answers the base URL (`http://127.0.0.1:port`). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** An authorisation code for `account`, as the OAuth callback would receive it. */
  issueCode(account: string): string;
  /** While on, every call that passes the App Key, timestamp and signature checks answers the rate-limit error. */
  setRateLimited(on: boolean): void;
  /**
   * POSTs a push message to a subscriber: the JSON body with `Authorization` = lower-case hex
   * HMAC-SHA256(App Key + body). Tried again after a non-200 answer or a failure, up to `attempts`.
   */
  push(url: string, message: unknown, options?: { attempts?: number; signal?: AbortSignal }): Promise<IopPushResult>;
  /** Every call that passed the gateway's checks, in order: the API and its parameters. */
  readonly calls: ReadonlyArray<{ api: string; params: Readonly<Record<string, string>> }>;
}

interface Grant {
  account: IopFakeAccount;
  expiresAt: number;
}

const TOKEN_APIS = new Set(['/auth/token/create', '/auth/token/refresh']);

function newRequestId(): string {
  return `21${randomBytes(12).toString('hex').slice(0, 23)}`;
}

function newSecret(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url');
}

/** Form and query text as a flat map; a name given twice keeps its last value, as the gateway's maps do. */
function formParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/**
 * A JSON body as a flat parameter map (third-party clients post the parameters this way), or null when
 * it is not one. Numbers keep the text they were sent as.
 */
function jsonParams(text: string): Record<string, string> | null {
  let value: unknown;
  try {
    value = parseLossless(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (isLosslessNumber(v) || typeof v === 'boolean') out[k] = String(v);
    else if (v === null) continue;
    else return null;
  }
  return out;
}

/** Epoch milliseconds of a `timestamp` parameter: digits (milliseconds) or an ISO 8601 UTC time. */
function timestampMs(value: string): number | null {
  if (/^\d{10,16}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

interface Candidate {
  params: Record<string, string>;
  body: string | null;
}

export function buildIopFake(options: IopFakeOptions): IopFake {
  const handlers = options.handlers ?? {};
  const accounts = new Map((options.accounts ?? []).map((a) => [a.account, a]));
  const accessTtl = (options.accessTokenTtlSeconds ?? 30 * 86_400) * 1000;
  const refreshTtl = (options.refreshTokenTtlSeconds ?? 180 * 86_400) * 1000;
  const maxSkew = options.maxSkewMs ?? 7_200_000;
  const codeTtl = options.codeTtlMs ?? 30 * 60_000;
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const calls: Array<{ api: string; params: Record<string, string> }> = [];
  let rateLimited = false;

  const app = Fastify({ logger: false });
  // Every body is read as text: the signature covers the body's exact bytes, and JSON numbers must keep
  // their digits.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  function fail(reply: FastifyReply, code: IopErrorCode | string, message?: string, type = 'ISV', status = 200) {
    const text = message ?? (IOP_ERRORS as Record<string, string>)[code] ?? code;
    return reply
      .code(status)
      .type('application/json;charset=UTF-8')
      .send(JSON.stringify({ type, code, message: text, request_id: newRequestId() }));
  }

  function ok(reply: FastifyReply, fields: object, requestId: string) {
    const body = { code: '0', ...fields, request_id: requestId, _trace_id_: requestId };
    return reply.type('application/json;charset=UTF-8').send(stringifyLossless(body));
  }

  function issueToken(account: IopFakeAccount, now: number) {
    const accessToken = newSecret('50000');
    const refreshToken = newSecret('50001');
    accessTokens.set(accessToken, { account, expiresAt: now + accessTtl });
    refreshTokens.set(refreshToken, { account, expiresAt: now + refreshTtl });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: Math.floor(accessTtl / 1000),
      refresh_expires_in: Math.floor(refreshTtl / 1000),
      account: account.account,
      account_id: account.accountId ?? null,
      user_id: account.userId,
      seller_id: account.sellerId ?? '',
      short_code: account.shortCode ?? '',
      account_platform: account.accountPlatform ?? 'taobao_global',
    };
  }

  /** The ways a request's parameters can have been signed, by transport. */
  function candidates(req: FastifyRequest): Candidate[] {
    const at = req.url.indexOf('?');
    const query = at >= 0 ? formParams(req.url.slice(at + 1)) : {};
    const raw = typeof req.body === 'string' ? req.body : '';
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (req.method === 'GET' || raw === '') return [{ params: query, body: null }];
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return [{ params: { ...query, ...formParams(raw) }, body: null }];
    }
    const list: Candidate[] = [];
    const flat = type.includes('json') ? jsonParams(raw) : null;
    if (flat) list.push({ params: { ...query, ...flat }, body: null });
    // A body the API takes as a whole: the parameters are in the query and the body is signed after them.
    list.push({ params: query, body: raw });
    return list;
  }

  app.get('/oauth/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== options.appKey) return fail(reply, 'InvalidAppKey');
    if (q.response_type !== 'code' || !q.redirect_uri) return fail(reply, 'InvalidParameter');
    const name = options.authorizingAccount ?? [...accounts.keys()][0];
    if (!name) return fail(reply, 'InvalidParameter', 'no account can authorise');
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', fake.issueCode(name));
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/rest/*',
    handler: async (req, reply) => {
      const api = `/${(req.params as { '*': string })['*']}`;
      const now = options.now();
      const ways = candidates(req);
      // The App Key is checked before anything else, the API path included.
      const appKey = ways.find((c) => c.params.app_key !== undefined)?.params.app_key;
      if (appKey !== options.appKey) return fail(reply, 'InvalidAppKey');
      const sign = ways.find((c) => c.params.sign !== undefined)?.params.sign;
      const method = (ways.find((c) => c.params.sign_method)?.params.sign_method ?? '') as IopSignMethod;
      if (!sign || (method !== 'sha256' && method !== 'hmac')) return fail(reply, 'IncompleteSignature');
      const stamp = ways.find((c) => c.params.timestamp !== undefined)?.params.timestamp;
      if (stamp === undefined) return missing(reply, 'timestamp');
      const at = timestampMs(stamp);
      if (at === null || Math.abs(at - now) > maxSkew) return fail(reply, 'InvalidTimestamp');
      const signed = ways.find((c) =>
        sameIopSignature(
          sign,
          signIopRequest({
            apiPath: api,
            params: c.params,
            body: c.body,
            appSecret: options.appSecret,
            signMethod: method,
          }),
        ),
      );
      if (!signed) return fail(reply, 'IncompleteSignature');
      const params = signed.params;
      const spec = tokenSpec(api) ?? specOf(handlers[api]);
      if (!spec) return fail(reply, 'InvalidApiPath');
      if (rateLimited) return fail(reply, 'ApiCallLimit');
      let account: IopFakeAccount | null = null;
      if (spec.needsToken !== false) {
        const grant = params.access_token ? accessTokens.get(params.access_token) : undefined;
        if (!grant || grant.expiresAt <= now) return fail(reply, 'IllegalAccessToken');
        account = grant.account;
      }
      for (const name of spec.required ?? []) {
        if (params[name] === undefined || params[name] === '') return missing(reply, name);
      }
      const visible = { ...params };
      for (const system of ['app_key', 'sign', 'sign_method', 'timestamp', 'access_token']) delete visible[system];
      calls.push({ api, params: visible });
      const requestId = newRequestId();
      try {
        const answer = await spec.handle(visible, { api, account, requestId, now, body: signed.body });
        if (isRaw(answer)) {
          return reply.code(answer.status).type('application/json;charset=UTF-8').send(stringifyLossless(answer.body));
        }
        return ok(reply, (answer ?? {}) as object, requestId);
      } catch (err) {
        if (err instanceof IopFakeError) return fail(reply, err.code, err.message, err.type, err.status);
        return fail(reply, 'InternalError', err instanceof Error ? err.message : String(err), 'ISP');
      }
    },
  });

  function missing(reply: FastifyReply, name: string) {
    return fail(
      reply,
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied`,
    );
  }

  function specOf(handler: IopHandler | undefined): IopHandlerSpec | undefined {
    if (!handler) return undefined;
    return typeof handler === 'function' ? { handle: handler } : handler;
  }

  function tokenSpec(api: string): IopHandlerSpec | undefined {
    if (!TOKEN_APIS.has(api)) return undefined;
    if (api === '/auth/token/create') {
      return {
        needsToken: false,
        required: ['code'],
        handle: (params, ctx) => {
          const grant = codes.get(params.code as string);
          // A code works once, and only for a while.
          codes.delete(params.code as string);
          if (!grant || grant.expiresAt <= ctx.now) throw new IopFakeError('InvalidCode');
          return issueToken(grant.account, ctx.now);
        },
      };
    }
    return {
      needsToken: false,
      required: ['refresh_token'],
      handle: (params, ctx) => {
        const grant = refreshTokens.get(params.refresh_token as string);
        if (!grant || grant.expiresAt <= ctx.now) throw new IopFakeError('IllegalRefreshToken');
        // The refresh token is replaced by the new one; access tokens already issued keep working until
        // they expire.
        refreshTokens.delete(params.refresh_token as string);
        return issueToken(grant.account, ctx.now);
      },
    };
  }

  const fake: IopFake = {
    app,
    calls,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ host, port });
      const bound = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      return `http://${bound}:${(app.server.address() as AddressInfo).port}`;
    },
    async close() {
      await app.close();
    },
    issueCode(name) {
      const account = accounts.get(name);
      if (!account) throw new Error(`no such account: ${name}`);
      const code = `3_${randomBytes(16).toString('hex')}`;
      codes.set(code, { account, expiresAt: options.now() + codeTtl });
      return code;
    },
    setRateLimited(on) {
      rateLimited = on;
    },
    async push(url, message, pushOptions = {}) {
      const body = typeof message === 'string' ? message : (stringifyLossless(message) ?? 'null');
      const authorization = iopPushSignature(options.appKey, options.appSecret, body);
      const attempts = Math.max(1, pushOptions.attempts ?? 1);
      let status = 0;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const res = await request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body,
            signal: pushOptions.signal,
          });
          status = res.statusCode;
          await res.body.dump();
        } catch (err) {
          if (pushOptions.signal?.aborted) throw err;
          status = 0;
        }
        if (status === 200) return { status, attempts: attempt, body };
      }
      return { status, attempts, body };
    },
  };
  return fake;
}
