import { randomBytes } from 'node:crypto';
import { computeSignature, type SignatureMethod } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { type ErrorCode, errorMessage } from '../../../src/platform/http/errors.js';
import type { Language } from '../../../src/platform/http/i18n.js';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Type } from '../../../src/platform/http/schema.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/**
 * The authentication matrix (docs/architecture.md §5; S1 and S2 of §13) over real HTTP. Every case builds
 * one raw request, signs it, optionally changes what is sent, and checks the answer's envelope.
 */

const WINDOW_MS = 300_000;
const SYSTEM_HEADERS = ['access-key', 'timestamp', 'nonce-str', 'user-id', 'signature'] as const;

/** Routes that exist only in this test: one URL under two methods, and a route taking query auth. */
const itemBody = Type.Object({ text: Type.String({ maxLength: 64 }) });
const itemParams = Type.Object({ id: Type.String({ maxLength: 16 }) });
const itemData = Type.Object({ method: Type.String(), id: Type.String(), text: Type.String(), userId: Type.String() });
const itemRoute = (method: 'POST' | 'PUT') =>
  defineRoute({
    method,
    url: '/test/items/:id',
    operationId: `testItem${method}`,
    summary: 'Echoes the signed request',
    tags: ['Test'],
    auth: 'signed',
    params: itemParams,
    body: itemBody,
    data: itemData,
    handler: async ({ req, params, body, auth }) => ({
      method: req.method,
      id: params.id,
      text: body.text,
      userId: auth.userId,
    }),
  });
const queryAuthRoute = defineRoute({
  method: 'GET',
  url: '/test/warehouse',
  operationId: 'testWarehouse',
  summary: 'Accepts the system parameters in the query',
  tags: ['Test'],
  auth: 'signed-or-query',
  data: Type.Object({ userId: Type.String() }),
  handler: async ({ auth }) => ({ userId: auth.userId }),
});

/** A request as it goes on the wire, system parameters apart from the signature included. */
interface RawRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  body?: string;
  accessKey: string;
  timestamp: string;
  nonce: string;
  userId: string;
}

function nonce(): string {
  return randomBytes(16).toString('hex');
}

function signatureOf(r: RawRequest, secret: string, method: SignatureMethod = 'hmac-sha256'): string {
  const q = r.url.indexOf('?');
  return computeSignature(method, secret, {
    method: r.method,
    path: q < 0 ? r.url : r.url.slice(0, q),
    query: q < 0 ? '' : r.url.slice(q + 1),
    accessKey: r.accessKey,
    timestamp: r.timestamp,
    nonce: r.nonce,
    userId: r.userId,
    body: r.body,
  });
}

function systemHeaders(r: RawRequest, signature: string): Record<string, string> {
  return {
    'access-key': r.accessKey,
    timestamp: r.timestamp,
    'nonce-str': r.nonce,
    'user-id': r.userId,
    signature,
  };
}

/** Every answer's requestId, to check at the end that no two answers share one. */
const requestIds: string[] = [];

/** Checks the error envelope, the x-request-id header and the status; returns the message. */
function expectError(reply: Reply, code: ErrorCode, msgIncludes?: string): string {
  expect(reply.body.code, reply.text).toBe(code);
  expect(reply.status).toBe(Math.floor(code / 100));
  expect(Object.keys(reply.body).sort()).toEqual(['code', 'data', 'developId', 'msg', 'requestId']);
  expect(reply.body.data).toBeNull();
  expect(typeof reply.body.developId).toBe('string');
  expect(reply.body.requestId).toMatch(/^[0-9a-f]{32}$/);
  expect(reply.headers.get('x-request-id')).toBe(reply.body.requestId);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof reply.body.msg).toBe('string');
  if (msgIncludes !== undefined) expect(reply.body.msg).toContain(msgIncludes);
  requestIds.push(reply.body.requestId);
  return reply.body.msg;
}

function expectOk(reply: Reply): void {
  expect(reply.body.code, reply.text).toBe(200);
  expect(reply.status).toBe(200);
  expect(reply.headers.get('x-request-id')).toBe(reply.body.requestId);
  requestIds.push(reply.body.requestId);
}

describe('signed request authentication', () => {
  const clock = new ManualClock(Date.UTC(2025, 4, 14, 8, 0, 0));
  let server: TestServer;
  let dev: Credentials;
  /** A second key of the same developer. */
  let secondKey: { accessKey: string; accessSecret: string };
  /** A second active sub-account of the same developer. */
  let siblingUserId: string;
  let other: Credentials;

  beforeAll(async () => {
    server = await startServer({
      overrides: { clock },
      env: { RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_SECOND: '1000000' },
      routes: [itemRoute('POST'), itemRoute('PUT'), queryAuthRoute],
    });
    dev = await server.createDeveloper('Matrix developer');
    other = await server.createDeveloper('Another developer');
    const k = await server.admin<{ accessKey: string; accessSecret: string }>(
      'POST',
      `/admin/developers/${dev.developId}/keys`,
      { label: 'second' },
    );
    expect(k.body.code, k.text).toBe(200);
    secondKey = k.body.data;
    const sub = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', {
      body: { name: 'Sibling' },
    });
    expect(sub.body.code, sub.text).toBe(200);
    siblingUserId = sub.body.data.userId;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The request every tamper case starts from: a POST with a path parameter, a query and a body. */
  function baseRequest(): RawRequest {
    return {
      method: 'POST',
      url: '/test/items/a1?color=red&size=m',
      body: '{"text":"hello"}',
      accessKey: dev.accessKey,
      timestamp: String(clock.now()),
      nonce: nonce(),
      userId: dev.userId,
    };
  }

  /** Sends `r` with `signature` and extra headers; content-type when there is a body. */
  function send(r: RawRequest, signature: string, headers: Record<string, string> = {}): Promise<Reply> {
    return server.request(r.method, r.url, {
      body: r.body,
      headers: {
        ...systemHeaders(r, signature),
        ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
    });
  }

  describe('each missing system parameter answers 40101 naming it', () => {
    it.each(SYSTEM_HEADERS)('without %s', async (name) => {
      const r = baseRequest();
      const headers: Record<string, string> = {
        ...systemHeaders(r, signatureOf(r, dev.accessSecret)),
        'content-type': 'application/json',
      };
      delete headers[name];
      const reply = await server.request(r.method, r.url, { body: r.body, headers });
      const msg = expectError(reply, 40101, name);
      expect(msg).toBe(`Missing system parameter: ${name}`);
      expect(reply.body.developId).toBe('');
    });

    it.each(SYSTEM_HEADERS)('with an empty %s', async (name) => {
      const r = baseRequest();
      const reply = await send(r, signatureOf(r, dev.accessSecret), { [name]: '' });
      expectError(reply, 40101, name);
    });
  });

  /**
   * One change between what was signed and what is sent. After the tampered request fails, the
   * request as signed still succeeds: the change is what failed it, and a refused request does not
   * use up its nonce.
   */
  const tampers: { name: string; change: (r: RawRequest) => RawRequest }[] = [
    { name: 'method (POST signed, PUT sent)', change: (r) => ({ ...r, method: 'PUT' }) },
    { name: 'path (one byte)', change: (r) => ({ ...r, url: r.url.replace('/a1?', '/a2?') }) },
    { name: 'query value (one byte)', change: (r) => ({ ...r, url: r.url.replace('color=red', 'color=rec') }) },
    { name: 'query name (one byte)', change: (r) => ({ ...r, url: r.url.replace('color=red', 'colos=red') }) },
    { name: 'query parameter dropped', change: (r) => ({ ...r, url: r.url.replace('&size=m', '') }) },
    { name: 'query parameter added', change: (r) => ({ ...r, url: `${r.url}&extra=1` }) },
    { name: 'body (one byte)', change: (r) => ({ ...r, body: '{"text":"hellp"}' }) },
    { name: 'body (whitespace only)', change: (r) => ({ ...r, body: '{"text": "hello"}' }) },
    {
      name: 'access-key (another valid key of the same developer)',
      change: (r) => ({ ...r, accessKey: secondKey.accessKey }),
    },
    {
      name: 'timestamp (+1 ms, still in the window)',
      change: (r) => ({ ...r, timestamp: String(Number(r.timestamp) + 1) }),
    },
    {
      name: 'timestamp (-1 ms, still in the window)',
      change: (r) => ({ ...r, timestamp: String(Number(r.timestamp) - 1) }),
    },
    {
      name: 'nonce-str (last character)',
      change: (r) => ({ ...r, nonce: r.nonce.slice(0, -1) + (r.nonce.endsWith('a') ? 'b' : 'a') }),
    },
    {
      name: 'user-id (another valid sub-account of the same developer)',
      change: (r) => ({ ...r, userId: siblingUserId }),
    },
  ];

  describe('a change to any signed part answers 40102', () => {
    it.each(tampers)('$name', async ({ change }) => {
      const original = baseRequest();
      const signature = signatureOf(original, dev.accessSecret);
      const sent = change(original);
      expect(sent).not.toEqual(original);

      // The tampered request is itself valid when signed properly: only the signature is wrong.
      const secret = sent.accessKey === secondKey.accessKey ? secondKey.accessSecret : dev.accessSecret;
      const control = { ...sent, nonce: nonce() };
      expectOk(await send(control, signatureOf(control, secret)));

      expectError(await send(sent, signature), 40102, 'Signature does not match');
      const ok = await send(original, signature);
      expectOk(ok);
      expect((ok.body.data as { method: string; id: string; text: string }).text).toBe('hello');
    });

    it('the method is part of the signature: each method accepts only its own', async () => {
      const put = { ...baseRequest(), method: 'PUT' };
      const reply = await send(put, signatureOf(put, dev.accessSecret));
      expectOk(reply);
      expect((reply.body.data as { method: string }).method).toBe('PUT');
      const post = { ...baseRequest(), method: 'POST' };
      expectError(await send({ ...post, method: 'PUT' }, signatureOf(post, dev.accessSecret)), 40102);
    });

    it("another key's secret answers 40102", async () => {
      const r = baseRequest();
      expectError(await send(r, signatureOf(r, secondKey.accessSecret)), 40102);
      expectError(await send(r, signatureOf(r, other.accessSecret)), 40102);
    });
  });

  describe('signature format', () => {
    it('a lower-case hex signature verifies (the comparison ignores hex case)', async () => {
      const r = baseRequest();
      const signature = signatureOf(r, dev.accessSecret);
      expect(signature).toMatch(/^[0-9A-F]{64}$/);
      expectOk(await send(r, signature.toLowerCase()));
    });

    it.each([
      ['63 hex characters', (s: string) => s.slice(0, 63)],
      ['65 hex characters', (s: string) => `${s}0`],
      ['64 characters that are not hex', () => 'G'.repeat(64)],
      ['40 hex characters', (s: string) => s.slice(0, 40)],
      ['the signature twice', (s: string) => s + s],
      ['a single character', () => 'A'],
    ])('a malformed signature (%s) answers 40102', async (_name, malform) => {
      const r = baseRequest();
      expectError(await send(r, malform(signatureOf(r, dev.accessSecret))), 40102);
      // The nonce was not used up by the refusal.
      expectOk(await send(r, signatureOf(r, dev.accessSecret)));
    });

    it('a nonce-str that is not 8 to 64 of [A-Za-z0-9_-] answers 40001 naming it', async () => {
      for (const bad of ['short12', 'x'.repeat(65), 'has space 123', 'dots.are.bad']) {
        const r = { ...baseRequest(), nonce: bad };
        expectError(await send(r, signatureOf(r, dev.accessSecret)), 40001, 'nonce-str');
      }
    });

    it('a timestamp that is not epoch milliseconds answers 40001 naming it', async () => {
      for (const bad of ['2025-05-14T08:00:00Z', '-1', '1.5e12']) {
        const r = { ...baseRequest(), timestamp: bad };
        expectError(await send(r, signatureOf(r, dev.accessSecret)), 40001, 'timestamp');
      }
    });
  });

  describe('legacy MD5 signature', () => {
    let md5Dev: Credentials;
    beforeAll(async () => {
      md5Dev = await server.createDeveloper('MD5 client');
    });

    function md5Request(): RawRequest {
      return { ...baseRequest(), accessKey: md5Dev.accessKey, userId: md5Dev.userId };
    }

    async function setMd5(enabled: boolean): Promise<void> {
      const r = await server.admin<{ legacyMd5: boolean }>('POST', `/admin/keys/${md5Dev.accessKey}/legacy-md5`, {
        enabled,
      });
      expect(r.status, r.text).toBe(200);
      expect(r.body.data.legacyMd5).toBe(enabled);
    }

    it('is refused with 40102 on a key without legacy MD5', async () => {
      const r = md5Request();
      const signature = signatureOf(r, md5Dev.accessSecret, 'md5');
      expect(signature).toMatch(/^[0-9A-F]{32}$/);
      expectError(await send(r, signature), 40102);
    });

    it('verifies once the operator enables it for the key, and only for that key', async () => {
      await setMd5(true);
      const r = md5Request();
      expectOk(await send(r, signatureOf(r, md5Dev.accessSecret, 'md5')));
      // HMAC keeps working on the same key.
      const h = md5Request();
      expectOk(await send(h, signatureOf(h, md5Dev.accessSecret)));
      // Another key of another developer is unaffected.
      const d = baseRequest();
      expectError(await send(d, signatureOf(d, dev.accessSecret, 'md5')), 40102);
    });

    it('still checks what MD5 signs: key, nonce and timestamp, and the nonce is single-use', async () => {
      const r = md5Request();
      const signature = signatureOf(r, md5Dev.accessSecret, 'md5');
      expectError(await send({ ...r, timestamp: String(Number(r.timestamp) + 1) }, signature), 40102);
      expectError(await send({ ...r, nonce: nonce() }, signature), 40102);
      expectError(await send(r, signatureOf(r, 'not-the-secret', 'md5')), 40102);
      expectOk(await send(r, signature));
      expectError(await send(r, signature), 40104);
    });

    it('is refused again once disabled', async () => {
      await setMd5(false);
      const r = md5Request();
      expectError(await send(r, signatureOf(r, md5Dev.accessSecret, 'md5')), 40102);
    });
  });

  describe('timestamp window (±300 s)', () => {
    it.each([
      ['301 s in the past', -301_000],
      ['301 s in the future', 301_000],
      ['300.001 s in the past', -300_001],
      ['300.001 s in the future', 300_001],
      ['a day in the past', -86_400_000],
    ])('a timestamp %s answers 40103', async (_name, offset) => {
      const r = { ...baseRequest(), timestamp: String(clock.now() + offset) };
      expectError(await send(r, signatureOf(r, dev.accessSecret)), 40103, '300 seconds');
    });

    it.each([
      ['exactly 300 s in the past', -WINDOW_MS],
      ['exactly 300 s in the future', WINDOW_MS],
    ])('a timestamp %s is accepted', async (_name, offset) => {
      const r = { ...baseRequest(), timestamp: String(clock.now() + offset) };
      expectOk(await send(r, signatureOf(r, dev.accessSecret)));
    });

    it('the window follows the server clock', async () => {
      const r = baseRequest();
      const signature = signatureOf(r, dev.accessSecret);
      clock.advance(WINDOW_MS + 1);
      try {
        expectError(await send(r, signature), 40103);
      } finally {
        clock.advance(-(WINDOW_MS + 1));
      }
      expectOk(await send(r, signature));
    });
  });

  describe('nonce replay', () => {
    it('the same request sent twice answers 40104 the second time', async () => {
      const r = baseRequest();
      const signature = signatureOf(r, dev.accessSecret);
      expectOk(await send(r, signature));
      expectError(await send(r, signature), 40104, 'nonce-str');
    });

    it('a replayed nonce answers 40104 even with a fresh timestamp and a valid signature', async () => {
      const first = baseRequest();
      expectOk(await send(first, signatureOf(first, dev.accessSecret)));
      clock.advance(1_000);
      const again = { ...baseRequest(), nonce: first.nonce };
      expect(again.timestamp).not.toBe(first.timestamp);
      expectError(await send(again, signatureOf(again, dev.accessSecret)), 40104);
      // Another request entirely (other route, method, body), same nonce and key: still a replay.
      const list: RawRequest = { ...again, method: 'GET', url: '/open/user/list', body: undefined };
      expectError(await send(list, signatureOf(list, dev.accessSecret)), 40104);
    });

    it('a nonce is per key: the same nonce on another key is accepted', async () => {
      const a = baseRequest();
      expectOk(await send(a, signatureOf(a, dev.accessSecret)));
      const b = { ...a, accessKey: secondKey.accessKey };
      expectOk(await send(b, signatureOf(b, secondKey.accessSecret)));
    });

    it('concurrent copies of one request: exactly one is accepted', async () => {
      const r = baseRequest();
      const signature = signatureOf(r, dev.accessSecret);
      const replies = await Promise.all(Array.from({ length: 20 }, () => send(r, signature)));
      const codes = replies.map((x) => x.body.code).sort();
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 40104)).toHaveLength(19);
    });

    it('a nonce whose window has passed can be used again with a fresh timestamp', async () => {
      const first = baseRequest();
      const signature = signatureOf(first, dev.accessSecret);
      expectOk(await send(first, signature));
      clock.advance(WINDOW_MS + 2_000);
      // The original request is now refused by the window, not by the nonce.
      expectError(await send(first, signature), 40103);
      const again = { ...baseRequest(), nonce: first.nonce };
      expectOk(await send(again, signatureOf(again, dev.accessSecret)));
      // ...and is single-use again.
      expectError(await send(again, signatureOf(again, dev.accessSecret)), 40104);
    });
  });

  describe('keys and developers', () => {
    it('an unknown access key answers 40105', async () => {
      for (const accessKey of [randomBytes(16).toString('hex'), 'x', 'k'.repeat(65)]) {
        const r = { ...baseRequest(), accessKey };
        expectError(await send(r, signatureOf(r, dev.accessSecret)), 40105);
      }
    });

    it('a revoked key answers 40105 from the next request', async () => {
      const k = await server.admin<{ accessKey: string; accessSecret: string }>(
        'POST',
        `/admin/developers/${dev.developId}/keys`,
        {},
      );
      expect(k.body.code, k.text).toBe(200);
      const before = { ...baseRequest(), accessKey: k.body.data.accessKey };
      expectOk(await send(before, signatureOf(before, k.body.data.accessSecret)));
      const revoked = await server.admin<{ status: string }>('POST', `/admin/keys/${k.body.data.accessKey}/revoke`);
      expect(revoked.body.data.status).toBe('revoked');
      const after = { ...baseRequest(), accessKey: k.body.data.accessKey };
      expectError(await send(after, signatureOf(after, k.body.data.accessSecret)), 40105);
      // The developer's other keys are unaffected.
      const r = baseRequest();
      expectOk(await send(r, signatureOf(r, dev.accessSecret)));
    });

    it("a disabled developer's keys answer 40105, and work again once it is enabled", async () => {
      const d = await server.createDeveloper('To be disabled');
      const r1 = { ...baseRequest(), accessKey: d.accessKey, userId: d.userId };
      expectOk(await send(r1, signatureOf(r1, d.accessSecret)));
      const off = await server.admin('POST', `/admin/developers/${d.developId}/status`, { status: 'disabled' });
      expect(off.status, off.text).toBe(200);
      const r2 = { ...baseRequest(), accessKey: d.accessKey, userId: d.userId };
      expectError(await send(r2, signatureOf(r2, d.accessSecret)), 40105);
      const on = await server.admin('POST', `/admin/developers/${d.developId}/status`, { status: 'active' });
      expect(on.status, on.text).toBe(200);
      expectOk(await send(r2, signatureOf(r2, d.accessSecret)));
    });
  });

  describe('user-id', () => {
    it("the user-id of another developer's main account answers 40301", async () => {
      const r = { ...baseRequest(), userId: other.userId };
      expectError(await send(r, signatureOf(r, dev.accessSecret)), 40301);
    });

    it("the user-id of another developer's sub-account answers 40301", async () => {
      const sub = await server.signed<{ userId: string }>(other, 'POST', '/open/user/create', {
        body: { name: 'Foreign' },
      });
      expect(sub.body.code, sub.text).toBe(200);
      const r = { ...baseRequest(), userId: sub.body.data.userId };
      expectError(await send(r, signatureOf(r, dev.accessSecret)), 40301);
    });

    it('a user-id that does not exist answers 40301', async () => {
      for (const userId of ['1795432287562383361', '0', 'not-a-number']) {
        const r = { ...baseRequest(), userId };
        expectError(await send(r, signatureOf(r, dev.accessSecret)), 40301);
      }
    });

    it('a disabled sub-account answers 40301, and works again once enabled', async () => {
      const sub = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', {
        body: { name: 'Paused' },
      });
      const userId = sub.body.data.userId;
      const r1 = { ...baseRequest(), userId };
      expectOk(await send(r1, signatureOf(r1, dev.accessSecret)));
      const off = await server.admin('POST', `/admin/users/${userId}/status`, { status: 'disabled' });
      expect(off.status, off.text).toBe(200);
      const r2 = { ...baseRequest(), userId };
      expectError(await send(r2, signatureOf(r2, dev.accessSecret)), 40301);
      await server.admin('POST', `/admin/users/${userId}/status`, { status: 'active' });
      const r3 = { ...baseRequest(), userId };
      expectOk(await send(r3, signatureOf(r3, dev.accessSecret)));
    });

    it('a user-id longer than 64 characters answers 40001 naming it', async () => {
      const r = { ...baseRequest(), userId: '1'.repeat(65) };
      expectError(await send(r, signatureOf(r, dev.accessSecret)), 40001, 'user-id');
    });
  });

  describe('system parameters in the query', () => {
    /** `url` with the system parameters appended to its query, the signature under `signatureName`. */
    function inQuery(r: RawRequest, signature: string, signatureName: 'signature' | 'sign'): string {
      const params = new URLSearchParams({
        'access-key': r.accessKey,
        timestamp: r.timestamp,
        'nonce-str': r.nonce,
        'user-id': r.userId,
        [signatureName]: signature,
      });
      return `${r.url}${r.url.includes('?') ? '&' : '?'}${params}`;
    }

    function getRequest(url: string): RawRequest {
      return { ...baseRequest(), method: 'GET', url, body: undefined };
    }

    it.each(['signature', 'sign'] as const)("are accepted on a 'signed-or-query' route (as %s)", async (name) => {
      const r = getRequest('/test/warehouse?warehouseId=7');
      const reply = await server.request('GET', inQuery(r, signatureOf(r, dev.accessSecret), name));
      expectOk(reply);
      expect(reply.body.data).toEqual({ userId: dev.userId });
      expect(reply.body.developId).toBe(dev.developId);
    });

    it("are signed like any request on a 'signed-or-query' route", async () => {
      const r = getRequest('/test/warehouse?warehouseId=7');
      const signature = signatureOf(r, dev.accessSecret);
      const tampered = inQuery(r, signature, 'sign').replace('warehouseId=7', 'warehouseId=8');
      expectError(await server.request('GET', tampered), 40102);
      expectOk(await server.request('GET', inQuery(r, signature, 'sign')));
      expectError(await server.request('GET', inQuery(r, signature, 'sign')), 40104);
    });

    it("a 'signed-or-query' route still takes the headers", async () => {
      const r = getRequest('/test/warehouse');
      expectOk(await send(r, signatureOf(r, dev.accessSecret)));
    });

    it("a 'signed-or-query' route names the first missing system parameter", async () => {
      const r = getRequest('/test/warehouse');
      const url = inQuery(r, signatureOf(r, dev.accessSecret), 'sign').replace(/&?nonce-str=[^&]*/, '');
      expectError(await server.request('GET', url), 40101, 'nonce-str');
    });

    it.each(['signature', 'sign'] as const)("are refused (40101) on a plain 'signed' route (as %s)", async (name) => {
      const r = getRequest('/open/user/list?pageNo=1');
      const reply = await server.request('GET', inQuery(r, signatureOf(r, dev.accessSecret), name));
      expectError(reply, 40101, 'access-key');
    });

    it("on a plain 'signed' route, only the signature in the query is not taken either", async () => {
      const r = getRequest('/open/user/list?pageNo=1');
      const headers = systemHeaders(r, signatureOf(r, dev.accessSecret));
      const { signature, ...rest } = headers;
      const reply = await server.request('GET', `${r.url}&sign=${signature}`, { headers: rest });
      expectError(reply, 40101, 'signature');
    });
  });

  describe('message language', () => {
    const languages: Language[] = ['zh', 'vi', 'th', 'es'];

    function missingKey(url: string, headers: Record<string, string> = {}): Promise<Reply> {
      return server.request('GET', url, { headers });
    }

    it.each(languages)('Accept-Language: %s', async (lang) => {
      const reply = await missingKey('/open/user/list', { 'accept-language': lang });
      const msg = expectError(reply, 40101, 'access-key');
      expect(msg).toBe(errorMessage(40101, lang, { field: 'access-key' }));
      expect(msg).not.toBe(errorMessage(40101, 'en', { field: 'access-key' }));
    });

    it.each(languages)('language=%s in the query', async (lang) => {
      const reply = await missingKey(`/open/user/list?language=${lang}`);
      expect(expectError(reply, 40101)).toBe(errorMessage(40101, lang, { field: 'access-key' }));
    });

    it('the language parameter wins over Accept-Language', async () => {
      const reply = await missingKey('/open/user/list?language=th', { 'accept-language': 'zh' });
      expect(expectError(reply, 40101)).toBe(errorMessage(40101, 'th', { field: 'access-key' }));
    });

    it('Accept-Language is read by q-value, with region tags; unknown languages fall back to English', async () => {
      const es = await missingKey('/open/user/list', { 'accept-language': 'fr-FR, es-MX;q=0.8, zh;q=0.5' });
      expect(expectError(es, 40101)).toBe(errorMessage(40101, 'es', { field: 'access-key' }));
      const en = await missingKey('/open/user/list', { 'accept-language': 'fr, de;q=0.5' });
      expect(expectError(en, 40101)).toBe('Missing system parameter: access-key');
    });

    it('applies to every auth error', async () => {
      const bad = baseRequest();
      const badSig = await send(bad, 'A'.repeat(64), { 'accept-language': 'vi' });
      expect(expectError(badSig, 40102)).toBe(errorMessage(40102, 'vi'));
      const stale = { ...baseRequest(), timestamp: String(clock.now() - WINDOW_MS - 1) };
      const staleReply = await send(stale, signatureOf(stale, dev.accessSecret), { 'accept-language': 'zh' });
      expect(expectError(staleReply, 40103)).toBe(errorMessage(40103, 'zh', { seconds: 300 }));
      const ok = baseRequest();
      const okSig = signatureOf(ok, dev.accessSecret);
      expectOk(await send(ok, okSig));
      const replay = await send(ok, okSig, { 'accept-language': 'th' });
      expect(expectError(replay, 40104)).toBe(errorMessage(40104, 'th'));
      const unknown = { ...baseRequest(), accessKey: randomBytes(16).toString('hex') };
      const unknownReply = await send(unknown, signatureOf(unknown, dev.accessSecret), { 'accept-language': 'es' });
      expect(expectError(unknownReply, 40105)).toBe(errorMessage(40105, 'es'));
      const foreign = { ...baseRequest(), userId: other.userId };
      const foreignReply = await send(foreign, signatureOf(foreign, dev.accessSecret), { 'accept-language': 'zh' });
      expect(expectError(foreignReply, 40301)).toBe(errorMessage(40301, 'zh'));
    });

    it('a signed request in the query with language=vi answers in Vietnamese', async () => {
      const r: RawRequest = { ...baseRequest(), method: 'GET', url: '/open/user/list?language=vi', body: undefined };
      const reply = await send(r, signatureOf(r, dev.accessSecret));
      expectOk(reply);
      expect(reply.body.msg).toBe('thành công');
    });
  });

  it('no two answers share a requestId', () => {
    expect(requestIds.length).toBeGreaterThan(50);
    expect(new Set(requestIds).size).toBe(requestIds.length);
  });
});
