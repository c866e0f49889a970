import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { US } from '../api/freight/freight-fixtures.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../harness.js';
import { type ServerProcesses, spawnServers } from '../processes.js';
import { waitFor } from '../wait.js';
import { type CallbackReceiver, startReceiver } from './callback-receiver.js';
import {
  acknowledgedEffects,
  callbacksDelivered,
  emptyJournal,
  ledgerBalanced,
  moneyAgreesUpstream,
  nothingLeftBehind,
  readMarket,
  workLeft,
} from './chaos-checks.js';
import { type ApiRequest, type Catalog, Client, type Developer, Workload } from './chaos-workload.js';

/**
 * Crash safety: three `ponte serve` processes with their background workers share one database while several
 * developers at once top up, create Taobao and 1688 orders, pay them from the balance, ask for refunds that the
 * sandbox's sellers agree to, and send goods through the warehouse into an international parcel (received,
 * inspected, previewed, booked, packed), every request spread over the live processes (chaos-workload.ts). Meanwhile
 * a live process is killed (SIGKILL) at random moments, MIN_KILLS times or more, never the last one up, and started
 * again; the victim is drawn among the processes serving a request of the workload at that moment, if any, so that
 * kills interrupt requests as well as background work. A request whose connection died is sent again to another
 * process with the same Idempotency-Key. Then, with every process up and nothing left to do, the database and the
 * sandbox market's store are read (chaos-checks.ts): every acknowledged request's effect is there once, the ledger
 * balances, each order's money agrees with what the marketplace was paid and gave back, no outbox row, create,
 * payment or upstream event is left behind, and every callback message reached the receiver, signed, with its own
 * body each time.
 *
 * Kills fall within the first KILL_MS of the workload (longer until MIN_KILLS, up to KILL_CAP_MS), and the workload
 * goes on TAIL_MS after the last one. What a killed process leaves behind waits for its leases: the Idempotency-Keys
 * of its requests in flight for IDEMPOTENCY_LOCK_MS (10 s here; their retries answer 40903 until then, and a flow
 * whose step waited a whole minute, the default, could make no progress before the workload ended), its outbox rows
 * for 60 s, its callback attempts for CALLBACK_TIMEOUT_MS * 2 + 30 s and the marketplace's event dispatch for 30 s, so
 * the end comes up to a minute after the last kill. A restart takes about 4 s of CPU (`ponte serve`
 * compiling its schemas; the database is migrated already), which sets the pace of the kills: two can be down at
 * once.
 *
 * Measured on this 2-core machine with other work beside it (load average 2 to 5): SQLite, setup 10-20 s, 8 or 9
 * kills (restarts 5-17 s), the last at 25-45 s, the workload's last request answered at 44-64 s, nothing left to do
 * 0-18 s later, 60-95 s for the file; PostgreSQL, setup 15 s, 8 kills (restarts 8-18 s), the last at about 43 s,
 * the last answer at 83-101 s, 100-120 s for the file. Each run acknowledges some 30-130 orders, 15-50 refunds and
 * 8-45 parcels, with 10-25 requests cut off by a kill. On a machine busy with far more (load average 10 to 19),
 * restarts took 20-50 s and only 4 to 6 kills fitted in 90 s: the test then failed on the count of kills, hence
 * MIN_KILLS of 6 within KILL_CAP_MS of 120 s (restarts now skip `ponte migrate`).
 */

const PROCESSES = 3;
const DEVELOPERS = 3;
/** Flows in flight per developer. */
const WORKERS = 2;
const MIN_KILLS = 6;
const KILL_MS = 25_000;
/** Kills stop here even short of MIN_KILLS (which the test then reports). */
const KILL_CAP_MS = 120_000;
const TAIL_MS = 5_000;
/** After the tail, the workload goes on at most this long until every kind of flow was acknowledged once. */
const PROGRESS_CAP_MS = 60_000;
/** Random pause before each kill. */
const KILL_PAUSE_MS: [number, number] = [500, 2_000];
/** How long requests are sent again after the workload ended: an Idempotency-Key held by a killed request frees in 60 s. */
const RETRY_MS = 75_000;
const SETTLE_MS = 90_000;
const CALLBACK_TIMEOUT_MS = 5_000;
const TOP_UP = 100_000_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = ([low, high]: [number, number]) => low + Math.floor(Math.random() * (high - low));

/** One process of the test: the group it was started in (a restart is a group of its own). */
interface Slot {
  group: ServerProcesses;
  url: string;
  up: boolean;
}

/** The three processes: which are up, killing one, starting it again, and what they all wrote to stderr. */
class Cluster {
  readonly slots: Slot[] = [];
  private readonly groups: ServerProcesses[] = [];
  private readonly restarts: Promise<void>[] = [];
  kills = 0;
  lastKill = 0;
  /** How long each restart took, until ready. */
  readonly restartMs: number[] = [];

  constructor(private readonly env: Record<string, string>) {}

  live = (): string[] => this.slots.filter((s) => s.up).map((s) => s.url);

  async start(n: number): Promise<void> {
    const group = await spawnServers(n, this.env);
    this.groups.push(group);
    for (const url of group.urls) this.slots.push({ group, url, up: true });
  }

  /**
   * Kills a random process while another is up, preferring one that has requests of the workload in flight (a kill
   * between requests interrupts only background work), and starts it again in the background.
   */
  async killOne(inFlight: (url: string) => number): Promise<boolean> {
    const up = this.slots.filter((s) => s.up);
    const busy = up.filter((s) => inFlight(s.url) > 0);
    const among = busy.length > 0 ? busy : up;
    const slot = among[Math.floor(Math.random() * among.length)];
    if (!slot || up.length < 2) return false;
    slot.up = false;
    await slot.group.kill(slot.group.urls.indexOf(slot.url), 'SIGKILL');
    this.kills++;
    this.lastKill = Date.now();
    const at = this.slots.indexOf(slot);
    const started = Date.now();
    this.restarts.push(
      // The database is migrated: the restart goes straight to `ponte serve`.
      spawnServers(1, this.env, { migrate: false }).then((group) => {
        this.restartMs.push(Date.now() - started);
        this.groups.push(group);
        this.slots[at] = { group, url: group.urls[0] ?? '', up: true };
      }),
    );
    return true;
  }

  async restarted(): Promise<void> {
    await Promise.all(this.restarts);
  }

  /** The end of each process's stderr, killed ones included. */
  stderr(): string {
    return (
      this.groups
        .flatMap((g) => g.urls.map((url, i) => ({ url, text: g.stderr(i).trim() })))
        .filter((p) => p.text)
        .map((p) => `--- ${p.url}\n${p.text.slice(-1_500)}`)
        .join('\n') || '(nothing)'
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.restarts);
    for (const g of this.groups) await g.stop();
  }
}

describe(`crash safety: a mixed workload while ${PROCESSES} processes are killed at random (${TEST_DB})`, () => {
  let db: TestDatabase;
  let database: Database;
  let receiver: CallbackReceiver;
  let cluster: Cluster;
  let client: Client;
  let workload: Workload;
  const journal = emptyJournal();
  const developers: Developer[] = [];
  const catalog: Catalog = { taobao: [], freight: [], alibaba: [] };
  let open = true;
  let giveUpAt = Number.POSITIVE_INFINITY;
  let setupMs = 0;
  const sandboxFile = () => path.join(db.dataDir, 'sandbox.db');

  /** An operator or developer request that must succeed (the setup runs before any kill). */
  async function must<T>(what: string, r: Omit<ApiRequest, 'what'>): Promise<T> {
    const a = await client.send<T>({ ...r, what });
    if (a?.code !== 200) throw new Error(`${what}: ${a?.text}`);
    return a.data;
  }

  async function createDeveloper(i: number): Promise<Developer> {
    const created = await must<{
      developer: { developId: string };
      mainAccount: { userId: string };
      key: { accessKey: string; accessSecret: string };
    }>('create a developer', { method: 'POST', path: '/admin/developers', body: { name: `Chaos reseller ${i}` } });
    const dev = {
      developId: created.developer.developId,
      userId: created.mainAccount.userId,
      ...created.key,
    };
    const saved = await must<{ callbackSecret: string }>('save a callback URL', {
      as: dev,
      method: 'POST',
      path: '/open/message/callback',
      body: { callbackUrl: receiver.url(`d${i}`) },
    });
    receiver.trust(`d${i}`, saved.callbackSecret);
    if (!(await workload.topUp(dev, TOP_UP))) throw new Error(`top-up: ${journal.refused.join('\n')}`);
    return dev;
  }

  /** Goods with plenty of stock: Taobao SKUs (those the express line carries for freight) and 1688 offers. */
  async function chooseGoods(dev: Developer): Promise<void> {
    const chosen = readMarket<{ platform: string; productId: string; skuId: string; quantity: number }>(
      sandboxFile(),
      `select * from (select g.platform, g.id as productId, min(s.sku_id) as skuId, g.min_order_quantity as quantity
         from goods g join skus s on s.platform = g.platform and s.good_id = g.id
        where g.platform = 'taobao' and g.status = 'active' and g.min_order_quantity = 1 and g.mp_id is not null
        group by g.platform, g.id order by g.idx limit 10)
       union all
       select * from (select g.platform, g.id, min(s.sku_id), g.min_order_quantity
         from goods g join skus s on s.platform = g.platform and s.good_id = g.id
        where g.platform = '1688' and g.status = 'active'
        group by g.platform, g.id order by g.idx limit 6)`,
    );
    for (const g of chosen) {
      await must(`stock of ${g.platform} ${g.productId}`, {
        method: 'PUT',
        path: `/sandbox/${g.platform}/goods/${g.productId}/stock`,
        body: { stock: 1_000_000 },
      });
      if (g.platform === 'taobao') catalog.taobao.push({ itemId: g.productId, skuId: g.skuId });
      else catalog.alibaba.push({ offerId: g.productId, specId: g.skuId, quantity: g.quantity });
    }
    const preview = await must<{ renderItems: { itemId: string; skuId: string; available: boolean }[] }>(
      'preview the freight of the Taobao goods',
      {
        as: dev,
        method: 'POST',
        path: '/open/pp/logistics/orderRenderFreight',
        body: {
          receiverAddress: US,
          renderItems: catalog.taobao.map((s) => ({
            ...s,
            quantity: 1,
            freightInfo: { serviceId: '1', companyName: '', serviceCategory: '' },
          })),
        },
      },
    );
    catalog.freight = preview.renderItems.filter((l) => l.available).map(({ itemId, skuId }) => ({ itemId, skuId }));
    expect(catalog.freight.length, JSON.stringify(preview)).toBeGreaterThan(0);
    expect(catalog.alibaba.length).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    const started = Date.now();
    db = await createTestDatabase();
    receiver = await startReceiver();
    cluster = new Cluster({
      ...db.env,
      PONTE_WORKERS: 'true',
      CALLBACK_ALLOW_PRIVATE: 'true',
      CALLBACK_TIMEOUT_MS: String(CALLBACK_TIMEOUT_MS),
      SANDBOX_GOODS: '150',
      SANDBOX_SEED: '4',
      // A payment or create whose process died is settled by a worker this long after it began.
      ORDER_SETTLE_DELAY_MS: '2000',
      UPSTREAM_TIMEOUT_MS: '2000',
      // A killed request's Idempotency-Key is taken over by its retry this long after it began.
      IDEMPOTENCY_LOCK_MS: '10000',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    await cluster.start(PROCESSES);
    const adminToken = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
    database = openDatabase({
      databaseUrl: db.env.DATABASE_URL,
      sqliteFile: path.join(db.dataDir, 'ponte.db'),
      dbPoolSize: 2,
    });
    client = new Client(cluster.live, adminToken, () => giveUpAt, journal);
    workload = new Workload(client, journal, catalog, () => open);
    const days = 30 * 86_400_000;
    // Sellers act only when told (ship, agree), and never change a price or close an unpaid order meanwhile.
    await must('the sellers’ policy', {
      method: 'PUT',
      path: '/sandbox/policy',
      body: {
        priceModifyRate: 0,
        shipAfterMs: days,
        unpaidCloseAfterMs: days,
        refundDecision: 'agree',
        refundDecisionAfterMs: days,
      },
    });
    developers.push(...(await Promise.all(Array.from({ length: DEVELOPERS }, (_, i) => createDeveloper(i)))));
    await chooseGoods(developers[0] as Developer);
    setupMs = Date.now() - started;
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await database?.close();
    await receiver?.close();
    await db?.drop();
  }, 120_000);

  /**
   * Kills at random while the kill window lasts (longer until MIN_KILLS), each time once two processes are up and a
   * random pause has passed; then lets the workload run TAIL_MS more.
   */
  async function killer(t0: number): Promise<void> {
    const done = () => Date.now() - t0 > KILL_CAP_MS || (Date.now() - t0 > KILL_MS && cluster.kills >= MIN_KILLS);
    while (!done()) {
      await waitFor(() => cluster.live().length >= 2 || done(), {
        timeoutMs: KILL_CAP_MS,
        intervalMs: 100,
        message: 'a second process up',
      });
      await sleep(between(KILL_PAUSE_MS));
      // The moment a request is in flight, if one comes soon.
      const busy = () => cluster.live().some((url) => client.inFlight(url) > 0);
      await waitFor(busy, { timeoutMs: 1_000, intervalMs: 5 }).catch(() => undefined);
      if (!done()) await cluster.killOne((url) => client.inFlight(url));
    }
    await sleep(TAIL_MS);
    // Then on until every kind of flow was acknowledged once (within PROGRESS_CAP_MS): on a busy machine the restarts
    // can leave the longest flow, a parcel's, short of its end when the kills stop.
    await waitFor(() => Object.values(acknowledged()).every((n) => n > 0), {
      timeoutMs: PROGRESS_CAP_MS,
      intervalMs: 200,
      message: 'every kind of flow acknowledged once',
    }).catch(() => undefined);
    open = false;
    giveUpAt = Date.now() + RETRY_MS;
  }

  /** Waits until the processes have nothing left to do; false when they still had after SETTLE_MS. */
  async function settled(): Promise<{ quiet: boolean; left: Record<string, number> }> {
    let left: Record<string, number> = {};
    const quiet = await waitFor(
      async () => {
        left = await workLeft(database.db, sandboxFile());
        return Object.values(left).every((v) => v === 0);
      },
      { timeoutMs: SETTLE_MS, intervalMs: 500 },
    ).catch(() => false);
    return { quiet, left };
  }

  /** What was acknowledged, by kind. */
  const acknowledged = () => ({
    topups: journal.topups.filter((t) => t.topupId).length,
    orders: journal.orders.filter((o) => o.orderId).length,
    paid: journal.orders.filter((o) => o.paid).length,
    refunds: journal.refunds.length,
    agreed: journal.refunds.filter((r) => r.agreed).length,
    stored: journal.parcels.filter((p) => p.stored).length,
    booked: journal.parcels.filter((p) => p.parcelId).length,
    packed: journal.parcels.filter((p) => p.packed).length,
  });

  it(`loses nothing acknowledged through ${MIN_KILLS}+ kills`, async () => {
    const t0 = Date.now();
    await Promise.all([
      killer(t0),
      ...developers.flatMap((dev) => Array.from({ length: WORKERS }, () => workload.worker(dev))),
    ]);
    const worked = Date.now() - t0;
    await cluster.restarted();
    expect(cluster.live()).toHaveLength(PROCESSES);
    const t1 = Date.now();
    const { quiet, left } = await settled();
    const quietMs = Date.now() - t1;

    const problems = [
      ...(quiet ? [] : [`the processes still had work ${SETTLE_MS} ms after the workload: ${JSON.stringify(left)}`]),
      ...(await acknowledgedEffects(database.db, journal)),
      ...(await ledgerBalanced(database.db)),
      ...(await moneyAgreesUpstream(database.db, sandboxFile())),
      ...(await nothingLeftBehind(database.db, Date.now())),
      ...(await callbacksDelivered(database.db, receiver)),
      ...journal.refused.map((r) => `refused: ${r}`),
      ...journal.unanswered.map((r) => `never answered: ${r}`),
    ];
    const acked = acknowledged();
    const { stats } = client;
    const summary =
      `${TEST_DB}: set up in ${setupMs} ms; ${cluster.kills} kills, the last at ${cluster.lastKill - t0} ms (restarts ` +
      `took ${Math.min(...cluster.restartMs)}-${Math.max(...cluster.restartMs)} ms); workload ended at ${worked} ms, ` +
      `nothing left to do ${quietMs} ms later; acknowledged ${JSON.stringify(acked)}; ${stats.attempts} requests ` +
      `sent, ${stats.lost} lost with their process, ${stats.busy} answered 40903, 5xx ` +
      `${JSON.stringify(Object.fromEntries(stats.failed))}; ${receiver.requests()} callbacks received for ` +
      `${receiver.receipts.size} messages`;
    console.info(summary);
    expect(problems, `${summary}\n\nThe processes' stderr:\n${cluster.stderr()}`).toEqual([]);
    // Fewer kills: the restarts were too slow for KILL_CAP_MS (a machine far busier than this test expects).
    expect(cluster.kills, summary).toBeGreaterThanOrEqual(MIN_KILLS);
    for (const [what, count] of Object.entries(acked)) {
      expect(count, `${what} acknowledged: ${summary}`).toBeGreaterThan(0);
    }
  }, 300_000);
});
