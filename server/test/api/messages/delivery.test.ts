import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallback } from '@ponte/sdk/callbacks';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JITTER, RETRY_SCHEDULE_MS } from '../../../src/modules/messages/delivery.js';
import { insertMessage } from '../../../src/modules/messages/write.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

// Delivery of the developers' messages to their callback URLs (docs/adr/0013): signed per Standard Webhooks, retried
// on the published schedule, in order per object, 410 and 5 days of failures disabling the URL, a dead receiver not
// delaying anyone else. Receivers are HTTP servers on loopback (CALLBACK_ALLOW_PRIVATE); the clock is a fake one that
// moves only when told, so retries fall due when the test says.

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'destroy';

interface Receiver {
  url: string;
  got: Received[];
  /** What the next request is answered; defaults to 200. */
  answer: (req: Received) => Answer;
  close(): Promise<void>;
}

async function receiver(answer: (req: Received) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const r: Receiver = { url: '', got: [], answer, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      // Saving the URL needs its verification POST answered.
      if (got.body.includes('"CALLBACK_VERIFICATION"')) {
        res.writeHead(200).end();
        return;
      }
      r.got.push(got);
      const a = r.answer(got);
      if (a === 'hang') return;
      if (a === 'destroy') {
        req.socket.destroy();
        return;
      }
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  r.url = `http://127.0.0.1:${port}/callbacks`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/** Receivers to close after each test. */
const open: Receiver[] = [];
async function listen(answer?: (req: Received) => Answer): Promise<Receiver> {
  const r = await receiver(answer);
  open.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const clock = new ManualClock(Date.now());
let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    env: { CALLBACK_ALLOW_PRIVATE: 'true', CALLBACK_TIMEOUT_MS: '400' },
    overrides: { clock },
  });
});
afterAll(async () => {
  await server?.close();
});

/** A new developer whose callback URL is `r` (saved through the API); its secret. */
async function developerWith(r: Receiver): Promise<{ dev: Credentials; secret: string }> {
  const dev = await server.createDeveloper('Receiver');
  const saved = await server.signed<{ callbackSecret: string }>(dev, 'POST', '/open/message/callback', {
    body: { callbackUrl: r.url },
  });
  expect(saved.body.code, saved.text).toBe(200);
  return { dev, secret: saved.body.data.callbackSecret };
}

let objects = 0;
/** Writes a message about an object as a module would, in a transaction of its own; its id. */
async function write(
  dev: Credentials,
  options: { objectId?: string; version?: number; body?: unknown } = {},
): Promise<string> {
  const objectId = options.objectId ?? `9${String(++objects).padStart(17, '0')}`;
  return server.deps.database.transaction((trx) =>
    insertMessage(trx, server.deps, {
      developId: dev.developId,
      userId: dev.userId,
      platform: 1,
      type: 'ORDER_BUYER_VIEW_ORDER_PAY',
      objectType: 'order',
      objectId,
      version: options.version ?? 1,
      body: JSON.stringify(options.body ?? { orderId: objectId, currentStatus: 'waitsellersend' }),
    }),
  );
}

async function messageRow(id: string) {
  return server.deps.database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function attemptsOf(id: string) {
  return server.deps.database.db
    .selectFrom('message_attempts')
    .selectAll()
    .where('message_id', '=', id)
    .orderBy('attempt')
    .execute();
}

async function settings(dev: Credentials) {
  const r = await server.signed<{ enabled: boolean; disabledReason: string | null }>(
    dev,
    'GET',
    '/open/message/callback',
  );
  return r.body.data;
}

describe('a delivery', () => {
  it('POSTs the message once, signed so that the reference Standard Webhooks library verifies it', async () => {
    const r = await listen();
    const { dev, secret } = await developerWith(r);
    const id = await write(dev, { body: { orderId: 'x1', note: '中文 ✓' } });
    expect((await messageRow(id)).delivery).toBe('pending');
    expect(await server.drainCallbacks()).toBe(1);

    expect(r.got).toHaveLength(1);
    const [post] = r.got;
    if (!post) throw new Error('no POST');
    expect(post.headers['webhook-id']).toBe(id);
    expect(post.headers['content-type']).toBe('application/json');
    expect(Number(post.headers['webhook-timestamp'])).toBe(Math.floor(clock.now() / 1000));
    // The reference implementation, with its own clock: the fake one is still within its tolerance here.
    const verified = new Webhook(secret).verify(post.body, post.headers as Record<string, string>);
    expect(verified).toEqual({
      messageId: id,
      messageType: 'ORDER_BUYER_VIEW_ORDER_PAY',
      messagePlatform: 1,
      messageBody: { orderId: 'x1', note: '中文 ✓' },
      timestamp: expect.any(Number),
      version: 1,
    });
    expect(() =>
      new Webhook(secret).verify(post.body.replace('x1', 'x2'), post.headers as Record<string, string>),
    ).toThrow();

    const row = await messageRow(id);
    expect(row).toMatchObject({ delivery: 'delivered', attempts: 1, next_attempt_at: null, lease_owner: null });
    const [attempt] = await attemptsOf(id);
    expect(attempt).toMatchObject({ attempt: 1, status: 200, outcome: 'delivered', response: 'ok', url: r.url });
    // Nothing is due any more.
    expect(await server.drainCallbacks()).toBe(0);
  });

  it('is not made for a developer without a callback URL: the message is held', async () => {
    const dev = await server.createDeveloper('No URL');
    const id = await write(dev);
    expect((await messageRow(id)).delivery).toBe('held');
    expect(await server.drainCallbacks()).toBe(0);
  });

  it('is made for no message of a rolled-back transaction (1,000 of them)', async () => {
    const r = await listen();
    const { dev } = await developerWith(r);
    for (let i = 0; i < 1000; i++) {
      await expect(
        server.deps.database.transaction(async (trx) => {
          await insertMessage(trx, server.deps, {
            developId: dev.developId,
            userId: dev.userId,
            platform: 0,
            type: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
            objectType: 'order',
            objectId: `rolled${i}`,
            version: 1,
            body: '{}',
          });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
    }
    expect(await server.drainCallbacks()).toBe(0);
    expect(r.got).toHaveLength(0);
    const n = await server.deps.database.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('develop_id', '=', dev.developId)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('carries both signatures while a rotated secret overlaps, then only the new one', async () => {
    const r = await listen();
    const { dev, secret: old } = await developerWith(r);
    const rotated = await server.signed<{ callbackSecret: string }>(dev, 'POST', '/open/message/callback/secret', {
      body: { overlapSeconds: 3600 },
    });
    expect(rotated.body.code, rotated.text).toBe(200);
    const fresh = rotated.body.data.callbackSecret;
    await write(dev);
    await server.drainCallbacks();
    const [during] = r.got;
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [old, fresh]) {
      expect(() =>
        verifyCallback(during?.headers ?? {}, during?.body ?? '', secret, { now: () => clock.now() }),
      ).not.toThrow();
    }
    clock.advance(3601_000);
    await write(dev);
    await server.drainCallbacks();
    const after = r.got[1];
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => verifyCallback(after?.headers ?? {}, after?.body ?? '', old, { now: () => clock.now() })).toThrow();
    expect(() =>
      verifyCallback(after?.headers ?? {}, after?.body ?? '', fresh, { now: () => clock.now() }),
    ).not.toThrow();
  });
});

describe('retries', () => {
  it('follow the published schedule with its jitter, then the message is failed', async () => {
    const r = await listen(() => ({ status: 500, body: 'down for maintenance' }));
    const { dev } = await developerWith(r);
    const id = await write(dev);
    expect(await server.drainCallbacks()).toBe(1);
    for (const [i, wait] of RETRY_SCHEDULE_MS.entries()) {
      const row = await messageRow(id);
      expect(row.delivery).toBe('pending');
      const due = Number(row.next_attempt_at) - clock.now();
      expect(due).toBeGreaterThanOrEqual(Math.floor(wait * (1 - JITTER)));
      expect(due).toBeLessThanOrEqual(Math.ceil(wait * (1 + JITTER)));
      // Not a moment early.
      clock.advance(due - 1);
      expect(await server.drainCallbacks()).toBe(0);
      clock.advance(1);
      expect(await server.drainCallbacks(), `retry ${i + 1}`).toBe(1);
    }
    const row = await messageRow(id);
    expect(row).toMatchObject({ delivery: 'failed', attempts: 11, next_attempt_at: null });
    clock.advance(7 * 24 * 3_600_000);
    expect(await server.drainCallbacks()).toBe(0);
    const attempts = await attemptsOf(id);
    expect(attempts.map((a) => a.outcome)).toEqual([...Array(10).fill('retry'), 'failed']);
    expect(attempts.every((a) => a.status === 500 && a.response === 'down for maintenance')).toBe(true);
    expect(r.got).toHaveLength(11);
    // Every attempt carries the same webhook-id and body.
    expect(new Set(r.got.map((g) => g.headers['webhook-id']))).toEqual(new Set([id]));
    expect(new Set(r.got.map((g) => g.body)).size).toBe(1);
    // The URL was enabled all along: 11 failures over about 2 days do not disable it (5 days do).
    expect(await settings(dev)).toMatchObject({ enabled: true });
  });

  it('honour Retry-After, in seconds or as a date, up to a day', async () => {
    let answer: Answer = { status: 429, headers: { 'retry-after': '120' } };
    const r = await listen(() => answer);
    const { dev } = await developerWith(r);
    const id = await write(dev);
    await server.drainCallbacks();
    expect(Number((await messageRow(id)).next_attempt_at) - clock.now()).toBe(120_000);

    answer = { status: 503, headers: { 'retry-after': new Date(clock.now() + 600_000 + 120_000).toUTCString() } };
    clock.advance(120_000);
    expect(await server.drainCallbacks()).toBe(1);
    const wait = Number((await messageRow(id)).next_attempt_at) - clock.now();
    expect(wait).toBeGreaterThan(599_000);
    expect(wait).toBeLessThanOrEqual(600_000);

    answer = { status: 503, headers: { 'retry-after': String(30 * 86_400) } };
    clock.advance(wait);
    expect(await server.drainCallbacks()).toBe(1);
    expect(Number((await messageRow(id)).next_attempt_at) - clock.now()).toBe(24 * 3_600_000);
    expect((await attemptsOf(id)).map((a) => a.status)).toEqual([429, 503, 503]);
  });

  it('follow a timeout, a refused connection, a dropped connection and a redirect (which is not followed)', async () => {
    const target = await listen();
    let answer: Answer = 'hang';
    const r = await listen(() => answer);
    const { dev } = await developerWith(r);
    const id = await write(dev);

    const t0 = Date.now();
    await server.drainCallbacks();
    expect(Date.now() - t0).toBeLessThan(3000);
    answer = 'destroy';
    clock.advance(RETRY_SCHEDULE_MS[0] * 2);
    await server.drainCallbacks();
    answer = { status: 302, headers: { location: target.url } };
    clock.advance(RETRY_SCHEDULE_MS[1] * 2);
    await server.drainCallbacks();
    // The receiver goes away.
    await server.deps.database.db
      .updateTable('callback_endpoints')
      .set({ url: 'http://127.0.0.1:1/callbacks' })
      .where('develop_id', '=', dev.developId)
      .execute();
    clock.advance(RETRY_SCHEDULE_MS[2] * 2);
    await server.drainCallbacks();

    const attempts = await attemptsOf(id);
    expect(attempts.map((a) => [a.status, a.outcome])).toEqual([
      [null, 'retry'],
      [null, 'retry'],
      [302, 'retry'],
      [null, 'retry'],
    ]);
    expect(attempts[0]?.error).toMatch(/no answer within 400 ms/);
    expect(attempts[0]?.duration_ms).toBeGreaterThanOrEqual(380);
    expect(attempts[1]?.error).toMatch(/cannot fetch|socket|closed/i);
    expect(attempts[2]?.error).toMatch(/redirects are not followed/);
    expect(attempts[3]?.error).toMatch(/ECONNREFUSED|cannot fetch/);
    expect(target.got).toHaveLength(0);
  });
});

describe('disabling a URL', () => {
  it('on 410 Gone: the URL is disabled, pending messages are held, a message says so', async () => {
    const r = await listen(() => ({ status: 410 }));
    const { dev } = await developerWith(r);
    const a = await write(dev);
    await server.drainCallbacks();
    expect(await settings(dev)).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect((await messageRow(a)).delivery).toBe('held');
    expect((await attemptsOf(a)).map((x) => x.outcome)).toEqual(['gone']);

    const notice = await server.deps.database.db
      .selectFrom('messages')
      .selectAll()
      .where('develop_id', '=', dev.developId)
      .where('message_type', '=', 'CALLBACK_DISABLED')
      .executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ delivery: 'held', object_type: 'callback', object_id: dev.developId });
    expect(JSON.parse(notice.body)).toEqual({ callbackUrl: r.url, reason: 'gone', disabledTime: clock.now() });

    // What is written now is held; nothing is sent.
    const b = await write(dev);
    expect((await messageRow(b)).delivery).toBe('held');
    expect(await server.drainCallbacks()).toBe(0);
    expect(r.got).toHaveLength(1);

    // Saving the URL again enables it (after a verification POST the receiver now accepts).
    r.answer = () => ({ status: 200 });
    const saved = await server.signed(dev, 'POST', '/open/message/callback', { body: { callbackUrl: r.url } });
    expect(saved.body.code, saved.text).toBe(200);
    expect(await settings(dev)).toMatchObject({ enabled: true, disabledReason: null });
    const c = await write(dev);
    expect((await messageRow(c)).delivery).toBe('pending');
  });

  it('after 5 days of failing attempts and no success', async () => {
    const r = await listen(() => ({ status: 500 }));
    const { dev } = await developerWith(r);
    // A message every 12 hours, each failing on its first attempts.
    for (let hour = 0; hour <= 5 * 24; hour += 12) {
      await write(dev);
      await server.drainCallbacks();
      if ((await settings(dev)).enabled === false) break;
      clock.advance(12 * 3_600_000);
    }
    const s = await settings(dev);
    expect(s).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const endpoint = await server.deps.database.db
      .selectFrom('callback_endpoints')
      .selectAll()
      .where('develop_id', '=', dev.developId)
      .executeTakeFirstOrThrow();
    expect(Number(endpoint.disabled_at) - Number(endpoint.failing_since)).toBeGreaterThanOrEqual(5 * 86_400_000);
  });

  it('not while some attempts succeed', async () => {
    let fail = true;
    const r = await listen(() => ({ status: fail ? 500 : 200 }));
    const { dev } = await developerWith(r);
    for (let day = 0; day < 7; day++) {
      fail = day % 2 === 0;
      await write(dev);
      await server.drainCallbacks();
      clock.advance(24 * 3_600_000);
    }
    expect(await settings(dev)).toMatchObject({ enabled: true });
  });
});

describe('order per object', () => {
  it('a receiver never gets version N+1 before N was acknowledged or failed', async () => {
    let failures = 2;
    const r = await listen((req) => {
      const { version, messageBody } = JSON.parse(req.body) as { version: number; messageBody: { orderId: string } };
      if (messageBody.orderId === 'order-in-order' && version === 1 && failures > 0) {
        failures--;
        return { status: 503 };
      }
      return { status: 200 };
    });
    const { dev } = await developerWith(r);
    const objectId = 'order-in-order';
    for (const version of [1, 2, 3]) await write(dev, { objectId, version });
    const other = await write(dev); // another object is not held back

    await server.drainCallbacks();
    expect(r.got.map((g) => JSON.parse(g.body).messageId)).toEqual(expect.arrayContaining([other]));
    expect(r.got.map((g) => [JSON.parse(g.body).version, g.headers['webhook-id'] === other])).toEqual(
      expect.arrayContaining([[1, false]]),
    );
    expect(r.got.filter((g) => g.headers['webhook-id'] !== other).map((g) => JSON.parse(g.body).version)).toEqual([1]);
    clock.advance(RETRY_SCHEDULE_MS[0] * 2);
    await server.drainCallbacks();
    clock.advance(RETRY_SCHEDULE_MS[1] * 2);
    await server.drainCallbacks();
    const versions = r.got.filter((g) => g.headers['webhook-id'] !== other).map((g) => JSON.parse(g.body).version);
    expect(versions).toEqual([1, 1, 1, 2, 3]);
  });

  it('a failed version lets the next one go', async () => {
    const r = await listen((req) => ({ status: JSON.parse(req.body).version === 1 ? 500 : 200 }));
    const { dev } = await developerWith(r);
    const objectId = 'order-failing-first';
    const first = await write(dev, { objectId, version: 1 });
    const second = await write(dev, { objectId, version: 2 });
    await server.drainCallbacks();
    for (const wait of RETRY_SCHEDULE_MS) {
      expect((await messageRow(second)).delivery).toBe('pending');
      clock.advance(Math.ceil(wait * (1 + JITTER)));
      await server.drainCallbacks();
    }
    expect((await messageRow(first)).delivery).toBe('failed');
    expect((await messageRow(second)).delivery).toBe('delivered');
  });
});

describe('isolation', () => {
  it('a receiver that hangs is cut off at the timeout and does not delay another developer', async () => {
    const dead = await listen(() => 'hang');
    const live = await listen();
    const { dev: slow } = await developerWith(dead);
    const { dev: fast } = await developerWith(live);
    for (let i = 0; i < 40; i++) await write(slow);

    const { DeliveryWorker } = await import('../../../src/modules/messages/delivery.js');
    const worker = new DeliveryWorker(server.deps, { pollMs: 10 });
    worker.start();
    try {
      // The dead receiver's slots are full (4 attempts hanging for 400 ms each).
      await new Promise((resolve) => setTimeout(resolve, 50));
      const t0 = Date.now();
      for (let i = 0; i < 20; i++) await write(fast);
      while (live.got.length < 20 && Date.now() - t0 < 5000) await new Promise((resolve) => setTimeout(resolve, 5));
      const took = Date.now() - t0;
      expect(live.got).toHaveLength(20);
      // Well under one timeout of the dead receiver: its attempts never took the other's turn.
      expect(took).toBeLessThan(300);
      // The dead receiver never had more than its 4 slots at once.
      expect(dead.got.length).toBeLessThanOrEqual(4 * Math.ceil((Date.now() - t0 + 100) / 400) + 4);
    } finally {
      await worker.stop();
    }
    const timedOut = await server.deps.database.db
      .selectFrom('message_attempts')
      .selectAll()
      .where('develop_id', '=', slow.developId)
      .execute();
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut.every((a) => a.status === null && /no answer within 400 ms/.test(a.error ?? ''))).toBe(true);
  });

  it('refuses to send to an internal address when the operator does not allow them (0 requests reach it)', async () => {
    const strictClock = new ManualClock(Date.now());
    const strict = await startServer({ overrides: { clock: strictClock } });
    const internal = await listen();
    try {
      const dev = await strict.createDeveloper('Strict');
      // Saved when it was public, say; it now resolves inside (written directly: saving refuses it).
      const now = strictClock.now();
      await strict.deps.database.db
        .insertInto('callback_endpoints')
        .values({
          develop_id: dev.developId,
          url: internal.url,
          enabled: 1,
          secret_id: 'cbs_000000000000',
          secret_sealed: strict.deps.secrets.seal('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
          verified_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const id = await strict.deps.database.transaction((trx) =>
        insertMessage(trx, strict.deps, {
          developId: dev.developId,
          userId: dev.userId,
          platform: 0,
          type: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
          objectType: 'order',
          objectId: '1',
          version: 1,
          body: '{}',
        }),
      );
      expect(await strict.drainCallbacks()).toBe(1);
      expect(internal.got).toHaveLength(0);
      const [attempt] = await strict.deps.database.db
        .selectFrom('message_attempts')
        .selectAll()
        .where('message_id', '=', id)
        .execute();
      expect(attempt).toMatchObject({ status: null, outcome: 'retry' });
      expect(attempt?.error).toMatch(/private or reserved/);
    } finally {
      await strict.close();
    }
  });
});
