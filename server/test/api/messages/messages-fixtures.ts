import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { MODULES } from '../../../src/app.js';
import { messageRoutes } from '../../../src/modules/messages/routes/index.js';
import { ManualClock } from '../../../src/platform/clock.js';
import type { MessageDelivery, MessagesTable } from '../../../src/platform/db/schema.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { RECEIVER } from '../orders/taobao-fixtures.js';

/**
 * What the tests of the messages endpoints share: a server on a fake clock whose callback receivers may be loopback
 * HTTP servers (CALLBACK_ALLOW_PRIVATE), a developer with two sub-accounts and another developer, receivers, real
 * orders (each writes a `created` message), and messages written directly for volume and ordering cases.
 */

/** The app's modules with every route of the messages module. */
const modules = MODULES.map((m) => (m.name === 'messages' ? { ...m, routes: messageRoutes } : m));

export interface MessagesServer {
  server: TestServer;
  clock: ManualClock;
  /** The developer's main account, two of its sub-accounts, and another developer. */
  dev: Credentials;
  sub: Credentials;
  sibling: Credentials;
  other: Credentials;
  close(): Promise<void>;
}

export async function startMessagesServer(env: Record<string, string> = {}): Promise<MessagesServer> {
  // Real time at first; tests move it forward only.
  const clock = new ManualClock(Date.now());
  const server = await startServer({
    env: {
      CALLBACK_ALLOW_PRIVATE: 'true',
      CALLBACK_TIMEOUT_MS: '2000',
      SANDBOX_GOODS: '150',
      SANDBOX_SEED: '4',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
      ...env,
    },
    overrides: { clock },
    modules,
  });
  const dev = await server.createDeveloper('Messages');
  const other = await server.createDeveloper('Another developer');
  const subAccount = async (name: string): Promise<Credentials> => {
    const r = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name } });
    expect(r.body.code, r.text).toBe(200);
    return { ...dev, userId: r.body.data.userId };
  };
  const sub = await subAccount('Store 1');
  const sibling = await subAccount('Store 2');
  return { server, clock, dev, sub, sibling, other, close: () => server.close() };
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  /** Every POST received, verification included. */
  got: Received[];
  /** What it answers now: a status (with `ok` as the body), or `hang` (never). */
  answer: number | 'hang';
  /** The messages delivered (verification POSTs left out), as parsed bodies with their `webhook-id`. */
  deliveries(): { webhookId: string; messageId: string }[];
  close(): Promise<void>;
}

/** A callback receiver on loopback answering `answer` (which a test may change), keeping what it was sent. */
export async function receiver(answer: number | 'hang' = 200): Promise<Receiver> {
  const got: Received[] = [];
  const state = { answer };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (state.answer === 'hang') return;
      res.writeHead(state.answer, { 'content-type': 'text/plain' }).end(`answer ${state.answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    got,
    get answer() {
      return state.answer;
    },
    set answer(value) {
      state.answer = value;
    },
    deliveries: () =>
      got
        .map((g) => ({ g, m: JSON.parse(g.body) as { messageId: string; messageType: string } }))
        .filter(({ m }) => m.messageType !== 'CALLBACK_VERIFICATION')
        .map(({ g, m }) => ({ webhookId: String(g.headers['webhook-id']), messageId: m.messageId })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Saves `url` as the developer's callback URL (its receiver must answer the verification 2xx). */
export async function saveCallbackUrl(server: TestServer, dev: Credentials, url: string): Promise<void> {
  const r = await server.signed(dev, 'POST', '/open/message/callback', { body: { callbackUrl: url } });
  expect(r.body.code, r.text).toBe(200);
}

/**
 * Creates a Taobao order through the API as `who` (one unit of a distributable sandbox SKU), which writes its
 * `created` message; answers the order id.
 */
export async function createOrder(server: TestServer, who: Credentials): Promise<string> {
  const market = server.deps.sandbox;
  if (!market) throw new Error('the tests need the sandbox market');
  market.ensureSeeded();
  const sku = market.store.db
    .prepare(
      `select g.id as itemId, s.sku_id as skuId from goods g join skus s on s.platform = g.platform and s.good_id = g.id
       where g.platform = 'taobao' and g.status = 'active' and g.mp_id is not null and g.not_distributable_reason is null
       and g.min_order_quantity = 1 and s.mp_sku_id is not null and s.stock >= 50 order by g.idx limit 1`,
    )
    .get() as { itemId: string; skuId: string } | undefined;
  if (!sku) throw new Error('no distributable sandbox SKU');
  const r = await server.signed<{ orderId: string }>(who, 'POST', '/open/order', {
    body: {
      orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1, orderLineNo: '1' }],
      receiver: RECEIVER,
    },
  });
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.orderId;
}

export interface Row {
  developId: string;
  userId?: string | null;
  createdAt: number;
  id?: string;
  delivery?: MessageDelivery;
  type?: string;
  /** 0, 1, or -1 (the messages about the callback URL itself). */
  platform?: number;
  objectType?: MessagesTable['object_type'];
  objectId?: string;
  version?: number;
  body?: string;
  attempts?: number;
  nextAttemptAt?: number | null;
  deliveredAt?: number | null;
}

/** Writes messages straight into the table (volume and ordering cases); answers their ids in order. */
export async function insertMessages(server: TestServer, rows: Row[]): Promise<string[]> {
  const { ids, database } = server.deps;
  const values = rows.map((r, i) => {
    const delivery = r.delivery ?? 'held';
    return {
      id: r.id ?? ids.next(r.createdAt),
      develop_id: r.developId,
      user_id: r.userId ?? null,
      message_platform: r.platform ?? 0,
      message_type: r.type ?? 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
      object_type: r.objectType ?? 'order',
      object_id: r.objectId ?? `9${String(r.createdAt).slice(-9)}${i}`,
      version: r.version ?? 1,
      body: r.body ?? JSON.stringify({ n: i, note: '内容' }),
      created_at: r.createdAt,
      delivery,
      attempts: r.attempts ?? 0,
      round_attempts: r.attempts ?? 0,
      next_attempt_at: r.nextAttemptAt !== undefined ? r.nextAttemptAt : delivery === 'pending' ? r.createdAt : null,
      lease_owner: null,
      delivered_at: r.deliveredAt ?? null,
    };
  });
  for (let i = 0; i < values.length; i += 200) {
    await database.db
      .insertInto('messages')
      .values(values.slice(i, i + 200))
      .execute();
  }
  return values.map((v) => v.id);
}

/** A message as `/open/message/list` answers it. */
export interface Listed {
  messageId: string;
  messageType: string;
  messagePlatform: number | null;
  objectType: string;
  objectId: string;
  version: number;
  messageBody: unknown;
  timestamp: number;
  status: MessageDelivery;
  attemptCount: number;
  nextAttemptTime: number | null;
  deliveredTime: number | null;
}

export interface ListPage {
  total: number;
  pageNo: number;
  pageSize: number;
  messages: Listed[];
}

/** An attempt as `/open/message/attempts` answers it. */
export interface Attempt {
  attempt: number;
  attemptTime: number;
  url: string;
  httpStatus: number | null;
  durationMs: number;
  response: string | null;
  error: string | null;
  outcome: 'delivered' | 'retry' | 'failed' | 'gone';
}
