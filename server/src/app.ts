import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import type { Config } from './config.js';
import { accountsModule, createCredentialStore } from './modules/accounts/index.js';
import { cartsModule } from './modules/carts/index.js';
import { freightModule } from './modules/freight/index.js';
import { goodsModule } from './modules/goods/index.js';
import { messagesModule } from './modules/messages/index.js';
import { MESSAGE_BODIES } from './modules/messages/message-bodies.js';
import { ordersModule } from './modules/orders/index.js';
import { paymentsModule } from './modules/payments/index.js';
import { refundsModule } from './modules/refunds/index.js';
import { sandboxModule } from './modules/sandbox/index.js';
import { systemModule } from './modules/system/index.js';
import { upstreamsModule } from './modules/upstreams/index.js';
import { warehouseModule } from './modules/warehouse/index.js';
import type { AuthContext } from './platform/auth/credentials.js';
import { loadAdminToken, loadMasterKey } from './platform/bootstrap.js';
import { createChangeFeed } from './platform/changes/index.js';
import { systemClock } from './platform/clock.js';
import { OpaqueIds } from './platform/crypto/opaque-ids.js';
import { SecretBox } from './platform/crypto/secret-box.js';
import { openDatabase } from './platform/db/database.js';
import { startCheckpointer } from './platform/db/sqlite-checkpointer.js';
import type { AppDeps } from './platform/deps.js';
import { createFileStore } from './platform/files/file-store.js';
import { registerFileRoutes } from './platform/files/serve.js';
import { registerConsole } from './platform/http/console.js';
import { answerClientError, installErrorHandlers, sendFrameworkError } from './platform/http/errors-handler.js';
import type { Reservation } from './platform/http/idempotency.js';
import { decodeUtf8, parseJsonLossless } from './platform/http/json.js';
import { openApiOptions } from './platform/http/openapi.js';
import { AuthFailureLimiter, DatabaseRateLimiter, MemoryRateLimiter } from './platform/http/rate-limit.js';
import { registerRoutes } from './platform/http/route.js';
import { JSON_STRING } from './platform/http/schema.js';
import { securityHeaders } from './platform/http/security-headers.js';
import { V2_MARKS } from './platform/http/v2/annotations.js';
import { hasV2Twin, v2Twin } from './platform/http/v2/twin.js';
import { IdGenerator, NodeLease } from './platform/ids.js';
import { createLogger } from './platform/logging.js';
import { CommitHooks, createMetrics, installMetrics } from './platform/metrics/index.js';
import type { AppModule } from './platform/module.js';
import { OutboxRegistry } from './platform/outbox/registry.js';
import { PublicUrl } from './platform/public-url.js';
import { receiveUpstreamEvent, registerUpstreamEventHandler } from './platform/upstream/inbox.js';
import type { UpstreamPlatform } from './platform/upstream/token-store.js';
import { createRealUpstreams, type UpstreamLog } from './platform/upstream/upstreams.js';
import { guardProvider } from './providers/guard.js';
import { SandboxMarket } from './providers/sandbox/sandbox.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The raw body bytes, as signed. */
    rawBody?: Buffer;
    auth?: AuthContext;
    idempotency?: Reservation;
  }
}

export type { AppModule } from './platform/module.js';

export const MODULES: AppModule[] = [
  systemModule,
  accountsModule,
  goodsModule,
  paymentsModule,
  ordersModule,
  refundsModule,
  warehouseModule,
  freightModule,
  cartsModule,
  messagesModule,
  upstreamsModule,
  sandboxModule,
];

/** The sandbox market as the upstream, in its own store under the data dir. */
export function createSandbox(config: Config, publicUrl: PublicUrl, realNow: () => number): SandboxMarket {
  return new SandboxMarket({
    file: config.sandbox.file,
    realNow,
    clockSpeed: config.sandbox.clockSpeed,
    baseUrl: () => publicUrl.get(),
    catalog: { goodsPerPlatform: config.sandbox.goods, seed: config.sandbox.seed },
    pictures: {
      workers: config.sandbox.pictures.workers,
      queue: config.sandbox.pictures.queue,
      cacheBytes: config.sandbox.pictures.cacheMb * 1024 * 1024,
    },
    checkpointer: startCheckpointer,
  });
}

const SILENT: UpstreamLog = { info: () => {}, warn: () => {} };

/** Builds the dependencies from configuration; tests replace any of them. */
export function createDeps(
  config: Config,
  overrides: Partial<AppDeps> = {},
  log: UpstreamLog = SILENT,
): Omit<AppDeps, 'log'> {
  // Its transactions run after-commit callbacks: the metrics count ledger postings once committed.
  const commits = new CommitHooks();
  const database = commits.wrap(overrides.database ?? openDatabase(config));
  const clock = overrides.clock ?? systemClock;
  const outbox = overrides.outbox ?? new OutboxRegistry();
  const metrics = overrides.metrics ?? createMetrics({ database, clock, topics: () => outbox.types(), commits, log });
  const publicUrl = overrides.publicUrl ?? PublicUrl.fromConfig(config);
  // Read once, and only when a dependency made here needs it.
  let key: Buffer | undefined;
  const masterKey = () => {
    key ??= loadMasterKey(config);
    return key;
  };
  const secrets = overrides.secrets ?? new SecretBox(masterKey());
  const opaqueIds = overrides.opaqueIds ?? new OpaqueIds(masterKey());
  const sandbox =
    overrides.sandbox !== undefined
      ? overrides.sandbox
      : overrides.market
        ? null
        : createSandbox(config, publicUrl, () => clock.now());
  // The platforms configured on a real upstream get its provider; the others stay on the sandbox market.
  const real = overrides.market ? null : createRealUpstreams(config, { database, secrets, clock, log });
  const taobao = overrides.market?.taobao ?? real?.taobao ?? sandbox?.taobao;
  const alibaba = overrides.market?.alibaba ?? real?.alibaba ?? sandbox?.alibaba;
  if (!taobao || !alibaba) throw new Error('no upstream market: pass `market` or `sandbox`');
  // Each call is observed for the metrics, labelled with what serves the platform: a caller's provider, a real
  // upstream (its mode) or the sandbox market.
  const guard = (platform: UpstreamPlatform, upstream: string) => ({
    timeoutMs: config.upstreamTimeoutMs,
    observe: metrics.upstreamObserver(platform, upstream),
  });
  const upstream = (given: unknown, realOne: unknown, mode: string) => (given ? 'custom' : realOne ? mode : 'sandbox');
  return {
    config,
    database,
    clock,
    publicUrl,
    files: overrides.files ?? createFileStore(config, { masterKey: masterKey(), publicUrl: () => publicUrl.get() }),
    sandbox,
    market: {
      taobao: guardProvider(
        taobao,
        guard('taobao', upstream(overrides.market?.taobao, real?.taobao, config.upstreams.taobao.mode)),
      ),
      alibaba: guardProvider(
        alibaba,
        guard('1688', upstream(overrides.market?.alibaba, real?.alibaba, config.upstreams.alibaba.mode)),
      ),
    },
    upstreamTokens: overrides.upstreamTokens ?? real?.tokens ?? {},
    ids: overrides.ids ?? new IdGenerator(),
    secrets,
    opaqueIds,
    adminToken: overrides.adminToken ?? loadAdminToken(config).token,
    rateLimiter:
      overrides.rateLimiter ??
      (config.rateLimit.store === 'database'
        ? new DatabaseRateLimiter(database, config.rateLimit)
        : new MemoryRateLimiter(config.rateLimit)),
    authFailures: overrides.authFailures ?? new AuthFailureLimiter(config.authFailures),
    credentials:
      overrides.credentials ??
      createCredentialStore(database, {
        // The database's buckets: the nonce's statement takes the token too (unless a caller brings its own limiter).
        rateLimit: config.rateLimit.store === 'database' && !overrides.rateLimiter ? config.rateLimit : undefined,
      }),
    outbox,
    changes:
      overrides.changes ??
      createChangeFeed(database, {
        databaseUrl: config.databaseUrl,
        pollMs: config.changePollMs,
        now: () => clock.now(),
      }),
    metrics,
  };
}

const REDACTED_QUERY = /([?&](?:signature|sign|access-key)=)[^&]*/gi;

/**
 * Builds the Fastify application. `main` and the tests both use it; tests pass fakes in `overrides`
 * and may add modules of their own (to observe upstream events, for example).
 * The database is not migrated here: callers run `migrateToLatest` first.
 */
export async function buildApp(
  config: Config,
  overrides: Partial<AppDeps> = {},
  modules: AppModule[] = MODULES,
): Promise<{ app: FastifyInstance; deps: AppDeps }> {
  const app = Fastify({
    // Fastify's logger type is pino's, less the members Fastify never calls.
    loggerInstance: createLogger(config, {
      redact: ['req.headers.signature', 'req.headers.authorization', 'req.headers["access-key"]'],
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: (req.url ?? '').replace(REDACTED_QUERY, '$1[redacted]'),
          remoteAddress: req.ip,
        }),
      },
    }) as FastifyBaseLogger,
    genReqId: () => randomUUID().replace(/-/g, ''),
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
        keywords: [JSON_STRING, ...V2_MARKS],
      },
    },
    frameworkErrors: (err, req, reply) => sendFrameworkError(err, req, reply),
    clientErrorHandler: answerClientError,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const deps: AppDeps = { ...createDeps(config, overrides, app.log.child({ component: 'upstream' })), log: app.log };
  for (const m of modules) m.registerOutboxHandlers?.(deps.outbox);
  // Upstream events enter through the inbox; the outbox workers hand them to the modules.
  registerUpstreamEventHandler(deps.outbox, modules, { maxAttempts: config.upstreamEventMaxAttempts });
  const receive = async (event: Parameters<typeof receiveUpstreamEvent>[1]) => {
    await receiveUpstreamEvent(deps, event);
  };
  deps.market.taobao.onUpstreamEvent(receive);
  deps.market.alibaba.onUpstreamEvent(receive);
  // Processes share the database: each leases its id node and hears of the others' changes once ready
  // (callers migrate the database before that).
  const lease = overrides.ids
    ? undefined
    : new NodeLease(deps.database, deps.ids, { onError: (err) => app.log.warn({ err }, 'id node lease') });
  app.addHook('onReady', async () => {
    await lease?.start();
    await deps.changes.start();
  });
  app.addHook('onListen', (done) => {
    const address = app.server.address();
    if (address && typeof address === 'object') deps.publicUrl.listeningOn(config.host, address.port);
    done();
  });

  const headers = securityHeaders();
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(headers).header('x-request-id', req.id);
    done();
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      const bytes = body as Buffer;
      req.rawBody = bytes;
      if (bytes.length === 0) return done(null, undefined);
      done(null, parseJsonLossless(decodeUtf8(bytes)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  installErrorHandlers(app, config.bodyLimit);
  installMetrics(app, deps);
  await app.register(swagger, openApiOptions(MESSAGE_BODIES));
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const m of modules) {
    // Each endpoint of the contract also on its v2 path (docs/adr/0019).
    registerRoutes(app, deps, [...m.routes, ...m.routes.filter(hasV2Twin).map(v2Twin)]);
    m.registerRaw?.(app, deps);
  }
  registerFileRoutes(app, deps);
  await registerConsole(app, config.consoleDir);
  app.addHook('onClose', async () => {
    await deps.changes.stop();
    await lease?.stop();
    if (deps.sandbox && overrides.sandbox === undefined) {
      await deps.sandbox.stop();
      await deps.sandbox.close();
    }
    if (!overrides.database) await deps.database.close();
  });
  return { app, deps };
}
