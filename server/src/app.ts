import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Config } from './config.js';
import { accountsModule, createCredentialStore } from './modules/accounts/index.js';
import { systemModule } from './modules/system/index.js';
import type { AuthContext } from './platform/auth/credentials.js';
import { loadAdminToken, loadMasterKey } from './platform/bootstrap.js';
import { systemClock } from './platform/clock.js';
import { SecretBox } from './platform/crypto/secret-box.js';
import { openDatabase } from './platform/db/database.js';
import type { AppDeps } from './platform/deps.js';
import { answerClientError, installErrorHandlers, sendFrameworkError } from './platform/http/errors-handler.js';
import type { Reservation } from './platform/http/idempotency.js';
import { decodeUtf8, parseJsonLossless } from './platform/http/json.js';
import { openApiOptions } from './platform/http/openapi.js';
import { DatabaseRateLimiter, MemoryRateLimiter } from './platform/http/rate-limit.js';
import { type AnyRoute, registerRoutes } from './platform/http/route.js';
import { JSON_STRING } from './platform/http/schema.js';
import { securityHeaders } from './platform/http/security-headers.js';
import { IdGenerator } from './platform/ids.js';
import { OutboxRegistry } from './platform/outbox/registry.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The raw body bytes, as signed. */
    rawBody?: Buffer;
    auth?: AuthContext;
    idempotency?: Reservation;
  }
}

/** A domain module: its routes and what it registers on the shared mechanisms. */
export interface AppModule {
  name: string;
  routes: AnyRoute[];
  registerOutboxHandlers?(registry: OutboxRegistry): void;
}

export const MODULES: AppModule[] = [systemModule, accountsModule];

/** Builds the dependencies from configuration; tests replace any of them. */
export function createDeps(config: Config, overrides: Partial<AppDeps> = {}): Omit<AppDeps, 'log'> {
  const database = overrides.database ?? openDatabase(config);
  return {
    config,
    database,
    clock: overrides.clock ?? systemClock,
    ids: overrides.ids ?? new IdGenerator(),
    secrets: overrides.secrets ?? new SecretBox(loadMasterKey(config)),
    adminToken: overrides.adminToken ?? loadAdminToken(config).token,
    rateLimiter:
      overrides.rateLimiter ??
      (config.rateLimit.store === 'database'
        ? new DatabaseRateLimiter(database, config.rateLimit)
        : new MemoryRateLimiter(config.rateLimit)),
    credentials: overrides.credentials ?? createCredentialStore(database),
    outbox: overrides.outbox ?? new OutboxRegistry(),
  };
}

const REDACTED_QUERY = /([?&](?:signature|sign|access-key)=)[^&]*/gi;

/**
 * Builds the Fastify application. `main` and the tests both use it; tests pass fakes in `overrides`.
 * The database is not migrated here: callers run `migrateToLatest` first.
 */
export async function buildApp(
  config: Config,
  overrides: Partial<AppDeps> = {},
): Promise<{ app: FastifyInstance; deps: AppDeps }> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.signature', 'req.headers.authorization', 'req.headers["access-key"]'],
      serializers: {
        req: (req) => ({
          method: req.method,
          url: (req.url ?? '').replace(REDACTED_QUERY, '$1[redacted]'),
          remoteAddress: req.ip,
        }),
      },
    },
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
        keywords: [JSON_STRING],
      },
    },
    frameworkErrors: (err, req, reply) => sendFrameworkError(err, req, reply),
    clientErrorHandler: answerClientError,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const deps: AppDeps = { ...createDeps(config, overrides), log: app.log };
  for (const m of MODULES) m.registerOutboxHandlers?.(deps.outbox);

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
  await app.register(swagger, openApiOptions());
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const m of MODULES) registerRoutes(app, deps, m.routes);
  app.addHook('onClose', async () => {
    if (!overrides.database) await deps.database.close();
  });
  return { app, deps };
}
