import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/platform/db/database.js';
import { ERROR_CODES } from '../../../src/platform/http/errors.js';
import {
  createTestDatabase,
  type Reply,
  startServer,
  TEST_DB,
  type TestDatabase,
  type TestServer,
  testConfig,
} from '../../harness.js';

/** Liveness, readiness, the OpenAPI document and the docs page. */

function expectEnvelope(r: Reply, code: number): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status).toBe(code === 200 ? 200 : Math.floor(code / 100));
  expect(Object.keys(r.body).sort()).toEqual(['code', 'data', 'developId', 'msg', 'requestId']);
  expect(r.body.requestId).toMatch(/^[0-9a-f]{32}$/);
  expect(r.headers.get('x-request-id')).toBe(r.body.requestId);
  expect(r.body.developId).toBe('');
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  'x-error-codes': Record<string, { name: string; en: string }>;
}

describe('system routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers /healthz with the envelope and 200, without signing', async () => {
    const r = await server.request<{ status: string }>('GET', '/healthz');
    expectEnvelope(r, 200);
    expect(r.body.msg).toBe('success');
    expect(r.body.data).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the envelope, 200 and the database kind', async () => {
    const r = await server.request<{ status: string; database: string }>('GET', '/readyz');
    expectEnvelope(r, 200);
    expect(r.body.data).toEqual({ status: 'ready', database: TEST_DB });
  });

  it('follows Accept-Language on the health routes too', async () => {
    const r = await server.request('GET', '/healthz', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expectEnvelope(r, 200);
    expect(r.body.msg).toBe('成功');
  });

  it('serves /openapi.json listing /open/user/create and the error-code table', async () => {
    const r = await server.request('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type') ?? '').toMatch(/^application\/json/);
    const doc = JSON.parse(r.text) as OpenApiDocument;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBeTruthy();

    const create = doc.paths['/open/user/create']?.post;
    expect(create, Object.keys(doc.paths).join(', ')).toBeDefined();
    expect(create?.operationId).toBe('createSubAccount');
    expect(Object.keys(create?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '409', '429']));
    const conflicts = JSON.stringify(create?.responses?.['409']);
    for (const code of [40901, 40902, 40903]) expect(conflicts).toContain(String(code));
    expect(doc.paths['/healthz']?.get).toBeDefined();
    expect(doc.paths['/readyz']?.get).toBeDefined();

    const table = doc['x-error-codes'];
    expect(Object.keys(table).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, entry] of Object.entries(table)) {
      expect(code).toMatch(/^[0-9]{5}$/);
      expect(entry.name).toMatch(/^[A-Z_]+$/);
      expect(entry.en).toBeTruthy();
    }
    for (const code of [40001, 40401, 40902, 40903, 42901, 50001]) expect(table[String(code)]).toBeDefined();
    expect(doc.info.description).toContain('| 40902 |');
  });

  it('does not list the documentation routes themselves', async () => {
    const doc = JSON.parse((await server.request('GET', '/openapi.json')).text) as OpenApiDocument;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs') || p === '/openapi.json')).toEqual([]);
  });

  it('serves /docs as HTML whose scripts load under its own Content-Security-Policy', async () => {
    const res = await fetch(`${server.baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type') ?? '').toMatch(/^text\/html/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    expect(html.toLowerCase()).toContain('<html');
    // script-src 'self' blocks inline scripts: every script must come from this server, and answer.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs = '', inline = ''] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attrs)?.[1] ?? '';
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const script = await fetch(new URL(src, `${server.baseUrl}/docs/`));
      expect(script.status, src).toBe(200);
      await script.arrayBuffer();
    }
  });
});

describe('/readyz when the database does not answer', () => {
  let database: TestDatabase;
  let server: TestServer;
  let failing = false;
  let closeReal: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const real = openDatabase(testConfig(database));
    closeReal = () => real.close();
    const flaky = {
      ...real,
      ping: async () => {
        if (failing) throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
        await real.ping();
      },
    };
    server = await startServer({ database, overrides: { database: flaky } });
  });
  afterAll(async () => {
    await server?.close();
    await closeReal?.();
    await database?.drop();
  });

  it('answers 50301 in the envelope, without the driver error, and recovers', async () => {
    expectEnvelope(await server.request('GET', '/readyz'), 200);
    failing = true;
    const down = await server.request('GET', '/readyz');
    expectEnvelope(down, 50301);
    expect(down.body.data).toBeNull();
    expect(down.text).not.toContain('hunter2');
    expect(down.text).not.toContain('10.0.0.7');
    // Liveness does not depend on the database.
    expectEnvelope(await server.request('GET', '/healthz'), 200);
    failing = false;
    expectEnvelope(await server.request('GET', '/readyz'), 200);
  });
});
