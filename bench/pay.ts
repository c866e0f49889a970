// P2: a signed, idempotent pay request (`POST /open/order/pay`: ledger debit, sandbox payment, outbox) against
// a bare Fastify route returning the same JSON, side by side (docs/adr/0011-orders-payments-ledger.md).
//
//   npm run bench:pay -- [--duration 10] [--warmup 3] [--connections 10] [--rounds 3] [--max-rate 3000] [--postgres]
//                        [--cpu-prof <dir>]
//
// Starts the Ponte server as `npm start` runs it (bench/ponte-server.ts: SQLite in a temp dir, or a throwaway
// PostgreSQL cluster with --postgres; the demo developer; ORDER_SETTLE_DELAY_MS left default), sets the sandbox's
// sellers to change no price and ship nothing during the run, and prepares unpaid Taobao orders of one line
// (quantity 1) through the API, round-robin over the 20 active SKUs with the most stock (stock raised first),
// 8 creations in flight, topping up the demo developer's balance by their totals. Every pay request pays its own
// order, once, with fresh signature headers and its own `Idempotency-Key`.
//
// How many orders: a pay request uses up an order, and creating one costs about as much as paying it, so the
// pool is sized from what the run needs rather than made huge. First `connections` × 100 orders; the pay
// warm-up (--warmup s, or fewer if it uses them all) measures the rate r. Then the measured rounds get
// min(--max-rate, 2 × r) × duration × rounds orders, plus 2 per connection and round: twice the warm-up rate
// at most, and never more than the upper bound --max-rate (3,000 req/s, twice the P2 goal). Each round may
// take its share; a round that uses it up before `duration` ends early, and its rate counts to its last answer.
//
// The bare server (bench/bare-server.ts) answers the body of the first pay to GET /open/order/pay: it has only
// GET routes, so its requests are GETs carrying the same signed JSON body (Fastify reads and ignores it). The
// load generator does the same work for both: a signature over a body naming an order, an `Idempotency-Key`,
// and parsing every answer. autocannon, in this process, loads each in turn with the same connections after a
// warm-up, alternating for --rounds rounds; each figure is the median of its rounds. Progress goes to stderr;
// stdout gets exactly one line:
//
//   pay: bare=<n> req/s pay=<m> req/s ratio=<m/n> p99 bare=<a> ms pay=<b> ms (goal >= 1500 req/s, p99 <= 25 ms) db=<db>
//
// Then it checks, through the operator API and the sandbox store, that the balance is what was topped up less
// the totals of the orders paid upstream. Exits non-zero when any request fails (transport error, non-2xx status,
// an envelope code other than 200) or the balance is not that.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import { positiveInt } from './args.js';
import {
  cpuMs,
  LOAD_FLAGS,
  type LoadOptions,
  loadSettings,
  log,
  type Measurement,
  measure,
  median,
  runBench,
  startBare,
  startPonte,
  startPostgres,
} from './load.js';
import type { DemoCredentials } from './ponte-server.js';

const { values: flags } = parseArgs({
  options: {
    ...LOAD_FLAGS,
    'max-rate': { type: 'string', default: '3000' },
    upstream: { type: 'string', default: 'sandbox' },
  },
});
const { duration, warmup, connections, rounds, db, serverNodeArgs } = loadSettings(flags);
const maxRate = positiveInt('max-rate', flags['max-rate']);
/** `sandbox`: the embedded sandbox market; `instant`: its sellers take payments in memory (bench/instant-upstream-server.ts). */
const upstream = flags.upstream;
if (upstream !== 'sandbox' && upstream !== 'instant') {
  process.stderr.write(`--upstream must be sandbox or instant, not ${upstream}\n`);
  process.exit(2);
}
if (upstream === 'instant' && flags.postgres) {
  process.stderr.write('--upstream instant runs on SQLite only (the balance check reads the database file)\n');
  process.exit(2);
}

const PAY_URL = '/open/order/pay';
const INSTANT_SERVER = path.join(import.meta.dirname, 'instant-upstream-server.ts');
const SKU_COUNT = 20;
const CREATE_IN_FLIGHT = 8;
const PROBE_ORDERS = connections * 100;
const HEADROOM = 2;
/** The largest top-up the operator API takes (1,000,000 CNY). */
const MAX_TOPUP_FEN = 100_000_000;
const RECEIVER = { name: 'W', mobile_phone: '13800000000', state: '广东省', city: '东莞市', address: '1 号' };

// ---- talking to the server ----------------------------------------------------------------------------

interface Api {
  baseUrl: string;
  creds: DemoCredentials;
  adminToken: string;
  /** The server's process id, for its CPU time. */
  pid: number | undefined;
}

interface Envelope<T> {
  code: number;
  data: T;
}

/** A request that must answer code 200: signed as the demo developer, or with the operator token. */
async function call<T>(
  api: Api,
  as: 'signed' | 'admin',
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ data: T; text: string }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const auth =
    as === 'admin'
      ? { authorization: `Bearer ${api.adminToken}` }
      : signRequest({ method, url, body: text, ...api.creds });
  const res = await fetch(api.baseUrl + url, {
    method,
    body: text,
    headers: { ...auth, ...headers, ...(text === undefined ? {} : { 'content-type': 'application/json' }) },
  });
  const answer = await res.text();
  const parsed = JSON.parse(answer) as Envelope<T>;
  if (res.status !== 200 || parsed.code !== 200) throw new Error(`${method} ${url}: HTTP ${res.status} ${answer}`);
  return { data: parsed.data, text: answer };
}

// ---- preparing orders -----------------------------------------------------------------------------------

interface Sku {
  itemId: string;
  skuId: string;
  stock: number;
}

/** Active Taobao SKUs with the most stock, from the sandbox store (read-only), bought one at a time. */
function pickSkus(dataDir: string): Sku[] {
  const store = new Sqlite(path.join(dataDir, 'sandbox.db'), { readonly: true });
  try {
    const rows = store
      .prepare(
        `select s.good_id as itemId, s.sku_id as skuId, s.stock as stock
         from skus s join goods g on g.platform = s.platform and g.id = s.good_id
         where s.platform = 'taobao' and g.status = 'active' and g.min_order_quantity <= 1
         order by s.stock desc limit ${SKU_COUNT}`,
      )
      .all() as Sku[];
    if (rows.length === 0) throw new Error('the sandbox catalog has no active Taobao SKU');
    return rows;
  } finally {
    store.close();
  }
}

/** Unpaid orders, each paid by one request; `take` hands out the next one. */
class OrderPool {
  readonly ids: string[] = [];
  private taken = 0;

  remaining(): number {
    return this.ids.length - this.taken;
  }

  /** The next order; past the end, an id that names no order, so that its request fails the run (40401). */
  take(): string {
    const id = this.ids[this.taken];
    if (id === undefined) return '0';
    this.taken++;
    return id;
  }
}

/** Creates `count` orders into the pool, several in flight, and tops the balance up by their totals. */
async function addOrders(api: Api, pool: OrderPool, skus: Sku[], count: number): Promise<number> {
  const started = Date.now();
  let next = 0;
  let totalFen = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const sku = skus[i % skus.length] as Sku;
      const { data } = await call<{ orderId: string; totalPrice: number }>(api, 'signed', 'POST', '/open/order', {
        orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1 }],
        receiver: RECEIVER,
      });
      pool.ids.push(data.orderId);
      totalFen += data.totalPrice;
      if ((i + 1) % 1000 === 0) log(`  ${i + 1} of ${count} orders created`);
    }
  };
  await Promise.all(Array.from({ length: CREATE_IN_FLIGHT }, worker));
  const seconds = (Date.now() - started) / 1000;
  log(`${count} orders created in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)}/s), ${totalFen} fen`);
  for (let left = totalFen, n = 1; left > 0; left -= MAX_TOPUP_FEN, n++) {
    const amount = Math.min(left, MAX_TOPUP_FEN);
    await call(api, 'admin', 'POST', `/admin/developers/${api.creds.developId}/topups`, {
      amount,
      reference: `bench-pay-${started}-${n}`,
    });
  }
  return totalFen;
}

// ---- load ---------------------------------------------------------------------------------------------

let requestCount = 0;

/** A load run of pay requests: to Ponte, each paying the next order of the pool; to the bare server, a GET
 *  of the same shape naming an order it does not use up. */
function payLoad(api: Api, pool: OrderPool, target: 'ponte' | 'bare', baseUrl: string, seconds: number) {
  const options: LoadOptions = {
    baseUrl,
    connections,
    seconds,
    checkEvery: 1,
    next: () => {
      const n = requestCount++;
      const orderId = target === 'ponte' ? pool.take() : (pool.ids[n % pool.ids.length] as string);
      const body = JSON.stringify({ orderId });
      const signature = signRequest({ method: 'POST', url: PAY_URL, body, ...api.creds });
      return {
        method: target === 'ponte' ? 'POST' : 'GET',
        path: PAY_URL,
        headers: { ...signature, 'content-type': 'application/json', 'idempotency-key': `bench-pay-${n}` },
        body,
      };
    },
  };
  return options;
}

/** A measured pay run with the server's CPU time per answer (from /proc; NaN where there is none). */
async function measurePay(api: Api, options: LoadOptions, warmUp = false) {
  const before = cpuMs(api.pid);
  const m = await measure('pay', options, warmUp);
  const cpu = ((cpuMs(api.pid) ?? Number.NaN) - (before ?? Number.NaN)) / m.result['2xx'];
  log(`pay: the server used ${cpu.toFixed(2)} ms of CPU per answer`);
  return { ...m, cpu };
}

/** Pay rounds share what is left of the pool; the bare rounds run for the duration. */
async function measureRound(api: Api, pool: OrderPool, bareUrl: string, roundsLeft: number) {
  const bare = await measure('bare', payLoad(api, pool, 'bare', bareUrl, duration));
  const share = Math.floor(pool.remaining() / roundsLeft);
  if (share < connections) throw new Error(`only ${pool.remaining()} orders left for ${roundsLeft} rounds`);
  const pay = await measurePay(api, {
    ...payLoad(api, pool, 'ponte', api.baseUrl, duration),
    maxRequests: share,
  });
  return { bare, pay };
}

// ---- the balance afterwards -----------------------------------------------------------------------------

/**
 * What the sandbox's sellers were paid: the orders paid upstream and their totals. The instant sellers keep
 * theirs in memory: then what Ponte's own database records as paid is checked against the balance.
 */
function paidUpstream(dataDir: string): { orders: number; fen: number } {
  const instant = upstream === 'instant';
  const store = new Sqlite(path.join(dataDir, instant ? 'ponte.db' : 'sandbox.db'), { readonly: true });
  try {
    return store
      .prepare(
        instant
          ? "select count(*) as orders, coalesce(sum(paid_fen), 0) as fen from orders where platform = 'taobao' and pay_state = 'paid'"
          : "select count(*) as orders, coalesce(sum(total_fen), 0) as fen from orders where platform = 'taobao' and paid_at is not null",
      )
      .get() as { orders: number; fen: number };
  } finally {
    store.close();
  }
}

/** The balance must be the top-ups less what was paid upstream; payments cut off at the end of a run
 *  may still be finishing, so it is read again for up to 10 s. */
async function verifyBalance(api: Api, dataDir: string, toppedUpFen: number, answered: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const paid = paidUpstream(dataDir);
    const url = `/admin/developers/${api.creds.developId}/balance`;
    const { data } = await call<{ balance: number }>(api, 'admin', 'GET', url);
    const expected = toppedUpFen - paid.fen;
    const line =
      `balance: topped up ${toppedUpFen} fen, ${paid.orders} orders paid upstream for ${paid.fen} fen ` +
      `(${answered} pay answers with code 200), expected ${expected} fen, operator API says ${data.balance} fen`;
    if (data.balance === expected && paid.orders >= answered) {
      log(`${line}: ok`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`${line}: wrong`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// ---- run ----------------------------------------------------------------------------------------------

const ok = (ms: Measurement[]) => ms.reduce((n, m) => n + (m.codes.get('200') ?? 0), 0);

/** The server, its sellers' policy, stock for the run, the first orders and the first pay (its answer). */
async function prepare(): Promise<{
  api: Api;
  dataDir: string;
  skus: Sku[];
  pool: OrderPool;
  toppedUp: number;
  first: string;
}> {
  const databaseUrl = flags.postgres ? await startPostgres() : undefined;
  log(`starting the Ponte server (${db})`);
  const ponte =
    upstream === 'instant'
      ? await startPonte(databaseUrl, ['--import', 'tsx', ...serverNodeArgs], INSTANT_SERVER)
      : await startPonte(databaseUrl, serverNodeArgs);
  const adminToken = fs.readFileSync(path.join(ponte.dataDir, 'admin-token'), 'utf8').trim();
  const api: Api = { baseUrl: ponte.baseUrl, creds: ponte.creds, adminToken, pid: ponte.pid };
  await call(api, 'admin', 'PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: 2_592_000_000 });
  const skus = pickSkus(ponte.dataDir);
  const stock = Math.ceil((PROBE_ORDERS + maxRate * duration * rounds) / skus.length) + 1000;
  for (const sku of skus.filter((s) => s.stock < stock)) {
    await call(api, 'admin', 'PUT', `/sandbox/taobao/goods/${sku.itemId}/stock`, { stock, skuId: sku.skuId });
  }
  const pool = new OrderPool();
  const toppedUp = await addOrders(api, pool, skus, PROBE_ORDERS + 1);
  // One pay first: it must succeed, and its body is what the bare route returns.
  const first = await call(api, 'signed', 'POST', PAY_URL, { orderId: pool.take() }, { 'idempotency-key': 'first' });
  return { api, dataDir: ponte.dataDir, skus, pool, toppedUp, first: first.text };
}

async function main(): Promise<void> {
  const { api, dataDir, skus, pool, first, ...rest } = await prepare();
  let toppedUp = rest.toppedUp;
  log('starting the bare Fastify server');
  const bareUrl = await startBare(PAY_URL, first);

  await measure('bare', payLoad(api, pool, 'bare', bareUrl, warmup), true);
  const probe = await measurePay(
    api,
    { ...payLoad(api, pool, 'ponte', api.baseUrl, warmup), maxRequests: pool.remaining() },
    true,
  );
  const rate = Math.min(maxRate, HEADROOM * probe.reqPerSec);
  const need = Math.ceil(rate * duration * rounds) + 2 * connections * rounds;
  log(`pool: ${need} orders for ${rounds} rounds of ${duration} s at up to ${rate.toFixed(0)} req/s`);
  if (pool.remaining() < need) toppedUp += await addOrders(api, pool, skus, need - pool.remaining());

  const bares: Measurement[] = [];
  const pays: Array<Measurement & { cpu: number }> = [];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r} of ${rounds}`);
    const round = await measureRound(api, pool, bareUrl, rounds - r + 1);
    bares.push(round.bare);
    pays.push(round.pay);
  }
  const bare = median(bares.map((m) => m.reqPerSec));
  const pay = median(pays.map((m) => m.reqPerSec));
  log(
    `rounds: pay ${pays.map((m) => m.reqPerSec.toFixed(0)).join(' ')} req/s, bare ` +
      `${bares.map((m) => m.reqPerSec.toFixed(0)).join(' ')} req/s; server CPU per pay ` +
      `${pays.map((m) => m.cpu.toFixed(2)).join(' ')} ms`,
  );
  process.stdout.write(
    `pay: bare=${bare.toFixed(0)} req/s pay=${pay.toFixed(0)} req/s ratio=${(pay / bare).toFixed(2)} ` +
      `p99 bare=${median(bares.map((m) => m.p99))} ms pay=${median(pays.map((m) => m.p99))} ms ` +
      `(goal >= 1500 req/s, p99 <= 25 ms) db=${db} upstream=${upstream}\n`,
  );
  await verifyBalance(api, dataDir, toppedUp, 1 + ok([probe, ...pays]));
}

await runBench('pay', main);
