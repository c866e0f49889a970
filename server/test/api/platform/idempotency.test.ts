import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { signRequest } from '@ponte/sdk/signing';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { REPLAY_TTL_MS, requestFingerprint } from '../../../src/platform/http/idempotency.js';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Strict, Text, Type } from '../../../src/platform/http/schema.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';
import { waitFor } from '../../wait.js';

/** I1–I3: the `Idempotency-Key` header on POST /open/user/create, and the mechanism's edges. */

const CREATE = '/open/user/create';

/** A second mutation with the same body shape, to reuse a key on another path. */
const otherPath = defineRoute({
  method: 'POST',
  url: '/test/idempotency/other',
  operationId: 'testIdempotencyOther',
  summary: 'A mutation that changes nothing',
  tags: ['Test'],
  auth: 'signed',
  mutation: true,
  body: Strict({ name: Text('Name', 64), outMemberId: Type.Optional(Text('Id', 64)) }),
  data: Type.Object({ ok: Type.Boolean() }),
  handler: async () => ({ ok: true }),
});

/** Fails with a plain Error (a 5xx) the first time for each name, then succeeds. */
const failedOnce = new Set<string>();
let flakyRuns = 0;
const flaky = defineRoute({
  method: 'POST',
  url: '/test/idempotency/flaky',
  operationId: 'testIdempotencyFlaky',
  summary: 'Fails once, then succeeds',
  tags: ['Test'],
  auth: 'signed',
  mutation: true,
  body: Strict({ name: Text('Name', 64) }),
  data: Type.Object({ run: Type.Integer() }),
  handler: async ({ body }) => {
    flakyRuns++;
    if (!failedOnce.has(body.name)) {
      failedOnce.add(body.name);
      throw new Error('transient failure');
    }
    return { run: flakyRuns };
  },
});

/** Holds its transaction open until the test opens `slowGate`, so concurrent requests with its key find it running. */
let slowRuns = 0;
let slowGate: Promise<void> = Promise.resolve();
const slow = defineRoute({
  method: 'POST',
  url: '/test/idempotency/slow',
  operationId: 'testIdempotencySlow',
  summary: 'A slow mutation',
  tags: ['Test'],
  auth: 'signed',
  mutation: true,
  body: Strict({ name: Text('Name', 64) }),
  data: Type.Object({ run: Type.Integer() }),
  handler: async () => {
    const run = ++slowRuns;
    await slowGate;
    return { run };
  },
});

/** A mutation that, like the warehouse endpoints, also accepts the system parameters in the query. */
let queryRuns = 0;
const queryAuth = defineRoute({
  method: 'POST',
  url: '/test/idempotency/query-auth',
  operationId: 'testIdempotencyQueryAuth',
  summary: 'A mutation signed in the query',
  tags: ['Test'],
  auth: 'signed-or-query',
  mutation: true,
  body: Strict({ name: Text('Name', 64) }),
  data: Type.Object({ run: Type.Integer() }),
  handler: async () => ({ run: ++queryRuns }),
});

const clock = new ManualClock(Date.UTC(2026, 0, 15, 9, 0, 0));
let server: TestServer;
let dev: Credentials;

beforeAll(async () => {
  server = await startServer({ overrides: { clock }, routes: [otherPath, flaky, slow, queryAuth] });
  dev = await server.createDeveloper('Idempotency developer');
});
afterAll(() => server.close());

/** A create request, freshly signed (new nonce) each time. */
function create(key: string | undefined, body: unknown, options: { creds?: Credentials; userId?: string } = {}) {
  return server.signed<{ userId: string }>(options.creds ?? dev, 'POST', CREATE, {
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
    userId: options.userId,
  });
}

async function countSubAccounts(developId = dev.developId): Promise<number> {
  const row = await server.deps.database.db
    .selectFrom('sub_accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('develop_id', '=', developId)
    .where('is_main', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countKeys(): Promise<number> {
  const row = await server.deps.database.db
    .selectFrom('idempotency_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function replayed(r: Reply): boolean {
  return r.headers.get('idempotent-replayed') === 'true';
}

function expectCode(r: Reply, code: number, mention?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status).toBe(code === 200 ? 200 : Math.floor(code / 100));
  if (code !== 200) expect(r.body.data).toBeNull();
  if (mention) expect(r.body.msg).toContain(mention);
}

let keySeq = 0;
/** A key no other test uses. */
function newKey(label: string): string {
  keySeq++;
  return `${label}-${keySeq}-${Math.random().toString(36).slice(2)}`;
}

beforeEach(() => {
  clock.advance(1000);
});

describe('I1: one key and body sent 100 times', () => {
  it('creates exactly one sub-account and answers 100 identical bodies', async () => {
    const key = newKey('i1');
    const body = { name: 'I1 store', outMemberId: 'i1-member' };
    const before = await countSubAccounts();
    const replies: Reply<{ userId: string }>[] = [];
    for (let i = 0; i < 100; i++) replies.push(await create(key, body));

    expect(await countSubAccounts()).toBe(before + 1);
    const first = replies[0] as Reply<{ userId: string }>;
    expectCode(first, 200);
    expect(replayed(first)).toBe(false);
    for (const r of replies.slice(1)) {
      expect(r.status).toBe(first.status);
      expect(r.text).toBe(first.text);
      expect(r.body).toEqual(first.body);
      expect(replayed(r)).toBe(true);
    }
    // Each reply still has its own x-request-id; the body keeps the first request's id.
    expect(new Set(replies.map((r) => r.headers.get('x-request-id'))).size).toBe(100);
    expect(new Set(replies.map((r) => r.body.requestId)).size).toBe(1);
    expect(first.body.requestId).toBe(first.headers.get('x-request-id'));
  });
});

describe('I2: concurrent requests with one key', () => {
  it('50 concurrent creates: one executes, the others get the stored reply or 40903', async () => {
    const key = newKey('i2');
    const body = { name: 'I2 store', outMemberId: 'i2-member' };
    const before = await countSubAccounts();
    const replies = await Promise.all(Array.from({ length: 50 }, () => create(key, body)));

    expect(await countSubAccounts()).toBe(before + 1);
    const successes = replies.filter((r) => r.body.code === 200);
    const running = replies.filter((r) => r.body.code === 40903);
    expect(successes.length + running.length).toBe(50);
    for (const r of running) expectCode(r, 40903);
    expect(successes.filter((r) => !replayed(r))).toHaveLength(1);
    const stored = await create(key, body);
    expectCode(stored, 200);
    expect(replayed(stored)).toBe(true);
    for (const r of successes) expect(r.text).toBe(stored.text);
  });

  it('50 concurrent requests to a slow mutation run its handler once', async () => {
    let replies: Reply[] = [];
    const key = newKey('i2-slow');
    const runsBefore = slowRuns;
    let openGate = () => {};
    slowGate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    // Counts the requests the HTTP server has received, whatever authentication does with them next.
    let arrivals = 0;
    const onRequest = (message: unknown) => {
      if ((message as { request: IncomingMessage }).request.url === '/test/idempotency/slow') arrivals++;
    };
    diagnostics.subscribe('http.server.request.start', onRequest);
    try {
      const sent = Promise.all(
        Array.from({ length: 50 }, () =>
          server.signed(dev, 'POST', '/test/idempotency/slow', {
            body: { name: 'slow' },
            headers: { 'idempotency-key': key },
          }),
        ),
      );
      sent.catch(() => {}); // awaited below; a failure must not surface as unhandled meanwhile
      // The handler stays in its transaction until all 50 requests are in the server, so they meet it running.
      await waitFor(() => slowRuns > runsBefore && arrivals >= 50, {
        timeoutMs: 30_000,
        message: () =>
          `the slow handler to start (${slowRuns - runsBefore} runs) and 50 requests to arrive (${arrivals})`,
      });
      openGate();
      replies = await sent;
    } finally {
      openGate();
      slowGate = Promise.resolve();
      diagnostics.unsubscribe('http.server.request.start', onRequest);
    }
    expect(slowRuns - runsBefore).toBe(1);
    const executed = replies.filter((r) => r.body.code === 200 && !replayed(r));
    expect(executed).toHaveLength(1);
    const winner = executed[0] as Reply;
    for (const r of replies) {
      if (r.body.code === 200) expect(r.text).toBe(winner.text);
      else expectCode(r, 40903);
    }
  });
});

describe('I3: the same key with a different request', () => {
  it('answers 40902 for a different body, path, query or user-id, and changes nothing', async () => {
    const key = newKey('i3');
    const body = { name: 'I3 store', outMemberId: 'i3-member' };
    const first = await create(key, body);
    expectCode(first, 200);
    const before = await countSubAccounts();

    expectCode(await create(key, { name: 'I3 store', outMemberId: 'i3-other' }), 40902);
    expectCode(await create(key, { ...body, name: 'I3 store ' }), 40902);
    // Same JSON value, different bytes: the request is compared byte for byte.
    const reordered = await server.signed(dev, 'POST', CREATE, {
      rawBody: JSON.stringify({ outMemberId: body.outMemberId, name: body.name }),
      headers: { 'idempotency-key': key },
    });
    expectCode(reordered, 40902);

    const otherRoute = await server.signed(dev, 'POST', '/test/idempotency/other', {
      body,
      headers: { 'idempotency-key': key },
    });
    expectCode(otherRoute, 40902);
    const withQuery = await server.signed(dev, 'POST', `${CREATE}?x=1`, {
      body,
      headers: { 'idempotency-key': key },
    });
    expectCode(withQuery, 40902);
    // A sub-account of the same developer, with the same key and body.
    const asSub = await create(key, body, { userId: first.body.data.userId });
    expectCode(asSub, 40902);

    expect(await countSubAccounts()).toBe(before);
    const again = await create(key, body);
    expect(again.text).toBe(first.text);
    expect(replayed(again)).toBe(true);
  });
});

describe('scope and lifetime of a key', () => {
  it('scopes a key per developer', async () => {
    const devB = await server.createDeveloper('Second developer');
    const key = newKey('shared');
    const a = await create(key, { name: 'A store' });
    const b = await create(key, { name: 'B store' }, { creds: devB });
    expectCode(a, 200);
    expectCode(b, 200);
    expect(replayed(b)).toBe(false);
    expect(b.body.developId).toBe(devB.developId);
    expect(b.body.data.userId).not.toBe(a.body.data.userId);
    expect(await countSubAccounts(devB.developId)).toBe(1);
    // Each developer's replay is its own.
    const bAgain = await create(key, { name: 'B store' }, { creds: devB });
    expect(bAgain.text).toBe(b.text);
    const aAgain = await create(key, { name: 'A store' });
    expect(aAgain.text).toBe(a.text);
    // And B's body under A's key is still a different request for A.
    expectCode(await create(key, { name: 'B store' }), 40902);
  });

  it('does not consume the key on a request that fails validation', async () => {
    const key = newKey('invalid-first');
    const before = await countSubAccounts();
    const keysBefore = await countKeys();
    const invalid = await create(key, { name: '' });
    expectCode(invalid, 40001, 'name');
    const unknownField = await create(key, { name: 'x', extra: 1 });
    expectCode(unknownField, 40001, 'extra');
    expect(await countKeys()).toBe(keysBefore);
    // Validation runs before the key is reserved: the valid request is the key's first use.
    const valid = await create(key, { name: 'valid after invalid' });
    expectCode(valid, 200);
    expect(replayed(valid)).toBe(false);
    expect(await countSubAccounts()).toBe(before + 1);
    // Validation still comes first for a key in use.
    expectCode(await create(key, { name: '' }), 40001, 'name');
  });

  it('does not consume the key on a request refused by authentication', async () => {
    const key = newKey('unauthenticated');
    const refused = await server.signed(dev, 'POST', CREATE, {
      body: { name: 'x' },
      headers: { 'idempotency-key': key },
      timestamp: clock.now() - 3_600_000,
    });
    expectCode(refused, 40103);
    const ok = await create(key, { name: 'x' });
    expectCode(ok, 200);
    expect(replayed(ok)).toBe(false);
  });

  it('stores and replays a 4xx business error', async () => {
    const taken = await create(newKey('dup-first'), { name: 'Dup', outMemberId: 'dup-member' });
    expectCode(taken, 200);
    const key = newKey('dup');
    const before = await countSubAccounts();
    const conflict = await create(key, { name: 'Dup 2', outMemberId: 'dup-member' });
    expectCode(conflict, 40901, 'dup-member');
    expect(replayed(conflict)).toBe(false);
    const again = await create(key, { name: 'Dup 2', outMemberId: 'dup-member' });
    expect(again.status).toBe(409);
    expect(again.text).toBe(conflict.text);
    expect(replayed(again)).toBe(true);
    expect(await countSubAccounts()).toBe(before);
  });

  it('does not store a 5xx: the retry runs again', async () => {
    const key = newKey('flaky');
    const send = () =>
      server.signed<{ run: number }>(dev, 'POST', '/test/idempotency/flaky', {
        body: { name: key },
        headers: { 'idempotency-key': key },
      });
    const failed = await send();
    expectCode(failed, 50001);
    const retried = await send();
    expectCode(retried, 200);
    expect(replayed(retried)).toBe(false);
    const replay = await send();
    expect(replay.text).toBe(retried.text);
    expect(replayed(replay)).toBe(true);
  });

  it('frees the key after 24 hours', async () => {
    const key = newKey('ttl');
    const body = { name: 'TTL store' };
    const before = await countSubAccounts();
    const first = await create(key, body);
    expectCode(first, 200);

    clock.advance(REPLAY_TTL_MS - 1);
    const stillStored = await create(key, body);
    expect(stillStored.text).toBe(first.text);
    expect(replayed(stillStored)).toBe(true);
    expectCode(await create(key, { name: 'changed' }), 40902);

    clock.advance(1);
    const fresh = await create(key, body);
    expectCode(fresh, 200);
    expect(replayed(fresh)).toBe(false);
    expect(fresh.body.requestId).not.toBe(first.body.requestId);
    expect(await countSubAccounts()).toBe(before + 2);
    const replay = await create(key, body);
    expect(replay.text).toBe(fresh.text);

    // After another day the key may carry a different request.
    clock.advance(REPLAY_TTL_MS);
    const other = await create(key, { name: 'TTL other' });
    expectCode(other, 200);
    expect(replayed(other)).toBe(false);
  });

  it('refuses an invalid key with 40001 naming Idempotency-Key, storing nothing', async () => {
    const before = await countSubAccounts();
    const keysBefore = await countKeys();
    for (const key of ['k'.repeat(256), 'has space', 'tab\there', 'caf\u00e9', '']) {
      const r = await create(key, { name: 'invalid key' });
      expectCode(r, 40001, 'Idempotency-Key');
    }
    expect(await countSubAccounts()).toBe(before);
    expect(await countKeys()).toBe(keysBefore);
    const longest = await create('k'.repeat(255), { name: 'longest key' });
    expectCode(longest, 200);
    const printable = await create('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', { name: 'punctuation key' });
    expectCode(printable, 200);
  });
});

describe('system parameters in the query', () => {
  /** Signs like a client that puts access-key, timestamp, nonce-str, user-id and signature in the query. */
  function querySigned(path: string, body: unknown, key: string) {
    const text = JSON.stringify(body);
    const sys = signRequest({
      method: 'POST',
      url: path,
      body: text,
      accessKey: dev.accessKey,
      accessSecret: dev.accessSecret,
      userId: dev.userId,
      timestamp: clock.now(),
    });
    return server.request(`POST`, `${path}?${new URLSearchParams(sys).toString()}`, {
      body: text,
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });
  }

  it('replays a retry whose fresh signature and nonce travel in the query', async () => {
    const key = newKey('query');
    const runsBefore = queryRuns;
    const first = await querySigned('/test/idempotency/query-auth', { name: 'q' }, key);
    expectCode(first, 200);
    const retry = await querySigned('/test/idempotency/query-auth', { name: 'q' }, key);
    expectCode(retry, 200);
    expect(retry.text).toBe(first.text);
    expect(replayed(retry)).toBe(true);
    expect(queryRuns - runsBefore).toBe(1);
    // A different body is still a different request.
    expectCode(await querySigned('/test/idempotency/query-auth', { name: 'other' }, key), 40902);
  });
});

describe('a reservation left running by a crashed request', () => {
  function fingerprintOf(url: string, body: unknown, userId = dev.userId): string {
    const fake = { method: 'POST', raw: { url }, auth: { userId }, rawBody: Buffer.from(JSON.stringify(body)) };
    return requestFingerprint(fake as unknown as FastifyRequest);
  }

  async function insertRunning(key: string, body: unknown, lockedUntil: number): Promise<void> {
    const now = clock.now();
    await server.deps.database.db
      .insertInto('idempotency_keys')
      .values({
        develop_id: dev.developId,
        idem_key: key,
        request_hash: fingerprintOf(CREATE, body),
        state: 'running',
        http_status: null,
        response_body: null,
        locked_until: lockedUntil,
        created_at: now - 120_000,
        expires_at: now - 120_000 + REPLAY_TTL_MS,
      })
      .execute();
  }

  it('answers 40903 while its lock holds', async () => {
    const key = newKey('running');
    const body = { name: 'Running' };
    await insertRunning(key, body, clock.now() + 30_000);
    const before = await countSubAccounts();
    expectCode(await create(key, body), 40903);
    expectCode(await create(key, { name: 'Other' }), 40902);
    expect(await countSubAccounts()).toBe(before);
    // Once the lock lapses, a retry takes the work over.
    clock.advance(30_001);
    const retry = await create(key, body);
    expectCode(retry, 200);
    expect(await countSubAccounts()).toBe(before + 1);
  });

  it('is taken over by a retry once its lock has passed, which then completes once', async () => {
    const key = newKey('crashed');
    const body = { name: 'Crashed', outMemberId: 'crashed-member' };
    await insertRunning(key, body, clock.now() - 1);
    const before = await countSubAccounts();

    const retry = await create(key, body);
    expectCode(retry, 200);
    expect(replayed(retry)).toBe(false);
    expect(await countSubAccounts()).toBe(before + 1);

    const row = await server.deps.database.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('develop_id', '=', dev.developId)
      .where('idem_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('done');
    expect(row.http_status).toBe(200);

    const replay = await create(key, body);
    expect(replay.text).toBe(retry.text);
    expect(replayed(replay)).toBe(true);
    expect(await countSubAccounts()).toBe(before + 1);
  });

  it('lets only one of several concurrent retries take it over', async () => {
    const key = newKey('crashed-concurrent');
    const body = { name: 'Crashed concurrent', outMemberId: 'crashed-concurrent-member' };
    await insertRunning(key, body, clock.now() - 1);
    const before = await countSubAccounts();
    const replies = await Promise.all(Array.from({ length: 20 }, () => create(key, body)));
    expect(await countSubAccounts()).toBe(before + 1);
    const executed = replies.filter((r) => r.body.code === 200 && !replayed(r));
    expect(executed).toHaveLength(1);
    for (const r of replies) {
      if (r.body.code === 200) expect(r.text).toBe((executed[0] as Reply).text);
      else expectCode(r, 40903);
    }
  });
});
