import http from 'node:http';
import { canonicalQuery } from '@ponte/sdk/signing';
import { type SignatureVector, signatureVectors } from '@ponte/sdk/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Type } from '../../../src/platform/http/schema.js';
import { startServer, type TestServer } from '../../harness.js';

/**
 * S1: every published signature vector, sent byte for byte to a running server, is accepted; one
 * changed byte in any signed part of it is refused with 40102.
 */

const vectors = signatureVectors;

/** A signed route for every path under `/vector/`, echoing what the handler received. */
function vectorRoute(method: 'GET' | 'DELETE' | 'POST' | 'PUT') {
  return defineRoute({
    method,
    url: '/vector/*',
    operationId: `vector${method}`,
    summary: 'Signature vector target',
    tags: ['Test'],
    auth: 'signed',
    mutation: false,
    body: method === 'POST' || method === 'PUT' ? Type.Unknown() : undefined,
    data: Type.Object({ method: Type.String(), url: Type.String(), userId: Type.String() }),
    handler: async ({ req, auth }) => ({ method: req.method, url: req.raw.url ?? '', userId: auth.userId }),
  });
}

/** One route per method the vectors (and their altered copies) use. */
const vectorRoutes = [vectorRoute('GET'), vectorRoute('DELETE'), vectorRoute('POST'), vectorRoute('PUT')];

interface RawRequest {
  method: string;
  url: string;
  body: Buffer | null;
  headers: Record<string, string>;
}

interface RawReply {
  status: number;
  code: number;
  data: { method: string; url: string; userId: string } | null;
}

/** Sends exactly these bytes (request target and body): no URL parsing or re-encoding on the way. */
function send(server: TestServer, req: RawRequest): Promise<RawReply> {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: hostname,
        port,
        method: req.method,
        path: req.url,
        agent: false,
        headers: {
          ...req.headers,
          ...(req.body ? { 'content-type': 'application/json', 'content-length': String(req.body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const env = JSON.parse(text) as { code: number; data: RawReply['data'] };
            resolve({ status: res.statusCode ?? 0, code: env.code, data: env.data });
          } catch {
            reject(new Error(`not an envelope (HTTP ${res.statusCode}): ${text}`));
          }
        });
      },
    );
    r.on('error', reject);
    r.end(req.body ?? undefined);
  });
}

function exactRequest(v: SignatureVector): RawRequest {
  return {
    method: v.method,
    url: v.url,
    body: v.body === null ? null : Buffer.from(v.body, 'utf8'),
    headers: {
      'access-key': v.accessKey,
      timestamp: v.timestamp,
      'nonce-str': v.nonce,
      'user-id': v.userId,
      signature: v.signature,
    },
  };
}

/** The character after `c` in its own class (digit, lower or upper case letter), so formats stay valid. */
function nextChar(c: string): string {
  const ranges = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  for (const r of ranges) {
    const i = r.indexOf(c);
    if (i >= 0) return r[(i + 1) % r.length] as string;
  }
  throw new Error(`no successor for ${c}`);
}

/** `text` with the alphanumeric character at `index` (or the last one when absent) replaced by the next one. */
function changeOne(text: string, index?: number): string {
  const i = index ?? text.search(/[0-9A-Za-z][^0-9A-Za-z]*$/);
  if (i < 0) throw new Error(`nothing to change in ${text}`);
  return text.slice(0, i) + nextChar(text.charAt(i)) + text.slice(i + 1);
}

const OTHER_METHOD: Record<string, string> = { GET: 'DELETE', DELETE: 'GET', POST: 'PUT', PUT: 'POST' };

/**
 * One server per access key as the vectors use it (its secret, its method, its sub-account): a key is one row, so
 * vectors that give one key different secrets need servers of their own; so do two vectors of one key with the same
 * nonce (the second would be a replay). Each vector moves its server's clock to its own timestamp.
 */
interface VectorServer {
  server: TestServer;
  clock: ManualClock;
}
const servers: { key: string; nonces: Set<string>; started: Promise<VectorServer> }[] = [];

function serverFor(v: SignatureVector): Promise<VectorServer> {
  const key = [v.accessKey, v.accessSecret, v.userId, v.signatureMethod].join('|');
  const found = servers.find((s) => s.key === key && !s.nonces.has(v.nonce));
  if (found) {
    found.nonces.add(v.nonce);
    return found.started;
  }
  const started = startVectorServer(v);
  servers.push({ key, nonces: new Set([v.nonce]), started });
  return started;
}

async function startVectorServer(v: SignatureVector): Promise<VectorServer> {
  const clock = new ManualClock(Number(v.timestamp));
  const server = await startServer({ overrides: { clock }, routes: vectorRoutes });
  const dev = await server.createDeveloper(`SignatureVector ${v.name}`);
  const now = server.deps.clock.now();
  const { db } = server.deps.database;
  // The admin API issues random keys; the vector's key (and a sibling differing in one byte, so that an
  // altered access-key reaches the signature check) are written as the service writes them.
  for (const accessKey of [v.accessKey, changeOne(v.accessKey)]) {
    await db
      .insertInto('access_keys')
      .values({
        access_key: accessKey,
        develop_id: dev.developId,
        label: 'signature vector',
        secret_sealed: server.deps.secrets.seal(v.accessSecret),
        previous_secret_sealed: null,
        previous_expires_at: null,
        legacy_md5: 0,
        status: 'active',
        created_at: now,
        rotated_at: null,
        revoked_at: null,
      })
      .execute();
    if (v.signatureMethod === 'md5') {
      const r = await server.admin('POST', `/admin/keys/${accessKey}/legacy-md5`, { enabled: true });
      expect(r.body.code).toBe(200);
    }
  }
  await db
    .insertInto('sub_accounts')
    .values({
      user_id: v.userId,
      develop_id: dev.developId,
      name: 'vector sub-account',
      out_member_id: null,
      is_main: 0,
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { server, clock };
}

afterAll(async () => {
  for (const s of servers) await (await s.started).server.close();
});

describe.each(vectors.map((v) => [v.name, v] as const))('signature vector %s', (_name, v) => {
  let server: TestServer;
  const q = v.url.indexOf('?');
  const path = q < 0 ? v.url : v.url.slice(0, q);
  const query = q < 0 ? undefined : v.url.slice(q + 1);
  const siblingKey = changeOne(v.accessKey);

  beforeAll(async () => {
    const shared = await serverFor(v);
    shared.clock.set(Number(v.timestamp));
    server = shared.server;
  });

  const refused = async (change: Partial<RawRequest> & { headers?: Record<string, string> }) => {
    const base = exactRequest(v);
    const r = await send(server, { ...base, ...change, headers: { ...base.headers, ...change.headers } });
    expect({ status: r.status, code: r.code }).toEqual({ status: 401, code: 40102 });
  };

  it('is accepted as sent, and the handler sees the exact URL', async () => {
    const r = await send(server, exactRequest(v));
    expect(r).toEqual({ status: 200, code: 200, data: { method: v.method, url: v.url, userId: v.userId } });
  });

  it('is refused with one changed byte in the access-key', () => refused({ headers: { 'access-key': siblingKey } }));

  it('is refused with the timestamp 1 ms later (still inside the window)', () =>
    refused({ headers: { timestamp: String(Number(v.timestamp) + 1) } }));

  it('is refused with one changed byte in the nonce', () => refused({ headers: { 'nonce-str': changeOne(v.nonce) } }));

  if (v.signatureMethod === 'md5') return; // MD5 signs only the key, nonce and timestamp

  it('is refused with one changed byte in the user-id', () => refused({ headers: { 'user-id': changeOne(v.userId) } }));

  it('is refused with another method', () => refused({ method: OTHER_METHOD[v.method] as string }));

  it('is refused with one changed byte in the path', () =>
    refused({ url: changeOne(path) + v.url.slice(path.length) }));

  if (query) {
    it('is refused with one changed byte in the query', () => {
      const altered = changeOne(query);
      expect(canonicalQuery(altered)).not.toBe(canonicalQuery(query));
      return refused({ url: `${path}?${altered}` });
    });
  }

  const body = v.body;
  if (body !== null) {
    it('is refused with one changed byte in the body', () => {
      const altered = changeOne(body, body.search(/"[A-Za-z]/) + 1);
      expect(() => JSON.parse(altered)).not.toThrow();
      return refused({ body: Buffer.from(altered, 'utf8') });
    });
  }
});
