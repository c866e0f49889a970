import fs from 'node:fs';
import path from 'node:path';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { type Credentials, createTestDatabase, TEST_DB, type TestDatabase } from '../harness.js';
import { expectLedgerBalanced } from '../ledger.js';
import { type ServerProcesses, spawnServers } from '../processes.js';
import { waitFor } from '../wait.js';

/**
 * L1 and I4 across real processes (docs/adr/0011-orders-payments-ledger.md): payments of many orders
 * against one balance spread over several `ponte serve` processes on one database (4 on SQLite, 3 on
 * PostgreSQL), and a process killed (SIGKILL) between the debit and the marketplace's answer, whose
 * payment a worker process settles after a restart.
 */
const PROCESSES = TEST_DB === 'sqlite' ? 4 : 3;
const ORDERS = 50;
const COVERED = 17;

interface Answer<T = unknown> {
  code: number;
  text: string;
  data: T;
}

async function call<T>(url: string, init: RequestInit = {}): Promise<Answer<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  const body = JSON.parse(text) as { code: number; data: T };
  return { code: body.code, text, data: body.data };
}

describe(`payments across ${PROCESSES} processes (${TEST_DB})`, () => {
  let db: TestDatabase;
  let servers: ServerProcesses | undefined;
  let workers: ServerProcesses | undefined;
  let database: Database;
  let adminToken: string;
  let dev: Credentials;
  let sku: { itemId: string; skuId: string };
  const env: Record<string, string> = {};

  const url = (i: number) => servers?.urls[i % PROCESSES] ?? '';
  const admin = <T>(i: number, method: string, route: string, body?: unknown) =>
    call<T>(`${url(i)}${route}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  const signed = <T>(base: string, method: string, route: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = signRequest({ method, url: route, body: text, ...dev });
    return call<T>(`${base}${route}`, {
      method,
      body: text,
      headers: { ...headers, ...(text === undefined ? {} : { 'content-type': 'application/json' }) },
    });
  };
  const sandboxDb = () => new Sqlite(path.join(db.dataDir, 'sandbox.db'), { readonly: true });
  const upstreamStatus = (upstreamId: string) => {
    const s = sandboxDb();
    try {
      return (s.prepare('select status from orders where order_id = ?').get(upstreamId) as { status: string }).status;
    } finally {
      s.close();
    }
  };
  const payState = async (orderId: string) =>
    (await database.db.selectFrom('orders').select('pay_state').where('id', '=', orderId).executeTakeFirstOrThrow())
      .pay_state;

  async function createOrder(i: number): Promise<{ orderId: string; totalPrice: number; upstreamId: string }> {
    const r = await signed<{
      orderId: string;
      totalPrice: number;
      subPurchaseOrders: { purchaseOrderOuterId: string }[];
    }>(url(i), 'POST', '/open/order', {
      orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1 }],
      receiver: { name: 'Warehouse', mobile_phone: '13800000000', state: '广东省', city: '东莞市', address: '1 号' },
    });
    expect(r.code, r.text).toBe(200);
    return { ...r.data, upstreamId: r.data.subPurchaseOrders[0]?.purchaseOrderOuterId ?? '' };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    Object.assign(env, db.env, { SANDBOX_GOODS: '150', SANDBOX_SEED: '4', ORDER_SETTLE_DELAY_MS: '1000' });
    servers = await spawnServers(PROCESSES, env);
    adminToken = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
    database = openDatabase({
      databaseUrl: db.env.DATABASE_URL,
      sqliteFile: path.join(db.dataDir, 'ponte.db'),
      dbPoolSize: 2,
    });
    const created = await admin<{ mainAccount: { userId: string }; key: { accessKey: string; accessSecret: string } }>(
      0,
      'POST',
      '/admin/developers',
      { name: 'Payments across processes' },
    );
    expect(created.code, created.text).toBe(200);
    dev = {
      developId: '',
      userId: created.data.mainAccount.userId,
      accessKey: created.data.key.accessKey,
      accessSecret: created.data.key.accessSecret,
    };
    const policy = await admin(0, 'PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: 30 * 86_400_000 });
    expect(policy.code, policy.text).toBe(200);
    const s = sandboxDb();
    sku = s
      .prepare(
        `select s.good_id as itemId, s.sku_id as skuId from skus s join goods g on g.platform = s.platform and g.id = s.good_id
         where s.platform = 'taobao' and s.stock >= 200 and g.status = 'active' order by g.idx limit 1`,
      )
      .get() as { itemId: string; skuId: string };
    s.close();
  }, 180_000);

  afterAll(async () => {
    await workers?.stop();
    await servers?.stop();
    await database?.close();
    await db?.drop();
  });

  const developId = async () =>
    (
      await database.db
        .selectFrom('sub_accounts')
        .select('develop_id')
        .where('user_id', '=', dev.userId)
        .executeTakeFirstOrThrow()
    ).develop_id;
  const balance = async () => (await signed<{ balance: number }>(url(0), 'GET', '/open/account/balance')).data.balance;

  it(`${ORDERS} concurrent payments spread over the processes pay exactly what the balance covers`, async () => {
    const orders = [];
    for (let i = 0; i < ORDERS; i++) orders.push(await createOrder(i));
    const price = orders[0]?.totalPrice ?? 0;
    const top = await admin(1, 'POST', `/admin/developers/${await developId()}/topups`, {
      amount: COVERED * price + Math.floor(price / 2),
      reference: 'L1',
    });
    expect(top.code, top.text).toBe(200);
    const replies = await Promise.all(
      orders.map((o, i) => signed(url(i), 'POST', '/open/order/pay', { orderId: o.orderId })),
    );
    const codes = replies.map((r) => r.code);
    expect(codes.filter((c) => c === 200)).toHaveLength(COVERED);
    expect(codes.filter((c) => c === 42201)).toHaveLength(ORDERS - COVERED);
    expect(await balance()).toBe(Math.floor(price / 2));
    const paidUpstream = orders.filter((o) => upstreamStatus(o.upstreamId) === 'wait_seller_send');
    expect(paidUpstream.map((o) => o.orderId).sort()).toEqual(
      orders
        .filter((_, i) => codes[i] === 200)
        .map((o) => o.orderId)
        .sort(),
    );
    await expectLedgerBalanced(database.db);
  }, 240_000);

  it('a process killed between the debit and the payment: a worker pays it after the restart, once', async () => {
    const order = await createOrder(0);
    const top = await admin(0, 'POST', `/admin/developers/${await developId()}/topups`, {
      amount: order.totalPrice,
      reference: 'I4',
    });
    expect(top.code, top.text).toBe(200);
    const before = await balance();
    // The marketplace takes 5 s to answer: long enough to kill the process while it waits.
    const slow = await admin(1, 'PUT', '/sandbox/faults/payOrder', { latencyMs: 5_000 });
    expect(slow.code, slow.text).toBe(200);
    const last = PROCESSES - 1;
    const pending = signed(url(last), 'POST', '/open/order/pay', { orderId: order.orderId }).catch(() => null);
    await waitFor(async () => (await payState(order.orderId)) === 'paying', { timeoutMs: 10_000 });
    await servers?.kill(last);
    expect(await pending).toBeNull();
    expect(await balance()).toBe(before - order.totalPrice);
    expect(upstreamStatus(order.upstreamId)).toBe('wait_buyer_pay');

    const fast = await admin(0, 'DELETE', '/sandbox/faults/payOrder');
    expect(fast.code, fast.text).toBe(200);
    // A process with the background workers: the payment's settle job is due one second after the debit.
    workers = await spawnServers(1, { ...env, PONTE_WORKERS: 'true' });
    await waitFor(async () => (await payState(order.orderId)) === 'paid', { timeoutMs: 30_000 });
    expect(upstreamStatus(order.upstreamId)).toBe('wait_seller_send');
    expect(await balance()).toBe(before - order.totalPrice);
    await expectLedgerBalanced(database.db);
  }, 120_000);
});
