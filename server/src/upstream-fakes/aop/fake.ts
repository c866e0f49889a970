import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fetch as undiciFetch } from 'undici';
import { stringifyAopJson } from '../../providers/aop/json.js';
import { SIGNATURE_PARAM, signPush, signRequest } from '../../providers/aop/sign.js';
import { parseMultipart } from './multipart.js';

/**
 * A stand-in for 1688's open platform gateway (AOP, `param2`) that keeps its protocol (ADR 0016): the
 * same routes, the same signature rule, the same refusals in the same order, the OAuth endpoint, and
 * signed pushes. Business APIs are whatever handlers the options give; the fake only wraps their
 * answers in the envelope each family of APIs uses.
 *
 * The order of the checks follows what was observed on the real gateway where it is known (the token
 * before the app's grant, the grant before the parameters); where it is not (the API lookup, throttling
 * and the signature before the token), the fake picks the order that needs the least knowledge first.
 */

/** The envelope an API answers in (ADR 0016): A product/category, B trade/logistics (flat), C refund/pay. */
export type AopEnvelope = 'A' | 'B' | 'C' | 'none';

export interface AopFakeContext {
  api: { namespace: string; name: string; version: string };
  /** The member id of the token's account, for APIs that need one. */
  owner: string | undefined;
  now: number;
  requestId: string;
}

/** Params as received: text fields, and files (multipart parts) as bytes. */
export type AopFakeParams = Record<string, string | Buffer>;

export type AopFakeHandler = (params: AopFakeParams, ctx: AopFakeContext) => unknown | Promise<unknown>;

export interface AopFakeApi {
  handle: AopFakeHandler;
  /** How the handler's answer is wrapped; by default the envelope of the API's family. */
  envelope?: AopEnvelope;
  /** Parameters the gateway refuses the call without (`gw.ParamMissing`). */
  required?: string[];
  /** Parameters that carry JSON text (objects and arrays). */
  json?: string[];
  /** Whether the API needs a user's token; by default all but `push.*` and `alibaba.category.get`. */
  auth?: boolean;
  version?: string;
}

export interface AopFakeOptions {
  appKey: string;
  appSecret: string;
  /** The clock token lifetimes are counted on (epoch ms). */
  now?: () => number;
  /** Business APIs by `namespace:name`. */
  handlers?: Record<string, AopFakeHandler | AopFakeApi>;
  /** APIs that exist but the app was not granted (`gw.APIACLDecline`), by `namespace:name`. */
  declined?: string[];
  /** Access token lifetime; the real one is 10 hours. */
  accessTokenTtlMs?: number;
  /** Refresh token lifetime; the real one is the subscription period, up to half a year. */
  refreshTokenTtlMs?: number;
  /** The member `/oauth/authorize` signs in as (the account owner who authorises the app in the browser). */
  authorizingMember?: string;
}

/** A handler's answer sent as it is, with no envelope around it (for bodies with a documented quirk). */
export class AopWholeBody {
  constructor(
    readonly body: unknown,
    readonly status = 200,
  ) {}
}

/** Thrown by a handler to answer a gateway error body (`error_code`, `error_message`). */
export class AopFakeRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AopFakeRefusal';
  }
}

export interface AopFake {
  app: FastifyInstance;
  /** Listens (on loopback and a free port unless given) and answers the base URL (`http://127.0.0.1:port`). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** An authorisation code for `memberId`, as the browser's redirect would carry it. */
  issueCode(memberId: string, redirectUri?: string): string;
  /** A token pair for `memberId`, as if the code exchange had happened. */
  issueToken(memberId: string): { accessToken: string; refreshToken: string };
  /** Turns throttling on or off: while on, every call is refused with `gw.QosRequestLimit`. */
  setRateLimited(on: boolean): void;
  /**
   * Signs and POSTs a push message to `url` as the gateway does (form `message` + `_aop_signature`). An
   * envelope without `msgId` or `gmtBorn` gets them. Answers the subscriber's status and body.
   */
  push(url: string, message: Record<string, unknown> | string): Promise<{ status: number; body: string }>;
}

const HOUR = 3_600_000;
const TOKEN_API = 'system.oauth2:getToken';
const NO_TOKEN_APIS = new Set(['alibaba.category.get']);
const ENVELOPE_C = new Set([
  'alibaba.trade.createRefund',
  'alibaba.trade.getRefundReasonList',
  'alibaba.trade.uploadRefundVoucher',
  'alibaba.trade.pay.protocolPay.preparePay',
]);

/** The envelope of an API's family, when its spec does not say. */
function defaultEnvelope(namespace: string, name: string): AopEnvelope {
  if (ENVELOPE_C.has(name)) return 'C';
  if (namespace === 'com.alibaba.fenxiao.crossborder') return 'A';
  if (namespace === 'com.alibaba.trade' || namespace === 'com.alibaba.logistics') return 'B';
  return 'none';
}

function wrap(envelope: AopEnvelope, payload: unknown): unknown {
  switch (envelope) {
    case 'A':
    case 'C':
      return { result: { success: true, code: '200', message: '成功', result: payload } };
    case 'B':
      return { result: payload, success: true, errorCode: '', errorMessage: '' };
    default:
      return payload;
  }
}

interface TokenRecord {
  memberId: string;
  expiresAt: number;
}

interface CodeRecord {
  memberId: string;
  redirectUri: string | undefined;
}

/** `20261014200339000+0800`: the gateway's date form, written in China's time. */
export function aopDate(ms: number): string {
  const d = new Date(ms + 8 * HOUR);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}+0800`
  );
}

const secret = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

class Refusal {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {}
}

export function buildAopFake(options: AopFakeOptions): AopFake {
  const now = options.now ?? Date.now;
  const accessTtl = options.accessTokenTtlMs ?? 10 * HOUR;
  const refreshTtl = options.refreshTokenTtlMs ?? 180 * 24 * HOUR;
  const apis = new Map<string, AopFakeApi>();
  for (const [key, value] of Object.entries(options.handlers ?? {})) {
    apis.set(key, typeof value === 'function' ? { handle: value } : value);
  }
  const declined = new Set(options.declined ?? []);
  const accessTokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, TokenRecord>();
  const codes = new Map<string, CodeRecord>();
  let rateLimited = false;
  let pushed = 0n;

  // Closing drops kept-alive client connections: a test's fake must not outlive the test.
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, forceCloseConnections: true });
  // The gateway reads forms only: a JSON body is refused (415) rather than read as parameters.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, { fields: Object.fromEntries(new URLSearchParams(body as string)), files: {} });
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, String(req.headers['content-type'])));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  function gatewayError(code: string, message: string, status: number, requestId: string): Refusal {
    return new Refusal(status, { error_code: code, error_message: message, request_id: requestId });
  }

  function issue(memberId: string): { accessToken: string; refreshToken: string } {
    const accessToken = secret('at-');
    const refreshToken = secret('rt-');
    accessTokens.set(accessToken, { memberId, expiresAt: now() + accessTtl });
    refreshTokens.set(refreshToken, { memberId, expiresAt: now() + refreshTtl });
    return { accessToken, refreshToken };
  }

  /** The account fields of a token answer; the fake derives the login name and numeric id from the member id. */
  function owner(memberId: string): Record<string, string> {
    const digits = (memberId.split('-').pop() ?? '').replace(/\D/g, '');
    return { memberId, resource_owner: `login-${memberId}`, aliId: digits || '0' };
  }

  /** `system.oauth2/getToken`: the code exchange and the refresh, in OAuth's words when refused. */
  function token(fields: Record<string, string>): Refusal | Record<string, unknown> {
    const oauth = (status: number, error: string, description: string) =>
      new Refusal(status, { error, error_description: description });
    if (fields.client_id !== options.appKey || fields.client_secret !== options.appSecret) {
      return oauth(401, 'invalid_client', 'client_id or client_secret is wrong');
    }
    if (fields.grant_type === 'authorization_code') {
      const code = fields.code ? codes.get(fields.code) : undefined;
      if (!code || (code.redirectUri !== undefined && code.redirectUri !== fields.redirect_uri)) {
        return oauth(400, 'invalid_grant', 'the code is unknown, used, or for another redirect_uri');
      }
      codes.delete(fields.code as string);
      const pair = issue(code.memberId);
      return {
        access_token: pair.accessToken,
        expires_in: String(Math.floor(accessTtl / 1000)),
        ...(fields.need_refresh_token === 'true'
          ? { refresh_token: pair.refreshToken, refresh_token_timeout: aopDate(now() + refreshTtl) }
          : {}),
        ...owner(code.memberId),
      };
    }
    if (fields.grant_type === 'refresh_token') {
      const record = fields.refresh_token ? refreshTokens.get(fields.refresh_token) : undefined;
      if (!record || record.expiresAt <= now()) return oauth(400, 'invalid_grant', 'the refresh token is invalid');
      // A refresh gives a new access token only; the refresh token keeps its own lifetime.
      const accessToken = secret('at-');
      accessTokens.set(accessToken, { memberId: record.memberId, expiresAt: now() + accessTtl });
      return { access_token: accessToken, expires_in: String(Math.floor(accessTtl / 1000)), ...owner(record.memberId) };
    }
    return oauth(400, 'unsupported_grant_type', `grant_type ${fields.grant_type ?? ''} is not supported`);
  }

  interface Received {
    fields: Record<string, string>;
    files: Record<string, Buffer>;
  }

  function received(req: FastifyRequest): Received {
    if (req.method === 'GET') {
      return { fields: { ...(req.query as Record<string, string>) }, files: {} };
    }
    const body = req.body as Received | undefined;
    return body ?? { fields: {}, files: {} };
  }

  async function param2(req: FastifyRequest, requestId: string): Promise<Refusal | unknown> {
    const { version, namespace, apiName, appKey } = req.params as {
      version: string;
      namespace: string;
      apiName: string;
      appKey: string;
    };
    const { fields, files } = received(req);
    const key = `${namespace}:${apiName}`;
    // An app key the gateway does not know has no secret to check the signature with.
    if (appKey !== options.appKey) return gatewayError('gw.SignatureInvalid', 'Signature is invalid', 400, requestId);
    const spec = key === TOKEN_API ? undefined : apis.get(key);
    if ((key !== TOKEN_API && !spec) || version !== (spec?.version ?? '1')) {
      return gatewayError('gw.APIUnsupported', `The API ${key}-${version} is not supported`, 400, requestId);
    }
    if (rateLimited) return gatewayError('gw.QosRequestLimit', 'Request limit exceeded', 400, requestId);
    const path = `param2/${version}/${namespace}/${apiName}/${appKey}`;
    // The check is written out here rather than borrowed from the client's verifier: a file part is not
    // part of the signed text, and the hex must be uppercase.
    if (fields[SIGNATURE_PARAM] !== signRequest(path, fields, options.appSecret)) {
      return gatewayError('gw.SignatureInvalid', 'Signature is invalid', 400, requestId);
    }
    if (key === TOKEN_API) return token(fields);
    if (!spec) return gatewayError('gw.APIUnsupported', `The API ${key} is not supported`, 400, requestId);
    let memberId: string | undefined;
    const needsToken = spec.auth ?? !(apiName.startsWith('push.') || NO_TOKEN_APIS.has(apiName));
    if (needsToken) {
      const record = fields.access_token ? accessTokens.get(fields.access_token) : undefined;
      if (!record || record.expiresAt <= now()) {
        return gatewayError('401', 'Request need user authorized', 401, requestId);
      }
      memberId = record.memberId;
    } else if (fields.access_token) {
      memberId = accessTokens.get(fields.access_token)?.memberId;
    }
    if (declined.has(key)) return gatewayError('gw.APIACLDecline', 'AppKey is not allowed(acl)', 400, requestId);
    for (const name of spec.required ?? []) {
      if (fields[name] === undefined && files[name] === undefined) {
        return gatewayError('gw.ParamMissing', `Missing required parameter: ${name}`, 400, requestId);
      }
    }
    for (const name of spec.json ?? []) {
      const value = fields[name];
      if (value === undefined) continue;
      try {
        JSON.parse(value);
      } catch {
        return gatewayError('gw.ParamInvalid', `Parameter ${name} is not valid JSON`, 400, requestId);
      }
    }
    const params: AopFakeParams = { ...fields, ...files };
    delete params[SIGNATURE_PARAM];
    const ctx: AopFakeContext = { api: { namespace, name: apiName, version }, owner: memberId, now: now(), requestId };
    try {
      const answer = await spec.handle(params, ctx);
      if (answer instanceof AopWholeBody) return answer;
      return wrap(spec.envelope ?? defaultEnvelope(namespace, apiName), answer);
    } catch (err) {
      if (err instanceof AopFakeRefusal) return gatewayError(err.code, err.message, err.status, requestId);
      throw err;
    }
  }

  function send(reply: FastifyReply, answer: unknown): FastifyReply {
    const [status, body] =
      answer instanceof Refusal
        ? [answer.status, answer.body]
        : answer instanceof AopWholeBody
          ? [answer.status, answer.body]
          : [200, answer];
    return reply.code(status).type('application/json;charset=UTF-8').send(stringifyAopJson(body));
  }

  const param2Route = '/openapi/param2/:version/:namespace/:apiName/:appKey';
  app.route({
    method: ['POST', 'GET'],
    url: param2Route,
    handler: async (req, reply) => send(reply, await param2(req, secret(''))),
  });
  // The code exchange's route: the app is known by `client_secret` in the form, not by a signature.
  app.post('/openapi/http/1/system.oauth2/getToken/:appKey', async (req, reply) => {
    const { appKey } = req.params as { appKey: string };
    const { fields } = received(req);
    if (appKey !== options.appKey) {
      return send(reply, new Refusal(401, { error: 'invalid_client', error_description: 'unknown app key' }));
    }
    return send(reply, token(fields));
  });
  // The authorisation page (auth.1688.com's, served here): the owner signs in and agrees, and the browser goes back
  // to the app with a code.
  app.get('/oauth/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const member = options.authorizingMember;
    if (q.client_id !== options.appKey || !q.redirect_uri || !member) {
      return reply.code(400).type('text/plain').send('invalid authorisation request');
    }
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', fake.issueCode(member, q.redirect_uri));
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });
  app.setNotFoundHandler((req, reply) =>
    send(reply, gatewayError('gw.APIUnsupported', `No API at ${req.url.split('?')[0]}`, 404, secret(''))),
  );
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const code = status < 500 ? 'gw.ParamInvalid' : 'gw.InternalError';
    return send(reply, gatewayError(code, (err as Error).message, status, secret('')));
  });

  const fake: AopFake = {
    app,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const bound = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      return `http://${bound}:${(app.server.address() as AddressInfo).port}`;
    },
    close: () => app.close(),
    issueCode(memberId, redirectUri) {
      const code = secret('code-');
      codes.set(code, { memberId, redirectUri });
      return code;
    },
    issueToken: issue,
    setRateLimited(on) {
      rateLimited = on;
    },
    async push(url, message) {
      let text: string;
      if (typeof message === 'string') {
        text = message;
      } else {
        // Message ids are long integers; starting above 2^53 makes a receiver that rounds them fail early.
        pushed += 1n;
        text = stringifyAopJson({ msgId: 10n ** 17n + pushed, gmtBorn: now(), ...message });
      }
      const fields = { message: text };
      const form = new URLSearchParams({ ...fields, [SIGNATURE_PARAM]: signPush(fields, options.appSecret) });
      const res = await undiciFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: form,
      });
      return { status: res.status, body: await res.text() };
    },
  };
  return fake;
}
