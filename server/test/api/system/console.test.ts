import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../harness.js';

/** `/console`: the built browser console, served by the API server itself (platform/http/console.ts). */
describe('the console at /console', () => {
  let server: TestServer;
  let bare: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-console-'));
  const page =
    '<!doctype html><html><head><script type="module" src="/console/assets/app-1a2b3c.js"></script></head></html>';
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), page);
    fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b3c.js'), script);
    fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b3c.js.gz'), zlib.gzipSync(script));
    fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b3c.js.br'), zlib.brotliCompressSync(script));
    [server, bare] = await Promise.all([
      startServer({ env: { PONTE_CONSOLE_DIR: dir } }),
      startServer({ env: { PONTE_CONSOLE_DIR: path.join(dir, 'missing') } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), bare?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves its page at /console and /console/, revalidated, with the security headers', async () => {
    for (const url of ['/console', '/console/']) {
      const res = await fetch(server.baseUrl + url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(res.headers.get('x-request-id')).toMatch(/\S/);
      expect(await res.text()).toBe(page);
    }
  });

  it('answers any other path under /console with its page: the console routes in the browser', async () => {
    for (const url of ['/console/dev/orders', '/console/op/warehouse/items/17?tab=photos', '/console/sign-in']) {
      const res = await fetch(server.baseUrl + url);
      expect(res.status, url).toBe(200);
      expect(await res.text()).toBe(page);
    }
  });

  it('serves hashed assets for a year, pre-compressed for browsers that take it', async () => {
    const plain = await fetch(`${server.baseUrl}/console/assets/app-1a2b3c.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toMatch(/javascript/);
    expect(await plain.text()).toBe(script);
    for (const encoding of ['br', 'gzip']) {
      const res = await fetch(`${server.baseUrl}/console/assets/app-1a2b3c.js`, {
        headers: { 'accept-encoding': encoding },
      });
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(await res.text()).toBe(script); // fetch decodes it
    }
  });

  it('answers a missing asset, or another method, 404 in the envelope, not the page', async () => {
    const missing = await server.request('GET', '/console/assets/nope-123.js');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(40401);
    const post = await server.request('POST', '/console/dev');
    expect(post.status).toBe(404);
    expect(post.body.code).toBe(40401);
  });

  it('without a build, says so in the envelope and how to make one', async () => {
    for (const url of ['/console', '/console/dev/orders']) {
      const r = await bare.request('GET', url);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe(40401);
      expect(r.body.msg).toMatch(/npm run build/);
    }
  });

  it('leaves the API around it alone', async () => {
    expect((await server.request('GET', '/healthz')).status).toBe(200);
    expect((await server.request('GET', '/consoles')).body.code).toBe(40401);
  });
});
