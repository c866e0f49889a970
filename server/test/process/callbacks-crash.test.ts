import fs from 'node:fs';
import path from 'node:path';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveredBody } from '../../src/modules/messages/wire.js';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../harness.js';
import { type ServerProcesses, spawnServers } from '../processes.js';
import { waitFor } from '../wait.js';
import { type CallbackReceiver, startReceiver } from './callback-receiver.js';

/**
 * W1 for callbacks (docs/adr/0013): three `ponte serve` processes with their workers on share one database while a
 * developer's Taobao orders are created through the API; a random process is killed (SIGKILL) at random moments,
 * 20 times or more, and started again, and a request it dropped is sent again to another process. The developer's
 * callback URL is a receiver in this test process, which checks every signature. At the end, with every process
 * up and nothing left to do, every message in the database must be delivered and must have reached the receiver
 * at least once, with its own body every time (a repeat carries the same `webhook-id` and body); the receiver must
 * have got nothing else, and each order's messages must have arrived in order (version N+1 only after N was
 * acknowledged).
 *
 * Each order makes three messages: its creation (written by the API), then the seller's price change and the close
 * of the unpaid order (the sandbox's sellers are told to do both within seconds; the workers take the marketplace's
 * events in and write the messages). Creating 10,000 orders does not fit in 90 s on a 2-core machine with
 * PostgreSQL (about 80 creates a second without kills, far fewer while the restarts take the CPU), so the API
 * creates ORDERS orders, a third of TARGET and 2 % more. The kills are spread over the production: it never gets more than
 * 1/(MIN_KILLS + 1) of the orders ahead of the kills. Three processes rather than two on SQLite too: a restart takes
 * 3 to 8 s here, and one process stays up while the others restart.
 *
 * A process killed in the middle of its work leaves leases behind: its callback attempts for CALLBACK_TIMEOUT_MS * 2
 * + 30 s, its outbox rows for 60 s, the marketplace's event dispatch for 30 s; the final wait covers them. Measured
 * on this 2-core machine: 10,200 to 10,500 messages through 20 to 25 kills, produced in 60-105 s on SQLite and
 * 100-125 s on PostgreSQL (the restarts set the pace: one takes 3 to 8 s under this load), then 30 to 65 s until
 * nothing is left to do; 1.7 to 3.5 minutes in all.
 *
 * It runs in the SQLite pass of `npm test` only: on PostgreSQL it takes 3 to 5 minutes of a 2-core machine, which
 * `npm test` cannot afford. The PostgreSQL pass covers delivery across processes with
 * callbacks-across-workers.test.ts (three workers with their own pools, SKIP LOCKED, an abandoned worker's leases);
 * this file runs on PostgreSQL when asked by name: `PONTE_TEST_DB=postgres PONTE_W1=1 npx vitest run <this file>`.
 */

const PROCESSES = 3;
const TARGET = 10_000;
/** Each order's messages: created, price changed by the seller, closed unpaid. */
const MESSAGES_PER_ORDER = 3;
const ORDERS = Math.ceil((TARGET * 1.02) / MESSAGES_PER_ORDER);
/**
 * Fewer messages than this fails the test even when the production ran out of time (a machine far slower than
 * expected), which then tested too little; once ORDERS orders are answered, TARGET messages are required.
 */
const MIN_MESSAGES = 8_000;
/** The longest the production may take. */
const PRODUCE_MS = 240_000;
const MIN_KILLS = 20;
/** Requests in flight from this test at once. */
const CONCURRENCY = 12;
/** Random pause before each kill. */
const KILL_PAUSE_MS: [number, number] = [200, 1_500];
const CALLBACK_TIMEOUT_MS = 1_000;
const CALLBACK_LEASE_MS = CALLBACK_TIMEOUT_MS * 2 + 30_000;
const OUTBOX_LEASE_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;

const RECEIVER = {
  name: 'Ponte 集运仓',
  mobile_phone: '13800000000',
  country: '中国',
  state: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
};

interface Answer<T = unknown> {
  code: number;
  text: string;
  data: T;
}

/** One server process of the test: its group (a restart is a group of its own) and its place in it. */
interface Slot {
  group: ServerProcesses;
  index: number;
  url: string;
  up: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = ([low, high]: [number, number]) => low + Math.floor(Math.random() * (high - low));

describe.skipIf(TEST_DB === 'postgres' && !process.env.PONTE_W1)(
  `callbacks while ${PROCESSES} processes are killed at random (${TEST_DB})`,
  () => {
    let db: TestDatabase;
    let database: Database;
    let receiver: CallbackReceiver;
    const env: Record<string, string> = {};
    const slots: Slot[] = [];
    const groups: ServerProcesses[] = [];
    let adminToken: string;
    let dev: { accessKey: string; accessSecret: string; userId: string };
    let skus: { itemId: string; skuId: string }[] = [];

    async function call<T>(
      base: string,
      method: string,
      route: string,
      init: { body?: unknown; admin?: boolean },
    ): Promise<Answer<T>> {
      const text = init.body === undefined ? undefined : JSON.stringify(init.body);
      const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
      if (init.admin) headers.authorization = `Bearer ${adminToken}`;
      else Object.assign(headers, signRequest({ method, url: route, body: text, ...dev }));
      const res = await fetch(`${base}${route}`, {
        method,
        body: text,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await res.text();
      const parsed = JSON.parse(body) as { code: number; data: T };
      return { code: parsed.code, text: body, data: parsed.data };
    }

    const live = () => slots.filter((s) => s.up);

    async function startSlot(): Promise<Slot> {
      const group = await spawnServers(1, env);
      groups.push(group);
      return { group, index: 0, url: group.urls[0] ?? '', up: true };
    }

    /** Reads the sandbox marketplace's store (the processes write it meanwhile). */
    function market<T>(query: string): T {
      const store = new Sqlite(path.join(db.dataDir, 'sandbox.db'), { readonly: true });
      try {
        return store.prepare(query).get() as T;
      } finally {
        store.close();
      }
    }

    beforeAll(async () => {
      db = await createTestDatabase();
      receiver = await startReceiver();
      Object.assign(env, db.env, {
        PONTE_WORKERS: 'true',
        CALLBACK_ALLOW_PRIVATE: 'true',
        CALLBACK_TIMEOUT_MS: String(CALLBACK_TIMEOUT_MS),
        SANDBOX_GOODS: '150',
        SANDBOX_SEED: '4',
        // A create whose process died is finished by a worker this long after it began.
        ORDER_SETTLE_DELAY_MS: '2000',
        UPSTREAM_TIMEOUT_MS: '1000',
        SHUTDOWN_TIMEOUT_MS: '5000',
      });
      const first = await spawnServers(PROCESSES, env);
      groups.push(first);
      first.urls.forEach((url, index) => {
        slots.push({ group: first, index, url, up: true });
      });
      adminToken = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
      database = openDatabase({
        databaseUrl: db.env.DATABASE_URL,
        sqliteFile: path.join(db.dataDir, 'ponte.db'),
        dbPoolSize: 2,
      });
      const base = slots[0]?.url ?? '';
      const created = await call<{ mainAccount: { userId: string }; key: { accessKey: string; accessSecret: string } }>(
        base,
        'POST',
        '/admin/developers',
        { admin: true, body: { name: 'Callbacks under kills' } },
      );
      expect(created.code, created.text).toBe(200);
      dev = {
        userId: created.data.mainAccount.userId,
        accessKey: created.data.key.accessKey,
        accessSecret: created.data.key.accessSecret,
      };
      const saved = await call<{ callbackSecret: string }>(base, 'POST', '/open/message/callback', {
        body: { callbackUrl: receiver.url('w1') },
      });
      expect(saved.code, saved.text).toBe(200);
      receiver.trust('w1', saved.data.callbackSecret);
      // Every seller changes the price of a new order after 5 s and closes it unpaid after 10 s (market time, which
      // runs with real time), and never ships: three messages per order.
      const policy = await call(base, 'PUT', '/sandbox/policy', {
        admin: true,
        body: {
          priceModifyRate: 1,
          priceModifyAfterMs: 5_000,
          unpaidCloseAfterMs: 10_000,
          shipAfterMs: 30 * 86_400_000,
        },
      });
      expect(policy.code, policy.text).toBe(200);
      const store = new Sqlite(path.join(db.dataDir, 'sandbox.db'), { readonly: true });
      try {
        skus = store
          .prepare(
            `select s.good_id as itemId, s.sku_id as skuId from skus s join goods g on g.platform = s.platform and g.id = s.good_id
           where s.platform = 'taobao' and s.stock >= 100 and g.status = 'active' order by g.idx limit 8`,
          )
          .all() as { itemId: string; skuId: string }[];
      } finally {
        store.close();
      }
      expect(skus.length).toBeGreaterThan(0);
      for (const sku of skus) {
        const stock = await call(base, 'PUT', `/sandbox/taobao/goods/${sku.itemId}/stock`, {
          admin: true,
          body: { stock: 1_000_000, skuId: sku.skuId },
        });
        expect(stock.code, stock.text).toBe(200);
      }
    }, 180_000);

    afterAll(async () => {
      for (const g of groups) await g.stop();
      await database?.close();
      await receiver?.close();
      await db?.drop();
    }, 120_000);

    it(`every message reaches the receiver at least once, the same each time, through ${MIN_KILLS}+ kills`, async () => {
      const t0 = Date.now();
      const answered = new Set<string>();
      let resent = 0;
      const errors = new Map<string, number>();
      let producing = true;
      let kills = 0;
      let lastKill = 0;

      // No more orders than this before the next kill, so that the kills are spread over the whole production.
      const allowance = () => Math.ceil((ORDERS * (kills + 1)) / (MIN_KILLS + 1));

      // Creates orders over the live processes until ORDERS are answered or the time is up; a request that fails (its
      // process was killed, or it answered something else) is sent again to another process.
      let next = 0;
      async function producer(): Promise<void> {
        while (producing && answered.size < ORDERS) {
          if (Date.now() - t0 > PRODUCE_MS) break;
          const up = live();
          const slot = up[next++ % Math.max(1, up.length)];
          if (!slot || answered.size >= allowance()) {
            await sleep(50);
            continue;
          }
          const sku = skus[next % skus.length];
          try {
            const r = await call<{ orderId: string }>(slot.url, 'POST', '/open/order', {
              body: { orderLineList: [{ itemId: sku?.itemId, skuId: sku?.skuId, quantity: 1 }], receiver: RECEIVER },
            });
            if (r.code !== 200) throw new Error(`code ${r.code}: ${r.text.slice(0, 200)}`);
            answered.add(r.data.orderId);
          } catch (err) {
            resent++;
            const key = (err as Error).message.slice(0, 80);
            errors.set(key, (errors.get(key) ?? 0) + 1);
            await sleep(20);
          }
        }
        producing = false;
      }

      // Kills a random process at random moments while another one is up, and starts it again in the background (the
      // next kill may come before it is ready).
      const restarts: Promise<void>[] = [];
      async function killer(): Promise<void> {
        while (producing) {
          await sleep(between(KILL_PAUSE_MS));
          const up = slots.flatMap((s, i) => (s.up ? [i] : []));
          if (!producing || up.length < 2) continue;
          const i = up[Math.floor(Math.random() * up.length)] ?? 0;
          const slot = slots[i];
          if (!slot) continue;
          slot.up = false;
          await slot.group.kill(slot.index, 'SIGKILL');
          kills++;
          lastKill = Date.now();
          restarts.push(
            startSlot().then((started) => {
              slots[i] = started;
            }),
          );
        }
        await Promise.all(restarts);
      }

      await Promise.all([killer(), ...Array.from({ length: CONCURRENCY }, producer)]);
      const produced = Date.now() - t0;
      expect(live()).toHaveLength(PROCESSES);

      // Then nothing is left to do: the marketplace has closed every order and handed over its events, the outbox is
      // empty, and every message is delivered. A killed process's leases end first.
      let state = {};
      const t1 = Date.now();
      await waitFor(
        async () => {
          const sandbox = market<{ open: number; events: number }>(
            `select (select count(*) from orders where status = 'wait_buyer_pay') as open,
                  (select count(*) from events where delivered_at is null) as events`,
          );
          const r = await sql<{ outbox: unknown; undelivered: unknown; messages: unknown }>`
          select (select count(*) from outbox where status = 'pending') as outbox,
                 (select count(*) from messages where delivery <> 'delivered') as undelivered,
                 (select count(*) from messages) as messages`.execute(database.db);
          const row = r.rows[0];
          state = {
            ...sandbox,
            outbox: Number(row?.outbox),
            undelivered: Number(row?.undelivered),
            messages: Number(row?.messages),
            received: receiver.receipts.size,
          };
          return (
            sandbox.open === 0 && sandbox.events === 0 && Number(row?.outbox) === 0 && Number(row?.undelivered) === 0
          );
        },
        {
          timeoutMs: Math.max(CALLBACK_LEASE_MS, OUTBOX_LEASE_MS) + 90_000,
          intervalMs: 250,
          message: () => `the processes to have nothing left to do: ${JSON.stringify(state)}`,
        },
      );
      const settled = Date.now() - t1;
      const afterKill = Date.now() - lastKill;

      const rows = await database.db
        .selectFrom('messages')
        .select(['id', 'message_type', 'message_platform', 'body', 'created_at', 'version', 'object_id', 'delivery'])
        .execute();
      const inDatabase = new Map(rows.map((r) => [r.id, r]));
      // Every message reached the receiver, each time with the body that is its own.
      expect(rows.filter((r) => r.delivery !== 'delivered').map((r) => r.id)).toEqual([]);
      expect(rows.filter((r) => !receiver.receipts.has(r.id)).map((r) => r.id)).toEqual([]);
      const differing = rows.filter((r) => {
        const got = receiver.receipts.get(r.id);
        return got?.bodies.size !== 1 || !got.bodies.has(deliveredBody(r));
      });
      expect(differing.map((r) => r.id)).toEqual([]);
      // The receiver got nothing that is not a message, and every request was signed with the developer's secret.
      expect([...receiver.receipts.keys()].filter((id) => !inDatabase.has(id))).toEqual([]);
      expect(receiver.problems).toEqual([]);
      expect([...receiver.overlapping]).toEqual([]);

      // In order per order: version N+1 arrived only after version N was acknowledged.
      const byOrder = new Map<string, { version: number; id: string }[]>();
      for (const r of rows) {
        byOrder.set(r.object_id, [...(byOrder.get(r.object_id) ?? []), { version: Number(r.version), id: r.id }]);
      }
      const early: string[] = [];
      for (const [orderId, versions] of byOrder) {
        versions.sort((a, b) => a.version - b.version);
        for (let i = 1; i < versions.length; i++) {
          const before = receiver.receipts.get(versions[i - 1]?.id ?? '');
          const after = receiver.receipts.get(versions[i]?.id ?? '');
          if (!before?.acked || !after || after.firstArrival < before.acked) early.push(orderId);
        }
      }
      expect(early).toEqual([]);

      // Every order the API answered has its creation message, and so has every order a worker finished creating.
      expect([...answered].filter((id) => !byOrder.has(id))).toEqual([]);
      const orphans = await sql<{ n: unknown }>`
      select count(*) as n from orders o where o.create_state = 'created'
        and not exists (select 1 from messages m where m.object_id = o.id)`.execute(database.db);
      expect(Number(orphans.rows[0]?.n)).toBe(0);

      const complete = [...byOrder.values()].filter((v) => v.length === MESSAGES_PER_ORDER).length;
      // Orders with fewer messages (a create cut short by a kill, which a worker finished after the marketplace's
      // events about it had come and gone), told for the record.
      const short = [...byOrder].filter(([, v]) => v.length < MESSAGES_PER_ORDER).map(([orderId]) => orderId);
      const shortOrders = short.length
        ? await database.db
            .selectFrom('orders')
            .select(['id', 'status', 'create_state', 'created_at', 'updated_at', 'version'])
            .where('id', 'in', short.slice(0, 5))
            .execute()
        : [];
      const repeats = [...receiver.receipts.values()].filter((r) => r.count > 1).length;
      const attempts = await sql<{ n: unknown; unanswered: unknown }>`
      select count(*) as n, sum(case when status is null then 1 else 0 end) as unanswered
      from message_attempts`.execute(database.db);
      console.info(
        `${TEST_DB}, ${PROCESSES} processes: ${rows.length} messages of ${byOrder.size} orders (${answered.size} answered, ` +
          `${complete} with all ${MESSAGES_PER_ORDER} messages) produced through ${kills} kills in ${produced} ms; ` +
          `${resent} requests sent again ${JSON.stringify(Object.fromEntries(errors))}; nothing left to do ` +
          `${settled} ms later (${afterKill} ms after the last kill); ${repeats} messages received more ` +
          `than once, ${receiver.requests()} requests received; ${Number(attempts.rows[0]?.n)} attempts recorded ` +
          `(${Number(attempts.rows[0]?.unanswered)} unanswered in time)` +
          (short.length
            ? `; ${short.length} orders with fewer messages, e.g. ${JSON.stringify(
                shortOrders.map((o) => ({ ...o, answered: answered.has(o.id) })),
              )}`
            : ''),
      );
      expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(rows.length).toBeGreaterThanOrEqual(answered.size >= ORDERS ? TARGET : MIN_MESSAGES);
    }, 480_000);
  },
);
