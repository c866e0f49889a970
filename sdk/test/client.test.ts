import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PonteAdminClient } from '../src/admin.js';
import { PonteClient, type PonteClientOptions } from '../src/client.js';
import { ApiError, NetworkError, NOT_AN_ENVELOPE } from '../src/errors.js';
import { canonicalString, hmacSignature, md5Signature } from '../src/signing.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

type Handler = (req: Received, res: http.ServerResponse, attempt: number) => void;

const ACCESS_KEY = '58c0201dfdf148eca63cbf6bb5e7cf03';
const SECRET = 'q5m1r6Y0m8xJ3VfZ7a9b2c4d6e8f0g1h';
const USER_ID = '1795432287562383361';

/** A stand-in for the API on a loopback port: records every request and answers with `handler`. */
class FakeApi {
  received: Received[] = [];
  handler: Handler = (_req, res) => envelope(res, 200, { code: 200, data: null });
  baseUrl = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      this.received.push(r);
      this.handler(r, res, this.received.length);
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function envelope(res: http.ServerResponse, status: number, fields: Record<string, unknown>, headers = {}): void {
  const body = JSON.stringify({ requestId: 'a'.repeat(32), code: 200, developId: '9001', msg: 'success', ...fields });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

/** Recomputes the signature from what arrived on the wire, as the server does. */
function signatureOf(r: Received, secret = SECRET): string {
  const q = r.url.indexOf('?');
  const h = (name: string) => String(r.headers[name] ?? '');
  return hmacSignature(
    secret,
    canonicalString({
      method: r.method,
      path: q < 0 ? r.url : r.url.slice(0, q),
      query: q < 0 ? '' : r.url.slice(q + 1),
      accessKey: h('access-key'),
      timestamp: h('timestamp'),
      nonce: h('nonce-str'),
      userId: h('user-id'),
      body: r.body,
    }),
  );
}

const subAccount = (userId: string) => ({
  userId,
  name: `store ${userId}`,
  outMemberId: null,
  mainAccount: false,
  status: 'active',
  createTime: 1715669977082,
  updateTime: 1715669977082,
});

describe('PonteClient', () => {
  const api = new FakeApi();
  let client: PonteClient;
  const make = (options: Partial<PonteClientOptions> = {}) =>
    new PonteClient({
      baseUrl: api.baseUrl,
      accessKey: ACCESS_KEY,
      accessSecret: SECRET,
      userId: USER_ID,
      retryDelayMs: 5,
      ...options,
    });

  beforeAll(() => api.start());
  afterAll(() => api.close());
  beforeEach(() => {
    api.received = [];
    api.handler = (_req, res) => envelope(res, 200, { data: subAccount('42') });
    client = make();
  });

  it('sends the headers option with every attempt (a function read anew each time), never over the signed ones', async () => {
    let language = 'vi';
    let calls = 0;
    api.handler = (_req, res) => {
      calls++;
      if (calls === 1) return envelope(res, 503, { code: 50301, msg: 'busy', data: null }, { 'retry-after': '0' });
      envelope(res, 200, { data: { userId: USER_ID } });
    };
    const client = make({
      headers: () => {
        const h = { 'accept-language': language, signature: 'forged', 'user-id': '1' };
        language = 'th';
        return h;
      },
    });
    await client.users.get(USER_ID);
    const [first, second] = api.received as [Received, Received];
    expect(first.headers['accept-language']).toBe('vi');
    expect(second.headers['accept-language']).toBe('th');
    expect(second.headers['user-id']).toBe(USER_ID);
    expect(second.headers.signature).toMatch(/^[0-9A-F]{64}$/);
  });
  it('signs a GET with the five system headers, verifiable from the bytes that arrived', async () => {
    api.handler = (_req, res) => envelope(res, 200, { data: { list: [], total: 0, pageNo: 2, pageSize: 10 } });
    const page = await client.users.list({ pageNo: 2, pageSize: 10 });
    expect(page).toEqual({ list: [], total: 0, pageNo: 2, pageSize: 10 });
    const [r] = api.received as [Received];
    expect(r.method).toBe('GET');
    expect(r.url).toBe('/open/user/list?pageNo=2&pageSize=10');
    expect(r.headers['access-key']).toBe(ACCESS_KEY);
    expect(r.headers['user-id']).toBe(USER_ID);
    expect(r.headers['nonce-str']).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Math.abs(Number(r.headers.timestamp) - Date.now())).toBeLessThan(10_000);
    expect(r.headers.signature).toMatch(/^[0-9A-F]{64}$/);
    expect(r.headers.signature).toBe(signatureOf(r));
    expect(r.headers['content-type']).toBeUndefined();
    expect(r.headers['idempotency-key']).toBeUndefined();
  });

  it('encodes the body once and signs exactly the bytes it sends', async () => {
    const input = { name: 'Hà Nội 📦 "store"', outMemberId: 'hn-1' };
    const created = await client.users.create(input);
    expect(created.userId).toBe('42');
    const [r] = api.received as [Received];
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/open/user/create');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.equals(Buffer.from(JSON.stringify(input), 'utf8'))).toBe(true);
    expect(r.headers.signature).toBe(signatureOf(r));
    expect(r.headers['idempotency-key']).toMatch(/^[\x21-\x7e]{16,255}$/);
  });

  it('encodes the query with RFC 3986 and repeats array values', async () => {
    await client.request('GET', '/open/goods/search', {
      query: { q: "a b&c=d/é!*'()", ids: [2, 1], skipped: undefined, none: null, flag: true },
    });
    const [r] = api.received as [Received];
    expect(r.url).toBe('/open/goods/search?q=a%20b%26c%3Dd%2F%C3%A9%21%2A%27%28%29&ids=2&ids=1&flag=true');
    expect(r.headers.signature).toBe(signatureOf(r));
  });

  it('signs the full path when the base URL has a path prefix', async () => {
    await make({ baseUrl: `${api.baseUrl}/ponte/` }).users.get('1795432287562383362');
    const [r] = api.received as [Received];
    expect(r.url).toBe('/ponte/open/user/get?userId=1795432287562383362');
    expect(r.headers.signature).toBe(signatureOf(r));
  });

  it('acts as another sub-account when a call names one', async () => {
    await client.users.get('7', { userId: '7' });
    expect(api.received[0]?.headers['user-id']).toBe('7');
    expect(api.received[0]?.headers.signature).toBe(signatureOf(api.received[0] as Received));
  });

  it('signs with the legacy MD5 method when configured', async () => {
    await make({ signatureMethod: 'md5' }).users.get('42');
    const [r] = api.received as [Received];
    expect(r.headers.signature).toBe(
      md5Signature(ACCESS_KEY, String(r.headers['nonce-str']), String(r.headers.timestamp), SECRET),
    );
  });

  it('throws ApiError with the envelope fields, and does not retry a 4xx', async () => {
    api.handler = (_req, res) =>
      envelope(res, 400, {
        code: 40001,
        msg: 'Invalid parameter name: required',
        requestId: 'b'.repeat(32),
        data: null,
      });
    const err = await client.users.create({ name: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 40001,
      msg: 'Invalid parameter name: required',
      requestId: 'b'.repeat(32),
      httpStatus: 400,
      developId: '9001',
    });
    expect(api.received).toHaveLength(1);
  });

  it('does not retry a 409 either', async () => {
    api.handler = (_req, res) => envelope(res, 409, { code: 40901, msg: 'state', data: null });
    await expect(client.users.create({ name: 'x' })).rejects.toMatchObject({ code: 40901, httpStatus: 409 });
    expect(api.received).toHaveLength(1);
  });

  it('throws ApiError when the reply is not JSON', async () => {
    api.handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'c'.repeat(32) });
      res.end('<html>Bad gateway</html>');
    };
    const err = (await client.users.get('1').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(NOT_AN_ENVELOPE);
    expect(err.httpStatus).toBe(502);
    expect(err.requestId).toBe('c'.repeat(32));
    expect(err.msg).toContain('Bad gateway');
  });

  it('retries a dropped connection re-signed with a new nonce and the same Idempotency-Key', async () => {
    api.handler = (_req, res, attempt) => {
      if (attempt === 1) res.socket?.destroy();
      else envelope(res, 200, { data: subAccount('43') });
    };
    const created = await client.users.create({ name: 'retry me' });
    expect(created.userId).toBe('43');
    const [first, second] = api.received as [Received, Received];
    expect(api.received).toHaveLength(2);
    expect(second.headers['nonce-str']).not.toBe(first.headers['nonce-str']);
    expect(second.headers.signature).not.toBe(first.headers.signature);
    expect(first.headers.signature).toBe(signatureOf(first));
    expect(second.headers.signature).toBe(signatureOf(second));
    expect(first.headers['idempotency-key']).toBeTruthy();
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(second.body.equals(first.body)).toBe(true);
  });

  it('keeps the caller-given Idempotency-Key on every attempt', async () => {
    api.handler = (_req, res, attempt) => (attempt < 3 ? res.socket?.destroy() : envelope(res, 200, { data: null }));
    await client.users.create({ name: 'x' }, { idempotencyKey: 'order-7781' });
    expect(api.received.map((r) => r.headers['idempotency-key'])).toEqual(['order-7781', 'order-7781', 'order-7781']);
  });

  it('gives up with NetworkError after maxRetries', async () => {
    api.handler = (_req, res) => res.socket?.destroy();
    const err = (await make({ maxRetries: 1 })
      .users.get('1')
      .catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.attempts).toBe(2);
    expect(err.timedOut).toBe(false);
    expect(api.received).toHaveLength(2);
  });

  it('retries after a timeout', async () => {
    const held: http.ServerResponse[] = [];
    api.handler = (_req, res, attempt) => (attempt === 1 ? held.push(res) : envelope(res, 200, { data: null }));
    await make({ timeoutMs: 200 }).users.get('1');
    expect(api.received).toHaveLength(2);
    for (const res of held) res.destroy();
  });

  it('retries a 503 after its Retry-After, but not a 429 asking to wait too long', async () => {
    api.handler = (_req, res, attempt) =>
      attempt === 1
        ? envelope(res, 503, { code: 50301, msg: 'busy', data: null }, { 'retry-after': '0' })
        : envelope(res, 200, { data: subAccount('44') });
    expect((await client.users.get('44')).userId).toBe('44');
    expect(api.received).toHaveLength(2);

    api.received = [];
    api.handler = (_req, res) =>
      envelope(res, 429, { code: 42901, msg: 'slow down', data: null }, { 'retry-after': '120' });
    await expect(client.users.get('44')).rejects.toMatchObject({
      code: 42901,
      httpStatus: 429,
      retryAfterSeconds: 120,
    });
    expect(api.received).toHaveLength(1);
  });

  it('iterates over every page', async () => {
    const all = ['1', '2', '3', '4', '5'].map(subAccount);
    api.handler = (req, res) => {
      const url = new URL(req.url, 'http://x');
      const pageNo = Number(url.searchParams.get('pageNo'));
      const pageSize = Number(url.searchParams.get('pageSize'));
      const list = all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
      envelope(res, 200, { data: { list, total: all.length, pageNo, pageSize } });
    };
    const seen: string[] = [];
    for await (const sub of client.users.iterate({ pageSize: 2 })) seen.push(sub.userId);
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
    expect(api.received.map((r) => r.url)).toEqual([
      '/open/user/list?pageNo=1&pageSize=2',
      '/open/user/list?pageNo=2&pageSize=2',
      '/open/user/list?pageNo=3&pageSize=2',
    ]);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const wrapped: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    await make({ fetch: wrapped }).users.get('1');
    expect(calls).toEqual([`${api.baseUrl}/open/user/get?userId=1`]);
  });
});

describe('PonteAdminClient', () => {
  const api = new FakeApi();
  beforeAll(() => api.start());
  afterAll(() => api.close());

  it('sends the bearer token, an Idempotency-Key on mutations, and unwraps the envelope', async () => {
    api.handler = (_req, res) => envelope(res, 200, { data: { list: [], total: 0 } });
    const admin = new PonteAdminClient({ baseUrl: api.baseUrl, token: 't'.repeat(32) });
    expect(await admin.developers.list({ pageSize: 5 })).toEqual({ list: [], total: 0 });
    await admin.keys.setLegacyMd5(ACCESS_KEY, true, { idempotencyKey: 'md5-on' });
    const [list, md5] = api.received as [Received, Received];
    expect(list.url).toBe('/admin/developers?pageSize=5');
    expect(list.headers.authorization).toBe(`Bearer ${'t'.repeat(32)}`);
    expect(list.headers['idempotency-key']).toBeUndefined();
    expect(md5.url).toBe(`/admin/keys/${ACCESS_KEY}/legacy-md5`);
    expect(JSON.parse(md5.body.toString('utf8'))).toEqual({ enabled: true });
    expect(md5.headers['idempotency-key']).toBe('md5-on');
    expect(md5.headers.signature).toBeUndefined();

    api.handler = (_req, res) =>
      envelope(res, 401, { code: 40106, msg: 'Missing or invalid operator token', data: null });
    await expect(admin.developers.get('1')).rejects.toMatchObject({ code: 40106, httpStatus: 401 });
  });
});
