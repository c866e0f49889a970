import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Id, Int, JsonString, Strict, Type } from '../../../src/platform/http/schema.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/**
 * F2: bad input of every kind answers a clear 4xx in the envelope, names the field where there is
 * one, and stores nothing.
 */

const BODY_LIMIT = 2048;

/** What the test routes' handlers received, to compare with what was sent. */
const received: { id?: unknown; skuIds?: unknown; params?: unknown; quantity?: unknown } = {};

const intRoute = defineRoute({
  method: 'POST',
  url: '/test/bad-input/int',
  operationId: 'testBadInputInt',
  summary: 'Echoes a bounded integer',
  tags: ['Test'],
  auth: 'signed',
  body: Strict({ quantity: Int('A quantity', 1, 1000) }),
  data: Type.Object({ quantity: Type.Integer() }),
  handler: async ({ body }) => {
    received.quantity = body.quantity;
    return { quantity: body.quantity };
  },
});

const idRoute = defineRoute({
  method: 'POST',
  url: '/test/bad-input/id',
  operationId: 'testBadInputId',
  summary: 'Echoes an id',
  tags: ['Test'],
  auth: 'signed',
  body: Strict({ itemId: Id('An item id'), skuIds: Type.Optional(Type.Array(Id('A SKU id'))) }),
  data: Type.Object({ itemId: Type.String(), skuIds: Type.Array(Type.String()) }),
  handler: async ({ body }) => {
    received.id = body.itemId;
    received.skuIds = body.skuIds;
    return { itemId: body.itemId, skuIds: body.skuIds ?? [] };
  },
});

const ParamsItem = Strict({ itemId: Id('An item id'), skuIds: Type.Array(Id('A SKU id')) });

const jsonStringRoute = defineRoute({
  method: 'POST',
  url: '/test/bad-input/json-string',
  operationId: 'testBadInputJsonString',
  summary: 'Echoes a JSON-in-a-string field',
  tags: ['Test'],
  auth: 'signed',
  body: Strict({ params: JsonString(Type.Array(ParamsItem), 'Items, JSON-encoded or as the value') }),
  data: Type.Object({ params: Type.Array(Type.Object({ itemId: Type.String(), skuIds: Type.Array(Type.String()) })) }),
  handler: async ({ body }) => {
    received.params = body.params;
    return { params: body.params };
  },
});

const SECRET_DETAIL = 'password=hunter2 in /srv/ponte/secret-path.ts';

const boomRoute = defineRoute({
  method: 'GET',
  url: '/test/bad-input/boom',
  operationId: 'testBadInputBoom',
  summary: 'Throws a plain Error',
  tags: ['Test'],
  auth: 'signed',
  data: Type.Object({}),
  handler: async () => {
    throw new Error(SECRET_DETAIL);
  },
});

const boomMutation = defineRoute({
  method: 'POST',
  url: '/test/bad-input/boom',
  operationId: 'testBadInputBoomMutation',
  summary: 'Throws a plain Error inside the transaction',
  tags: ['Test'],
  auth: 'signed',
  mutation: true,
  body: Strict({ name: Type.String() }),
  data: Type.Object({}),
  handler: async () => {
    throw new TypeError(SECRET_DETAIL);
  },
});

/** An error as some libraries throw them: with a 4xx statusCode and an internal message. */
const boomWithStatus = defineRoute({
  method: 'GET',
  url: '/test/bad-input/boom-status',
  operationId: 'testBadInputBoomStatus',
  summary: 'Throws an Error carrying a statusCode',
  tags: ['Test'],
  auth: 'signed',
  data: Type.Object({}),
  handler: async () => {
    throw Object.assign(new Error(`upstream answered 404: ${SECRET_DETAIL}`), { statusCode: 404 });
  },
});

const boomPublic = defineRoute({
  method: 'GET',
  url: '/test/bad-input/boom-public',
  operationId: 'testBadInputBoomPublic',
  summary: 'Throws a plain Error without authentication',
  tags: ['Test'],
  auth: 'public',
  data: Type.Object({}),
  handler: async () => {
    throw new Error(SECRET_DETAIL);
  },
});

let server: TestServer;
let dev: Credentials;

beforeAll(async () => {
  server = await startServer({
    env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) },
    routes: [intRoute, idRoute, boomRoute, boomMutation, boomWithStatus, boomPublic],
  });
  dev = await server.createDeveloper('Bad input developer');
});
afterAll(() => server.close());

/**
 * A signed request with full control of the bytes and headers: `contentType` null sends no
 * Content-Type at all (a Buffer body keeps fetch from adding one).
 */
function signedRaw(
  method: string,
  url: string,
  body: string | Buffer | undefined,
  options: { contentType?: string | null; headers?: Record<string, string>; creds?: Credentials; on?: TestServer } = {},
): Promise<Reply> {
  const target = options.on ?? server;
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  return target.signed(options.creds ?? dev, method, url, { rawBody: body, contentType, headers: options.headers });
}

/** Every answer carries the request id and the security headers. */
function expectCommonHeaders(r: Reply): void {
  expect(r.headers.get('x-request-id') ?? '').toMatch(/^[0-9a-f]{32}$/);
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  const csp = r.headers.get('content-security-policy') ?? '';
  expect(csp).not.toBe('');
  const framing = r.headers.get('x-frame-options') ?? '';
  expect(framing !== '' || csp.includes('frame-ancestors')).toBe(true);
}

/** A well-formed error envelope with `code`, its HTTP status, and `msg` mentioning each of `mentions`. */
function expectError(r: Reply, code: number, ...mentions: string[]): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status).toBe(Math.floor(code / 100));
  expect(Object.keys(r.body).sort()).toEqual(['code', 'data', 'developId', 'msg', 'requestId']);
  expect(r.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expectCommonHeaders(r);
  expect(r.body.requestId).toBe(r.headers.get('x-request-id'));
  expect(typeof r.body.developId).toBe('string');
  expect(r.body.data).toBeNull();
  expect(typeof r.body.msg).toBe('string');
  for (const m of mentions) expect(r.body.msg).toContain(m);
}

function nested(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

async function countRows(table: 'sub_accounts' | 'idempotency_keys'): Promise<number> {
  const row = await server.deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface BadCase {
  name: string;
  send: () => Promise<Reply>;
  code: number;
  mentions: string[];
}

const CREATE = '/open/user/create';

function createCases(): BadCase[] {
  const post = (body: string | Buffer | undefined, contentType?: string | null) => () =>
    signedRaw('POST', CREATE, body, { contentType, headers: { 'idempotency-key': `bad-${Math.random()}` } });
  return [
    { name: 'malformed JSON', send: post('{"name": "x"'), code: 40001, mentions: ['body', 'malformed JSON'] },
    { name: 'trailing garbage', send: post('{"name":"x"} x'), code: 40001, mentions: ['body'] },
    { name: 'single quotes', send: post("{'name':'x'}"), code: 40001, mentions: ['body'] },
    { name: 'empty body with a JSON type', send: post(''), code: 40001, mentions: ['body'] },
    { name: 'no body and no type', send: post(undefined, null), code: 40001, mentions: ['body'] },
    { name: 'JSON null', send: post('null'), code: 40001, mentions: ['body'] },
    { name: 'an array', send: post('[{"name":"x"}]'), code: 40001, mentions: ['body'] },
    { name: 'a bare string', send: post('"x"'), code: 40001, mentions: ['body'] },
    {
      name: 'a NUL character in a string (PostgreSQL text cannot hold it)',
      send: post('{"name":"x\\u0000y","outMemberId":"nul"}'),
      code: 40001,
      mentions: ['name', 'NUL'],
    },
    { name: 'text/plain', send: post('{"name":"x"}', 'text/plain'), code: 41501, mentions: ['text/plain'] },
    {
      name: 'form-urlencoded',
      send: post('name=x', 'application/x-www-form-urlencoded'),
      code: 41501,
      mentions: ['application/x-www-form-urlencoded'],
    },
    { name: 'no content type', send: post('{"name":"x"}', null), code: 41501, mentions: ['Content-Type'] },
    {
      name: 'oversized body',
      send: post(JSON.stringify({ name: 'x', outMemberId: 'y'.repeat(BODY_LIMIT) })),
      code: 41301,
      mentions: [String(BODY_LIMIT)],
    },
    {
      name: 'nesting 33 levels',
      send: post(`{"name":"x","outMemberId":${nested(32)}}`),
      code: 40001,
      mentions: ['body', '32'],
    },
    {
      name: 'nesting 200 levels',
      send: post(`{"name":"x","outMemberId":${nested(199)}}`),
      code: 40001,
      mentions: ['body', '32'],
    },
    {
      name: 'invalid UTF-8',
      send: post(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')])),
      code: 40001,
      mentions: ['body', 'UTF-8'],
    },
    {
      name: 'overlong UTF-8 encoding of a quote',
      send: post(Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xc0, 0xa2]), Buffer.from('"}')])),
      code: 40001,
      mentions: ['body', 'UTF-8'],
    },
    { name: 'unknown field', send: post('{"name":"x","role":"admin"}'), code: 40001, mentions: ['role'] },
    { name: 'wrong type (object)', send: post('{"name":{"first":"x"}}'), code: 40001, mentions: ['name'] },
    { name: 'wrong type (array)', send: post('{"name":["a","b"]}'), code: 40001, mentions: ['name'] },
    { name: 'missing required field', send: post('{"outMemberId":"m1"}'), code: 40001, mentions: ['name'] },
    { name: 'empty name', send: post('{"name":""}'), code: 40001, mentions: ['name'] },
    { name: 'name too long', send: post(JSON.stringify({ name: 'n'.repeat(65) })), code: 40001, mentions: ['name'] },
    {
      name: '__proto__ key',
      send: post('{"name":"x","__proto__":{"polluted":true}}'),
      code: 40001,
      mentions: ['__proto__'],
    },
    {
      name: 'nested __proto__ key',
      send: post('{"name":"x","outMemberId":{"__proto__":{"polluted":true}}}'),
      code: 40001,
      mentions: ['__proto__'],
    },
    {
      name: 'constructor.prototype key',
      send: post('{"name":"x","constructor":{"prototype":{"polluted":true}}}'),
      code: 40001,
      mentions: ['constructor'],
    },
    {
      name: 'escaped __proto__ key',
      send: post('{"name":"x","\\u005f_proto__":{"polluted":true}}'),
      code: 40001,
      mentions: ['__proto__'],
    },
    {
      name: 'escaped __proto__ key with a long integer (lossless parser)',
      send: post('{"name":"x12345678901234567890","\\u005f_proto__":{"outMemberId":"injected"}}'),
      code: 40001,
      mentions: ['__proto__'],
    },
  ];
}

describe('bad input to POST /open/user/create stores nothing', () => {
  it('answers each with a clear 4xx envelope and leaves sub_accounts and idempotency_keys unchanged', async () => {
    const subAccountsBefore = await countRows('sub_accounts');
    const keysBefore = await countRows('idempotency_keys');
    const failures: string[] = [];
    for (const c of createCases()) {
      const r = await c.send();
      try {
        expectError(r, c.code, ...c.mentions);
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      } catch (err) {
        failures.push(`${c.name}: HTTP ${r.status} ${r.text.slice(0, 300)} (${(err as Error).message.split('\n')[0]})`);
      }
    }
    expect(failures).toEqual([]);
    expect(await countRows('sub_accounts')).toBe(subAccountsBefore);
    expect(await countRows('idempotency_keys')).toBe(keysBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).outMemberId).toBeUndefined();

    // The same server still creates with a valid body: the refusals above were about the input.
    const ok = await server.signed(dev, 'POST', CREATE, { body: { name: 'after bad input' } });
    expect(ok.body.code).toBe(200);
    expect(await countRows('sub_accounts')).toBe(subAccountsBefore + 1);
  });

  it('names the field in the language of the request', async () => {
    const r = await signedRaw('POST', CREATE, '{"name":"x","role":"admin"}', { headers: { 'accept-language': 'zh' } });
    expectError(r, 40001, 'role');
    expect(r.body.msg).toContain('参数');
    expect(r.body.developId).toBe(dev.developId);
  });

  it('refuses a chunked body that grows past the limit without a Content-Length', async () => {
    const url = new URL(server.baseUrl);
    const result = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: CREATE,
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => {
              text += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
          },
        );
        req.on('error', reject);
        req.write('{"name":"x","outMemberId":"');
        for (let i = 0; i < 8; i++) req.write('z'.repeat(512));
        req.end('"}');
      },
    );
    expect(result.status).toBe(413);
    const body = JSON.parse(result.text);
    expect(body.code).toBe(41301);
    expect(body.data).toBeNull();
    expect(result.headers['x-request-id']).toBe(body.requestId);
    expect(result.headers['x-content-type-options']).toBe('nosniff');
  });

  it('accepts a body of exactly 32 nesting levels as far as the parser goes', async () => {
    // 32 levels: the outer object and 31 arrays. The parser accepts it; the schema then refuses the field.
    const r = await signedRaw('POST', CREATE, `{"name":"x","outMemberId":${nested(31)}}`);
    expectError(r, 40001, 'outMemberId');
    expect(r.body.msg).not.toContain('nests deeper');
  });
});

describe('content types', () => {
  it('accepts application/json with parameters or in upper case', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
      const r = await signedRaw('POST', '/test/bad-input/int', '{"quantity":3}', { contentType: type });
      expect(r.body.code, `${type}: ${r.text}`).toBe(200);
    }
  });

  it('refuses look-alike and other media types with 41501 naming the type', async () => {
    for (const type of [
      'application/jsonp',
      'application/json-seq',
      'application/x-json',
      'application/vnd.api+json',
      'text/json',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
    ]) {
      received.quantity = undefined;
      const r = await signedRaw('POST', '/test/bad-input/int', '{"quantity":3}', { contentType: type });
      expectError(r, 41501, type.split(';')[0] as string);
      expect(received.quantity).toBeUndefined();
    }
  });
});

describe('query parameters', () => {
  it('answers 40001 naming the parameter for a wrong type, a value out of range or a repeated value', async () => {
    for (const [query, field] of [
      ['pageSize=abc', 'pageSize'],
      ['pageSize=51', 'pageSize'],
      ['pageNo=0', 'pageNo'],
      ['pageNo=99999999999999999999999', 'pageNo'],
      ['pageNo=1&pageNo=2', 'pageNo'],
      ['pageNo=Infinity', 'pageNo'],
      ['pageSize=-Infinity', 'pageSize'],
      ['pageNo=1e309', 'pageNo'],
    ] as const) {
      const r = await signedRaw('GET', `/open/user/list?${query}`, undefined, { contentType: null });
      expectError(r, 40001, field);
    }
  });

  it('refuses a NUL character in a query value, naming the parameter', async () => {
    const r = await server.admin('GET', '/admin/dead-letters?type=a%00b');
    expectError(r, 40001, 'type', 'NUL');
  });
});

describe('numbers', () => {
  it('refuses a huge integer where a bounded integer is expected, naming the field', async () => {
    for (const raw of [
      '123456789012345678901234567890',
      '9007199254740993',
      '-99999999999999999999',
      '1e400',
      '1001',
      '0',
      '1.5',
      '"abc"',
      '"1e400"',
      '"Infinity"',
    ]) {
      received.quantity = undefined;
      const r = await signedRaw('POST', '/test/bad-input/int', `{"quantity":${raw}}`);
      expectError(r, 40001, 'quantity');
      expect(received.quantity, raw).toBeUndefined();
    }
    const ok = await signedRaw('POST', '/test/bad-input/int', '{"quantity":1000}');
    expect(ok.body.code).toBe(200);
    expect(ok.body.data).toEqual({ quantity: 1000 });
  });

  it('reads a long integer sent where the schema says string as its exact digits', async () => {
    for (const digits of ['1795432287562383361', '12345678901234567890', '9007199254740993', '9223372036854775807']) {
      received.id = undefined;
      received.skuIds = undefined;
      const r = await signedRaw('POST', '/test/bad-input/id', `{"itemId":${digits},"skuIds":[${digits},42]}`);
      expect(r.body.code, r.text).toBe(200);
      expect(received.id).toBe(digits);
      expect(received.skuIds).toEqual([digits, '42']);
      // The reply carries the same digits as a JSON string.
      expect(r.text).toContain(`"itemId":"${digits}"`);
    }
  });

  it('refuses an integer too long for an id, naming the field, instead of rounding it', async () => {
    received.id = undefined;
    const r = await signedRaw('POST', '/test/bad-input/id', '{"itemId":12345678901234567890123}');
    expectError(r, 40001, 'itemId');
    expect(received.id).toBeUndefined();
    const negative = await signedRaw('POST', '/test/bad-input/id', '{"itemId":-1795432287562383361}');
    expectError(negative, 40001, 'itemId');
    expect(received.id).toBeUndefined();
  });

  it('never turns a long number that is not an exact integer into a different id', async () => {
    // Rounded through a double, each of these would become a valid-looking but different id.
    for (const raw of ['1795432287562383361.0', '17954322875623833.5', '1.795432287562383361e18']) {
      received.id = undefined;
      const r = await signedRaw('POST', '/test/bad-input/id', `{"itemId":${raw}}`);
      if (r.body.code === 200) {
        expect(received.id, `${raw} was read as ${String(received.id)}`).toBe('1795432287562383361');
      } else {
        expectError(r, 40001, 'itemId');
        expect(received.id).toBeUndefined();
      }
    }
  });
});

describe('JSON-in-a-string fields', () => {
  // A server of its own: a route with a JSON-in-a-string field must register like any other.
  let jsonServer: TestServer;
  let jsonDev: Credentials;
  beforeAll(async () => {
    jsonServer = await startServer({ routes: [jsonStringRoute] });
    jsonDev = await jsonServer.createDeveloper('JSON string developer');
  });
  afterAll(() => jsonServer?.close());
  const send = (body: string) =>
    signedRaw('POST', '/test/bad-input/json-string', body, { on: jsonServer, creds: jsonDev });

  const value = [{ itemId: '1795432287562383361', skuIds: ['5432287562383361795', '7'] }];

  it('accepts the string form', async () => {
    received.params = undefined;
    const r = await send(JSON.stringify({ params: JSON.stringify(value) }));
    expect(r.body.code, r.text).toBe(200);
    expect(received.params).toEqual(value);
    expect((r.body.data as { params: unknown }).params).toEqual(value);
  });

  it('accepts the parsed value', async () => {
    received.params = undefined;
    const r = await send(JSON.stringify({ params: value }));
    expect(r.body.code, r.text).toBe(200);
    expect(received.params).toEqual(value);
  });

  it('keeps long integers exact inside the string form and the parsed value', async () => {
    const inner = '[{"itemId":1795432287562383361,"skuIds":[12345678901234567890]}]';
    const expected = [{ itemId: '1795432287562383361', skuIds: ['12345678901234567890'] }];
    received.params = undefined;
    const asString = await send(JSON.stringify({ params: inner }));
    expect(asString.body.code, asString.text).toBe(200);
    expect(received.params).toEqual(expected);
    received.params = undefined;
    const asValue = await send(`{"params":${inner}}`);
    expect(asValue.body.code, asValue.text).toBe(200);
    expect(received.params).toEqual(expected);
  });

  it('answers 40001 naming the field for a string that is not JSON, too deep, or poisoned', async () => {
    const bad = [
      '[{"itemId":"1"',
      'not json',
      '',
      `[${nested(40)}]`,
      '[{"itemId":"1","skuIds":[],"__proto__":{"x":1}}]',
    ];
    for (const params of bad) {
      received.params = undefined;
      const r = await send(JSON.stringify({ params }));
      expectError(r, 40001, 'params');
      expect(received.params).toBeUndefined();
    }
  });

  it('validates what the string holds, naming the field', async () => {
    for (const params of ['{"itemId":"1","skuIds":[]}', '[{"itemId":"1"}]', '[{"itemId":"x","skuIds":[]}]', '"[]"']) {
      const r = await send(JSON.stringify({ params }));
      expectError(r, 40001, 'params');
    }
  });
});

describe('unknown routes and methods', () => {
  it('answers 40401 for an unknown path, signed or not', async () => {
    expectError(await signedRaw('POST', '/open/no/such/route', '{}'), 40401, '/open/no/such/route');
    expectError(await server.request('GET', '/nope?x=1'), 40401, '/nope');
  });

  it('answers 40401 for a known path with a method it does not serve', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await signedRaw(method, CREATE, method === 'GET' || method === 'DELETE' ? undefined : '{"name":"x"}');
      expectError(r, 40401, CREATE);
    }
  });

  it('answers a path with broken percent-encoding with 40001 in the envelope', async () => {
    expectError(await server.request('GET', '/open/user/%zz'), 40001);
    expectError(await signedRaw('POST', '/open/%E0%A4%A/create', '{"name":"x"}'), 40001);
  });

  it('answers a method the HTTP parser does not know with a 4xx envelope, not a hang or a 5xx', async () => {
    const url = new URL(server.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(`BREW ${CREATE} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
      });
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        data += d;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.setTimeout(5000, () => {
        socket.destroy();
        resolve(data);
      });
    });
    const status = Number(raw.split(' ')[1]);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(Object.keys(body).sort(), raw).toEqual(['code', 'data', 'developId', 'msg', 'requestId']);
    expect(Math.floor(body.code / 100)).toBe(status);
    expect(body.data).toBeNull();
  });
});

describe('internal errors', () => {
  function expectNoLeak(r: Reply): void {
    expect(r.text).not.toContain('hunter2');
    expect(r.text).not.toContain('secret-path');
    expect(r.text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(r.text).not.toContain('stack');
  }

  it('answers 50001 in the envelope, without the message or stack, for a plain Error', async () => {
    const r = await signedRaw('GET', '/test/bad-input/boom', undefined, { contentType: null });
    expectError(r, 50001);
    expect(r.body.msg).toContain('requestId');
    expect(r.body.developId).toBe(dev.developId);
    expectNoLeak(r);
  });

  it('answers 50001 for a failing mutation and stores nothing', async () => {
    const before = await countRows('idempotency_keys');
    const r = await signedRaw('POST', '/test/bad-input/boom', '{"name":"x"}', {
      headers: { 'idempotency-key': 'boom-1' },
    });
    expectError(r, 50001);
    expectNoLeak(r);
    expect(await countRows('idempotency_keys')).toBe(before);
  });

  it('answers 50001 for a library error that carries a 4xx statusCode, without its message', async () => {
    const r = await signedRaw('GET', '/test/bad-input/boom-status', undefined, { contentType: null });
    expectError(r, 50001);
    expectNoLeak(r);
  });

  it('answers 50001 on a public route as well', async () => {
    const r = await server.request('GET', '/test/bad-input/boom-public');
    expectError(r, 50001);
    expect(r.body.developId).toBe('');
    expectNoLeak(r);
  });
});

describe('headers on every answer', () => {
  it('sends the request id and security headers on success, 4xx, 404 and 500', async () => {
    const answers = [
      await server.request('GET', '/healthz'),
      await server.signed(dev, 'GET', '/open/user/list'),
      await server.request('POST', CREATE, { body: '{}', headers: { 'content-type': 'application/json' } }),
      await server.request('GET', '/definitely/not/here'),
      await server.request('GET', '/test/bad-input/boom-public'),
      await signedRaw('POST', CREATE, 'x', { contentType: 'text/plain' }),
    ];
    for (const r of answers) {
      expectCommonHeaders(r);
      expect(r.body.requestId).toBe(r.headers.get('x-request-id'));
    }
    const ids = new Set(answers.map((r) => r.body.requestId));
    expect(ids.size).toBe(answers.length);
  });

  it('ignores a client-sent x-request-id instead of echoing it', async () => {
    const r = await server.request('GET', '/healthz', { headers: { 'x-request-id': 'attacker-chosen' } });
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body.requestId).toBe(r.headers.get('x-request-id'));
  });
});
