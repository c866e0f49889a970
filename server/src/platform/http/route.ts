import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  onSendAsyncHookHandler,
  preHandlerAsyncHookHandler,
  RouteOptions,
} from 'fastify';
import type { Static, TSchema } from 'typebox';
import { authenticate } from '../auth/authenticate.js';
import type { AuthContext } from '../auth/credentials.js';
import type { Executor } from '../db/database.js';
import type { AppDeps } from '../deps.js';
import { recordEnvelopeCode } from '../metrics/http.js';
import { errorSchema, requestLanguage, successEnvelope, successSchema } from './envelope.js';
import { ApiError, type ErrorCode, httpStatusOf, invalidParameter } from './errors.js';
import type { Language } from './i18n.js';
import { IDEMPOTENCY_HEADER, readIdempotencyKey, release, requestFingerprint, reserve, settle } from './idempotency.js';
import { findUnstorable, parseJsonLossless } from './json.js';
import { clientAddressKey, type RateDecision } from './rate-limit.js';
import { JSON_STRING } from './schema.js';
import type { IdCodec } from './v2/codec.js';

/**
 * `signed`: the PandaPon system parameters in headers; `signed-or-query`: also accepted in the query
 * (warehouse-logistics endpoints); `admin`: the operator's bearer token; `public`: none.
 */
export type AuthMode = 'signed' | 'signed-or-query' | 'admin' | 'public';

type Maybe<S extends TSchema | undefined> = S extends TSchema ? Static<S> : undefined;

export interface HandlerContext<
  Q extends TSchema | undefined,
  B extends TSchema | undefined,
  P extends TSchema | undefined,
  D = unknown,
> {
  deps: AppDeps;
  /** The transaction of this use case for mutations; the plain connection for reads. */
  db: Executor;
  /** The verified caller (signed routes). */
  auth: AuthContext;
  query: Maybe<Q>;
  body: Maybe<B>;
  params: Maybe<P>;
  lang: Language;
  /**
   * The ids of a request that came through the route's v2 twin (docs/adr/0019), which translated the marked fields
   * already; null on v1. A handler uses it only for a field marks cannot describe (an id whose kind another field
   * decides).
   */
  v2: IdCodec | null;
  requestId: string;
  req: FastifyRequest;
  /**
   * `ownTransactions` routes: answers `data` from inside the handler's last transaction `trx`, storing the
   * reply for the `Idempotency-Key` in it (instead of in a write of its own once sent). The handler must then
   * return normally; what it returns is not sent again. Only for an answer that cannot change any more.
   */
  answerIn: (trx: Executor, data: D) => Promise<void>;
}

export interface RouteSpec<
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  D extends TSchema = TSchema,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: AuthMode;
  /**
   * Signed routes: a request may leave out `nonce-str` when its key allows it, and is then guarded against replay
   * by its signature (the v2 twins; docs/adr/0019).
   */
  nonceOptional?: boolean;
  /** Runs the handler in one transaction and honours `Idempotency-Key`. */
  mutation?: boolean;
  /**
   * With `mutation`: the handler runs its own transactions (it calls an upstream between them), so it gets
   * the plain connection; the reply is stored for the `Idempotency-Key` once it is sent.
   */
  ownTransactions?: boolean;
  /** Codes this route answers besides the ones its auth, input and mutation imply. */
  errors?: ErrorCode[];
  /** A body cap of its own (pictures in base64), from the configuration; else `BODY_LIMIT_BYTES`. */
  bodyLimit?: (config: AppDeps['config']) => number;
  query?: Q;
  body?: B;
  params?: P;
  data: D;
  /** Reads may answer a `PreSerialized` copy of their data (a cached payload) to skip serialising it again. */
  handler: (ctx: HandlerContext<Q, B, P, Static<D>>) => Promise<Static<D> | PreSerialized<Static<D>>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of routes of any shapes
export type AnyRoute = RouteSpec<any, any, any, any>;

/** Identity function that keeps the route's types; every route file exports one of these. */
export function defineRoute<
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  D extends TSchema = TSchema,
>(spec: RouteSpec<Q, B, P, D>): RouteSpec<Q, B, P, D> {
  return spec;
}

const AUTH_ERRORS: Record<AuthMode, ErrorCode[]> = {
  signed: [40101, 40102, 40103, 40104, 40105, 40301, 42901],
  'signed-or-query': [40101, 40102, 40103, 40104, 40105, 40301, 42901],
  admin: [40106, 42901],
  public: [],
};

function errorCodesOf(route: AnyRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>([...AUTH_ERRORS[route.auth], ...(route.errors ?? []), 50001]);
  if (route.query || route.body || route.params || route.auth !== 'public') codes.add(40001);
  if (route.body) {
    codes.add(41301);
    codes.add(41501);
  }
  // A route that reaches a marketplace may reach an operation the configured real upstream has no API for.
  if (codes.has(50201)) codes.add(50101);
  if (route.mutation) {
    codes.add(40902);
    codes.add(40903);
  }
  return [...codes].sort();
}

function responseSchemas(route: AnyRoute): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = { 200: successSchema(route.data) };
  for (const [status, codes] of byStatus) out[status] = errorSchema(codes);
  return out;
}

function checkOperatorToken(req: FastifyRequest, deps: AppDeps): void {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(deps.adminToken).digest();
  if (!token || !timingSafeEqual(a, b)) throw new ApiError(40106);
}

/** Replaces the contract's JSON-in-a-string fields by their parsed value, before validation. */
function decodeJsonStringFields(req: FastifyRequest, body: TSchema | undefined): void {
  const props = (body as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
  const value = req.body as Record<string, unknown> | undefined;
  if (!props || !value || typeof value !== 'object') return;
  for (const [name, schema] of Object.entries(props)) {
    if (schema[JSON_STRING] && typeof value[name] === 'string') {
      value[name] = parseJsonLossless(value[name] as string, name);
    }
  }
}

function hasJsonStringFields(body: TSchema | undefined): boolean {
  const props = (body as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
  return !!props && Object.values(props).some((s) => s[JSON_STRING]);
}

/**
 * The `data` of an answer already serialised, for payloads a read serves many times unchanged (goods
 * details from the cache). It must be the JSON of a value that matches the route's `data` schema.
 */
export class PreSerialized<T> {
  declare readonly value: T;
  constructor(readonly json: string) {}

  static of<T>(value: T): PreSerialized<T> {
    return new PreSerialized<T>(JSON.stringify(value));
  }
}

async function runHandler(route: AnyRoute, deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  const ctx = {
    deps,
    db: deps.database.db as Executor,
    auth: req.auth as AuthContext,
    query: req.query,
    body: req.body,
    params: req.params,
    lang: requestLanguage(req),
    v2: null,
    requestId: req.id,
    req,
    answerIn: async () => {
      throw new Error(`${route.operationId}: answerIn is for ownTransactions routes`);
    },
  };
  if (!route.mutation) {
    const data = await route.handler(ctx);
    if (!(data instanceof PreSerialized)) return reply.send(successEnvelope(req, data));
    const head = JSON.stringify(successEnvelope(req, null));
    return reply
      .type('application/json; charset=utf-8')
      .send(`${head.slice(0, head.lastIndexOf('"data":null}'))}"data":${data.json}}`);
  }
  if (route.ownTransactions) {
    // The reply is stored by the onSend hook (settleIdempotencyKey), as for an error, unless the handler
    // answered from inside its last transaction (answerIn).
    const reservation = req.idempotency;
    let answered: string | undefined;
    const answerIn = async (trx: Executor, data: unknown) => {
      const body = reply.serialize(successEnvelope(req, data)) as string;
      // A copy: the request's reservation counts as settled only once the transaction has committed.
      if (reservation) await settle(trx, deps.secrets, { ...reservation }, { httpStatus: 200, body });
      answered = body;
    };
    const data = await route.handler({ ...ctx, answerIn });
    if (answered !== undefined) {
      if (reservation) reservation.settled = true;
      return reply.type('application/json; charset=utf-8').send(answered);
    }
    return reply.send(successEnvelope(req, data instanceof PreSerialized ? (JSON.parse(data.json) as unknown) : data));
  }
  const reservation = req.idempotency;
  const envelope = await deps.database.transaction(async (trx) => {
    const data = await route.handler({ ...ctx, db: trx });
    const env = successEnvelope(req, data instanceof PreSerialized ? (JSON.parse(data.json) as unknown) : data);
    if (reservation) await settle(trx, deps.secrets, reservation, { httpStatus: 200, body: JSON.stringify(env) });
    return env;
  });
  return reply.send(envelope);
}

const isSigned = (route: AnyRoute) => route.auth === 'signed' || route.auth === 'signed-or-query';

function rateLimited(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(42901, { seconds }, { 'retry-after': String(seconds) });
}

/** The refusals that count as a failed authentication of the client address. */
const AUTH_FAILURES = new Set<ErrorCode>([40101, 40102, 40103, 40104, 40105, 40106]);

/**
 * Runs `check` (authentication) unless the client address has used up its failed attempts: then 42901
 * before any key lookup or signature work. A failure of `check` takes one attempt; a success nothing; while it
 * runs it holds one, so that concurrent attempts cannot pass the gate together.
 */
async function limitAuthFailures(req: FastifyRequest, deps: AppDeps, check: () => Promise<void>): Promise<void> {
  const gate = deps.authFailures.begin(clientAddressKey(req.ip), deps.clock.now());
  if (!gate.allowed) throw rateLimited(gate.retryAfterMs);
  let failed = false;
  try {
    await check();
  } catch (err) {
    failed = err instanceof ApiError && AUTH_FAILURES.has(err.code);
    throw err;
  } finally {
    gate.end?.(failed, deps.clock.now());
  }
}

/**
 * The operator's bearer token, checked as every `admin` route checks it (failures count against the
 * client address); for raw routes outside the envelope (`registerRaw`) that serve the operator.
 * Throws 40106, or 42901 once the address has used up its failed attempts.
 */
export function authenticateOperator(req: FastifyRequest, deps: AppDeps): Promise<void> {
  return limitAuthFailures(req, deps, async () => checkOperatorToken(req, deps));
}

/** Authentication and rate limit, then the contract's body conventions, before validation. */
function preValidationHooks(route: AnyRoute, deps: AppDeps): NonNullable<RouteOptions['preValidation']> {
  const hooks: NonNullable<RouteOptions['preValidation']> = [];
  if (isSigned(route)) {
    hooks.push(async (req) => {
      let rate: RateDecision | undefined;
      await limitAuthFailures(req, deps, async () => {
        ({ auth: req.auth, rate } = await authenticate(req, deps, {
          allowQuery: route.auth === 'signed-or-query',
          nonceOptional: route.nonceOptional === true,
        }));
      });
      // The nonce's statement may have taken the token already (docs/adr/0017).
      const decision = rate ?? (await deps.rateLimiter.take((req.auth as AuthContext).accessKey, deps.clock.now()));
      if (!decision.allowed) throw rateLimited(decision.retryAfterMs);
    });
  } else if (route.auth === 'admin') {
    hooks.push(async (req) => authenticateOperator(req, deps));
  }
  if (route.body && !((route.body as { required?: string[] }).required?.length ?? 0)) {
    // A body whose fields are all optional may be left out altogether.
    hooks.push(async (req) => {
      if (req.body === undefined) req.body = {};
    });
  }
  if (hasJsonStringFields(route.body)) hooks.push(async (req) => decodeJsonStringFields(req, route.body));
  return hooks;
}

/** Reserves the `Idempotency-Key` after validation, or replays the stored reply. */
function reserveIdempotencyKey(deps: AppDeps): preHandlerAsyncHookHandler {
  return async (req, reply) => {
    const key = readIdempotencyKey(req);
    if (key === undefined) return;
    const developId = req.auth?.developId ?? 'admin';
    const fingerprint = requestFingerprint(req);
    const outcome = await reserve(
      deps.database,
      deps.secrets,
      developId,
      key,
      fingerprint,
      deps.clock.now(),
      deps.config.idempotencyLockMs,
    );
    if ('replay' in outcome) {
      // A stored reply is sent as text, which the metrics' hook does not read: its envelope's code, for the label.
      recordEnvelopeCode(req, (JSON.parse(outcome.replay.body) as { code: number }).code);
      return reply
        .code(outcome.replay.httpStatus)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8')
        .send(outcome.replay.body);
    }
    req.idempotency = outcome.reservation;
  };
}

/** Settles a reservation the handler did not: a stored 4xx, or a released key after a 5xx. */
function settleIdempotencyKey(deps: AppDeps): onSendAsyncHookHandler {
  return async (req, reply, payload) => {
    const reservation = req.idempotency;
    if (!reservation || reservation.settled) return payload;
    if (reply.statusCode >= 500) await release(deps.database.db, reservation);
    else
      await settle(deps.database.db, deps.secrets, reservation, {
        httpStatus: reply.statusCode,
        body: String(payload),
      });
    return payload;
  };
}

const IDEMPOTENCY_HEADERS = {
  type: 'object',
  properties: {
    [IDEMPOTENCY_HEADER]: {
      type: 'string',
      description: 'Makes the request safe to retry: the first reply is replayed for 24 h',
    },
  },
};

const SIGNED = { signature: [], accessKey: [], timestamp: [], nonce: [], userId: [] };
const SECURITY: Record<AuthMode, Record<string, string[]>[]> = {
  signed: [SIGNED],
  'signed-or-query': [SIGNED],
  admin: [{ operatorToken: [] }],
  public: [],
};
/** With `nonceOptional`: the headers with a nonce, or without one (on keys that allow it). */
const NONCELESS = { signature: [], accessKey: [], timestamp: [], userId: [] };

function securityOf(route: AnyRoute): Record<string, string[]>[] {
  return route.nonceOptional && isSigned(route) ? [SIGNED, NONCELESS] : SECURITY[route.auth];
}

/** The route's schema: validation, serialisation and its entry in the OpenAPI document. */
function routeSchema(route: AnyRoute): FastifySchema {
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(route.query ? { querystring: route.query } : {}),
    ...(route.body ? { body: route.body } : {}),
    ...(route.params ? { params: route.params } : {}),
    ...(route.mutation ? { headers: IDEMPOTENCY_HEADERS } : {}),
    response: responseSchemas(route),
    security: securityOf(route),
  } as FastifySchema;
}

/** Refuses what validation let through but cannot be stored: non-finite numbers, NUL characters (see findUnstorable). */
const rejectUnstorable: preHandlerAsyncHookHandler = async (req) => {
  const found = findUnstorable(req.query, '') ?? findUnstorable(req.params, '') ?? findUnstorable(req.body, '');
  if (found) throw invalidParameter(found.field || 'body', found.reason);
};

/** Registers routes with their auth, rate limit, idempotency, validation and envelope. */
export function registerRoutes(app: FastifyInstance, deps: AppDeps, routes: AnyRoute[]): void {
  for (const route of routes) {
    const preValidation = preValidationHooks(route, deps);
    const preHandler = [
      ...(route.query || route.body || route.params ? [rejectUnstorable] : []),
      ...(route.mutation ? [reserveIdempotencyKey(deps)] : []),
    ];
    app.route({
      method: route.method,
      url: route.url,
      schema: routeSchema(route),
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit(deps.config) } : {}),
      ...(preValidation.length > 0 ? { preValidation } : {}),
      ...(preHandler.length > 0 ? { preHandler } : {}),
      ...(route.mutation ? { onSend: settleIdempotencyKey(deps) } : {}),
      handler: (req, reply) => runHandler(route, deps, req, reply),
    });
  }
}
