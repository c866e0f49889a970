import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SignatureMethod, signRequest } from '@ponte/sdk/signing';
import pg from 'pg';
import { type AppModule, buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { DeliveryWorker } from '../src/modules/messages/delivery.js';
import { migrateToLatest } from '../src/platform/db/database.js';
import type { AppDeps } from '../src/platform/deps.js';
import { type AnyRoute, registerRoutes } from '../src/platform/http/route.js';
import { OutboxWorker } from '../src/platform/outbox/worker.js';

/** Which database this test run uses: PONTE_TEST_DB=postgres (with PONTE_TEST_PG_URL) or SQLite. */
export const TEST_DB: 'sqlite' | 'postgres' = process.env.PONTE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** Environment variables that point a server (in this process or a child) at this database. */
  env: Record<string, string>;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a SQLite file in a temp dir, or a new PostgreSQL database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-test-'));
  if (TEST_DB === 'sqlite') {
    return {
      env: { PONTE_DATA_DIR: dataDir },
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.PONTE_TEST_PG_URL;
  if (!adminUrl) throw new Error('PONTE_TEST_DB=postgres needs PONTE_TEST_PG_URL');
  const name = `ponte_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { PONTE_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Settings under which tests may fail authentication as often as they like from 127.0.0.1; the limit
 * itself is tested in api/auth/failure-limit.test.ts.
 */
export const UNLIMITED_AUTH_FAILURES = { AUTH_FAILURES_PER_MINUTE: '60000000', AUTH_FAILURES_BURST: '10000000' };

/** Configuration for tests: quiet, no demo developer, no background workers unless asked. */
export function testConfig(db: TestDatabase, env: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    PONTE_DEMO: 'false',
    PONTE_WORKERS: 'false',
    ...UNLIMITED_AUTH_FAILURES,
    ...db.env,
    ...env,
  });
}

export interface Credentials {
  developId: string;
  accessKey: string;
  accessSecret: string;
  userId: string;
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: { requestId: string; code: number; developId: string; msg: string; data: T };
  text: string;
}

export interface SignedOptions {
  body?: unknown;
  /** Send this exact text as the body instead of JSON-encoding `body`. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  signatureMethod?: SignatureMethod;
  timestamp?: number;
  nonce?: string;
  /** Act as this sub-account instead of the credentials' main account. */
  userId?: string;
  /** Content-Type to send; null sends none. Default: application/json when there is a body. */
  contentType?: string | null;
}

export class TestServer {
  constructor(
    readonly baseUrl: string,
    readonly deps: AppDeps,
    readonly close: () => Promise<void>,
  ) {}

  async request<T = unknown>(
    method: string,
    url: string,
    init: { body?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const sent = init.body as string | Uint8Array<ArrayBuffer> | undefined;
    const res = await fetch(this.baseUrl + url, { method, body: sent, headers: init.headers });
    const text = await res.text();
    let body: Reply<T>['body'];
    try {
      body = JSON.parse(text);
    } catch {
      body = { requestId: '', code: -1, developId: '', msg: text, data: undefined as T };
    }
    return { status: res.status, headers: res.headers, body, text };
  }

  /**
   * Runs the outbox (upstream events, later callbacks) until nothing is due: what a server's background
   * workers do, here on demand so that tests need not wait for a poll.
   */
  async drainOutbox(): Promise<number> {
    const worker = new OutboxWorker(this.deps, { owner: 'test-drain' });
    let handled = 0;
    for (let i = 0; i < 1000; i++) {
      const n = await worker.runOnce();
      if (n === 0) return handled;
      handled += n;
    }
    throw new Error('the outbox did not drain');
  }

  /**
   * Delivers the callback messages that are due until none is (each attempt awaited): what the background delivery
   * worker does, on demand. Returns how many attempts were made. Messages waiting for a retry are not due until the
   * (fake) clock reaches them.
   */
  async drainCallbacks(options: { random?: () => number } = {}): Promise<number> {
    const worker = new DeliveryWorker(this.deps, { owner: 'test-drain', ...options });
    let attempts = 0;
    for (let i = 0; i < 10_000; i++) {
      const n = await worker.runOnce();
      if (n === 0) return attempts;
      attempts += n;
    }
    throw new Error('the callback queue did not drain');
  }

  /** An operator request to /admin with the bearer token. */
  admin<T = unknown>(method: string, url: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, url, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${this.deps.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  /** Creates a developer through the admin API and returns its first key and main account. */
  async createDeveloper(name = 'Test developer'): Promise<Credentials> {
    const r = await this.admin<{
      developer: { developId: string };
      mainAccount: { userId: string };
      key: { accessKey: string; accessSecret: string };
    }>('POST', '/admin/developers', { name });
    if (r.body.code !== 200) throw new Error(`createDeveloper failed: ${r.text}`);
    return {
      developId: r.body.data.developer.developId,
      userId: r.body.data.mainAccount.userId,
      accessKey: r.body.data.key.accessKey,
      accessSecret: r.body.data.key.accessSecret,
    };
  }

  /** A request signed as the API's developers sign it. */
  signed<T = unknown>(creds: Credentials, method: string, url: string, options: SignedOptions = {}): Promise<Reply<T>> {
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const sys = signRequest({
      method,
      url,
      body,
      accessKey: creds.accessKey,
      accessSecret: creds.accessSecret,
      userId: options.userId ?? creds.userId,
      signatureMethod: options.signatureMethod,
      timestamp: options.timestamp ?? this.deps.clock.now(),
      nonce: options.nonce,
    });
    const contentType =
      options.contentType === undefined ? (body === undefined ? null : 'application/json') : options.contentType;
    const headers: Record<string, string> = { ...sys, ...options.headers };
    if (contentType !== null) headers['content-type'] = contentType;
    // fetch gives a string body a text/plain Content-Type of its own; a Buffer gets none.
    const bytes = typeof body === 'string' && contentType === null ? Buffer.from(body) : body;
    return this.request<T>(method, url, { body: bytes, headers });
  }
}

/**
 * Starts a server in this process on a loopback port, on a fresh migrated database, with the given
 * dependency overrides (fake clock, fakes of upstreams). `close()` stops it and drops the database.
 */
export async function startServer(
  options: {
    env?: Record<string, string>;
    overrides?: Partial<AppDeps>;
    database?: TestDatabase;
    /** Extra routes for tests of the platform itself (registered like any module's). */
    routes?: AnyRoute[];
    /** The app's modules, when a test adds its own (default: the product's). */
    modules?: AppModule[];
  } = {},
): Promise<TestServer> {
  const db = options.database ?? (await createTestDatabase());
  const config = testConfig(db, options.env);
  const { app, deps } = await buildApp(config, options.overrides, options.modules).catch(async (err) => {
    if (!options.database) await db.drop();
    throw err;
  });
  try {
    await migrateToLatest(deps.database);
    if (options.routes) registerRoutes(app, deps, options.routes);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await app.close();
    if (!options.database) await db.drop();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new TestServer(`http://127.0.0.1:${port}`, deps, async () => {
    await app.close();
    if (!options.database) await db.drop();
  });
}
