// A soak: a mixed workload at a fixed rate for many minutes on several processes with the background workers on,
// watching for errors, latency and memory that grow with time.
//
//   npm run bench:soak -- [--minutes 10] [--rate 100] [--processes 2] [--warmup 60] [--postgres]
//
// Starts the Ponte server (bench/ponte-server.ts: SQLite in a temp dir, or a throwaway PostgreSQL cluster with
// --postgres) with `PONTE_PROCESSES=--processes`, its background workers (outbox, callback delivery, the sandbox's
// sellers) and `CALLBACK_ALLOW_PRIVATE=true`. Sets the demo developer's callback URL to a receiver in this process
// (which checks every delivery's signature with @ponte/sdk/callbacks), tells the sandbox's sellers to keep prices,
// ship nothing and agree to every refund after 10 s, raises the stock of 20 SKUs, places one order of each to
// learn their totals, and tops the balance up for every order the run will place.
//
// Then sends --rate requests a second on a fixed schedule (not waiting for answers) as the demo developer, each
// signed afresh, in a cycle of 20: 7 goods details, 4 keyword searches and a balance (reads), 3 order creations
// (orders), 3 payments of orders created before (pays), and a refund render and submit of one order in three
// paid (refunds); the mutations send an `Idempotency-Key`. A payment, render or submit with nothing to work on yet
// sends a goods details instead. Every minute progress goes to stderr. The resident memory (VmRSS) of each of the
// server's processes (the one started and its children) is read from /proc after the warm-up (--warmup s, at
// most half the run) and when the load ends. Once the load ends and the last refunds have been decided, it waits
// until the receiver has every message the server wrote (up to 2 minutes). stdout gets exactly one line:
//
//   soak: <minutes> min rate=<r>/s throughput=<t> req/s errors=<n> p99 reads=<a> ms orders=<b> ms pays=<c> ms
//         refunds=<d> ms rss=<pid>:<start MB>-><end MB>(+<x>%),... callbacks=<delivered>/<produced>
//
// Exits non-zero when a request failed (transport error, timeout, non-200 status or envelope code, or the schedule
// running 1,000 requests behind), a callback failed its signature check, or a message was not delivered.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyCallback } from '@ponte/sdk/callbacks';
import Sqlite from 'better-sqlite3';
import { positiveInt } from './args.js';
import {
  apiCall,
  authHeaders,
  type Caller,
  log,
  onCleanup,
  rssMb,
  runBench,
  type StartedPonte,
  serverCpuMs,
  serverPids,
  startPonteWith,
  startPostgres,
} from './load.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    processes: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '60' },
    postgres: { type: 'boolean', default: false },
  },
});
const minutes = positiveInt('minutes', flags.minutes);
const rate = positiveInt('rate', flags.rate);
const processes = positiveInt('processes', flags.processes);
const runMs = minutes * 60_000;
const warmupMs = Math.min(positiveInt('warmup', flags.warmup) * 1000, runMs / 2);

const REFUND_DECISION_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_IN_FLIGHT = 1000;
const SKU_COUNT = 20;
const DETAIL_ITEMS = 50;
/** The largest top-up the operator API takes (1,000,000 CNY). */
const MAX_TOPUP_FEN = 100_000_000;
const RECEIVER = { name: 'W', mobile_phone: '13800000000', state: '广东省', city: '东莞市', address: '1 号' };

type Slot = 'detail' | 'search' | 'balance' | 'order' | 'pay' | 'render' | 'submit';
type Category = 'reads' | 'orders' | 'pays' | 'refunds';
const CATEGORY: Record<Slot, Category> = {
  detail: 'reads',
  search: 'reads',
  balance: 'reads',
  order: 'orders',
  pay: 'pays',
  render: 'refunds',
  submit: 'refunds',
};
/** 20 requests: 7 details, 4 searches, 1 balance, 3 orders, 3 pays, a render and a submit, mixed. */
const CYCLE: Slot[] = [
  ...['detail', 'order', 'search', 'detail', 'pay', 'balance', 'detail', 'render', 'search', 'order'],
  ...['detail', 'pay', 'detail', 'search', 'submit', 'detail', 'order', 'pay', 'search', 'detail'],
] as Slot[];
/** Orders placed per request sent. */
const ORDER_SHARE = CYCLE.filter((s) => s === 'order').length / CYCLE.length;

// ---- the callback receiver ------------------------------------------------------------------------------

/** Counts the distinct messages delivered to it, each checked against the callback secret once it is known. */
class Receiver {
  readonly ids = new Set<string>();
  posts = 0;
  invalid = 0;
  firstProblem: string | undefined;
  secret: string | undefined;
  private constructor(readonly url: string) {}

  static async start(): Promise<Receiver> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const receiver = new Receiver(`http://127.0.0.1:${port}/callbacks`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => receiver.handle(req, res));
    onCleanup(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return receiver;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The POST that verifies the URL comes before its save answers the secret: it is only acknowledged.
      if (this.secret === undefined) return void res.writeHead(204).end();
      this.posts++;
      try {
        const { id } = verifyCallback(req.headers, Buffer.concat(chunks), this.secret);
        this.ids.add(id);
        res.writeHead(204).end();
      } catch (err) {
        this.invalid++;
        this.firstProblem ??= (err as Error).message;
        res.writeHead(400).end();
      }
    });
  }
}

// ---- the catalog ------------------------------------------------------------------------------------------

interface Catalog {
  skus: Array<{ itemId: string; skuId: string }>;
  items: string[];
  keywords: string[];
}

/** What to read and buy, from the sandbox store (read-only): SKUs with the most stock, goods, title words. */
function readCatalog(dataDir: string): Catalog {
  const store = new Sqlite(path.join(dataDir, 'sandbox.db'), { readonly: true });
  try {
    const skus = store
      .prepare(
        `select s.good_id as itemId, s.sku_id as skuId from skus s
         join goods g on g.platform = s.platform and g.id = s.good_id
         where s.platform = 'taobao' and g.status = 'active' and g.min_order_quantity <= 1
         order by s.stock desc limit ${SKU_COUNT}`,
      )
      .all() as Catalog['skus'];
    const goods = store
      .prepare(
        `select id, title_en as title from goods where platform = 'taobao' and status = 'active'
         order by idx limit ${DETAIL_ITEMS}`,
      )
      .all() as Array<{ id: string; title: string }>;
    if (skus.length === 0 || goods.length === 0) throw new Error('the sandbox catalog has no active Taobao goods');
    // The first two words of English titles: searches that find a few goods each.
    const keywords = goods.map((g) => g.title.split(/\s+/).slice(0, 2).join(' '));
    return { skus, items: goods.map((g) => g.id), keywords };
  } finally {
    store.close();
  }
}

// ---- the workload -----------------------------------------------------------------------------------------

interface Line {
  orderId: string;
  lineId: string;
}

interface Rendered {
  lineId: string;
  reasonId: string;
  fee: number;
}

interface TaobaoOrderData {
  orderId: string;
  totalPrice: number;
  subPurchaseOrders: Array<{ orderLines: Array<{ purchaseOrderLineId: string }> }>;
}

const lineOf = (order: TaobaoOrderData): Line => ({
  orderId: order.orderId,
  lineId: order.subPurchaseOrders[0]?.orderLines[0]?.purchaseOrderLineId ?? '',
});

/** Latencies (ms) by category, over the whole run and over the current minute. */
class Latencies {
  readonly all = new Map<Category, number[]>();
  minute = new Map<Category, number[]>();

  add(category: Category, ms: number): void {
    for (const map of [this.all, this.minute]) {
      const list = map.get(category);
      if (list) list.push(ms);
      else map.set(category, [ms]);
    }
  }

  static percentile(values: number[] | undefined, p: number): string {
    if (!values || values.length === 0) return '-';
    const sorted = [...values].sort((a, b) => a - b);
    return (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0).toFixed(1);
  }

  /** `reads=<p50>/<p99> ms …` of the minute. */
  minuteSummary(): string {
    return (['reads', 'orders', 'pays', 'refunds'] as const)
      .map(
        (c) =>
          `${c}=${Latencies.percentile(this.minute.get(c), 0.5)}/${Latencies.percentile(this.minute.get(c), 0.99)} ms`,
      )
      .join(' ');
  }
}

/** The requests of the soak and what they leave to work on: orders to pay, lines to refund. */
class Workload {
  readonly latencies = new Latencies();
  sent = 0;
  succeeded = 0;
  errors = 0;
  substituted = 0;
  inFlight = 0;
  private readonly problems: string[] = [];
  private readonly unpaid: Line[] = [];
  private readonly refundable: Line[] = [];
  private readonly rendered: Rendered[] = [];
  private paidCount = 0;
  private n = 0;
  /** Requests of each kind so far: which good, keyword or SKU comes next. */
  private readonly turns = new Map<Slot, number>();

  constructor(
    private readonly baseUrl: string,
    private readonly caller: Caller,
    private readonly catalog: Catalog,
  ) {}

  problem(text: string): void {
    this.errors++;
    if (this.problems.length < 10) this.problems.push(text);
  }

  firstProblems(): string {
    return this.problems.join('\n  ');
  }

  /** Sends one request, timed; whatever fails counts as an error. Answers the data of a success. */
  async send<T>(slot: Slot, method: string, url: string, body?: unknown, idempotent = false): Promise<T | undefined> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = authHeaders(this.caller, method, url, text);
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (idempotent) headers['idempotency-key'] = randomUUID();
    this.sent++;
    this.inFlight++;
    const started = performance.now();
    try {
      const res = await fetch(this.baseUrl + url, {
        method,
        body: text,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const answer = await res.text();
      this.latencies.add(CATEGORY[slot], performance.now() - started);
      const parsed = JSON.parse(answer) as { code?: unknown; data: T };
      if (res.status === 200 && parsed.code === 200) {
        this.succeeded++;
        return parsed.data;
      }
      this.problem(`${method} ${url}: HTTP ${res.status} ${answer.slice(0, 300)}`);
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      this.problem(`${method} ${url}: ${(err as Error).message}${cause ? ` (${cause.message})` : ''}`);
    } finally {
      this.inFlight--;
    }
    return undefined;
  }

  /** Adds an order placed before the run, to be paid in it. */
  addUnpaid(order: TaobaoOrderData): void {
    this.unpaid.push(lineOf(order));
  }

  /** The next request of the cycle; one that has nothing to work on yet reads goods details instead. */
  next(): void {
    let slot = CYCLE[this.n++ % CYCLE.length] as Slot;
    const waiting = { pay: this.unpaid, render: this.refundable, submit: this.rendered } as Record<Slot, unknown[]>;
    if (waiting[slot]?.length === 0) {
      this.substituted++;
      slot = 'detail';
    }
    const turn = this.turns.get(slot) ?? 0;
    this.turns.set(slot, turn + 1);
    void this.run(slot, turn);
  }

  /** Sends a request of kind `slot`, the `n`-th of its kind. */
  private async run(slot: Slot, n: number): Promise<void> {
    const { items, keywords, skus } = this.catalog;
    switch (slot) {
      case 'detail':
        await this.send(slot, 'GET', `/open/product/get?itemId=${items[n % items.length]}`);
        return;
      case 'search':
        await this.send(slot, 'POST', '/open/product/item/search', { keyword: keywords[n % keywords.length] });
        return;
      case 'balance':
        await this.send(slot, 'GET', '/open/account/balance');
        return;
      case 'order': {
        const sku = skus[n % skus.length];
        const line = { itemId: sku?.itemId, skuId: sku?.skuId, quantity: 1 };
        const body = { orderLineList: [line], receiver: RECEIVER };
        const order = await this.send<TaobaoOrderData>(slot, 'POST', '/open/order', body, true);
        if (order) this.addUnpaid(order);
        return;
      }
      case 'pay': {
        const line = this.unpaid.shift() as Line;
        const paid = await this.send(slot, 'POST', '/open/order/pay', { orderId: line.orderId }, true);
        // One order in three paid is refunded.
        if (paid && this.paidCount++ % 3 === 0) this.refundable.push(line);
        return;
      }
      case 'render':
        await this.render(this.refundable.shift() as Line);
        return;
      case 'submit': {
        const r = this.rendered.shift() as Rendered;
        const body = { subOrderId: r.lineId, refundType: 1, goodsStatus: 1, reasonId: r.reasonId, refundFee: r.fee };
        await this.send(slot, 'POST', '/open/order/refund/submit', body, true);
        return;
      }
    }
  }

  /** A refund-only render of a paid line that has not shipped; what it offers is submitted later. */
  private async render(line: Line): Promise<void> {
    const body = { subOrderId: line.lineId, refundType: 1, goodsStatus: 1 };
    const data = await this.send<{
      saleFlag: boolean;
      refundOrderTemplate: { refundReasons: Array<{ reasonId: string }>; maxRefundFee: { refundFee: number } };
    }>('render', 'POST', '/open/order/refund/render', body);
    if (!data) return;
    const reason = data.refundOrderTemplate.refundReasons[0];
    if (!data.saleFlag || !reason) {
      this.problem(`line ${line.lineId} cannot be refunded: ${JSON.stringify(data)}`);
      return;
    }
    this.rendered.push({
      lineId: line.lineId,
      reasonId: reason.reasonId,
      fee: data.refundOrderTemplate.maxRefundFee.refundFee,
    });
  }
}

// ---- the run ----------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of each of the server's processes now, in MB. */
function sampleRss(pid: number | undefined): Map<number, number> {
  const sample = new Map<number, number>();
  for (const p of serverPids(pid)) {
    const mb = rssMb(p);
    if (mb !== undefined) sample.set(p, mb);
  }
  return sample;
}

const formatRss = (sample: Map<number, number>) => [...sample].map(([p, mb]) => `${p}:${mb.toFixed(0)} MB`).join(' ');

/**
 * `pid:start->end(+x%)` for every process seen at either sample, the one started first (`gone` or `new` where one
 * is missing).
 */
function rssChange(start: Map<number, number>, end: Map<number, number>): string {
  const pids = [...new Set([...start.keys(), ...end.keys()])];
  return pids
    .map((p) => {
      const a = start.get(p);
      const b = end.get(p);
      if (a === undefined) return `${p}:new->${b?.toFixed(0)}`;
      if (b === undefined) return `${p}:${a.toFixed(0)}->gone`;
      const change = ((b - a) / a) * 100;
      return `${p}:${a.toFixed(0)}->${b.toFixed(0)}(${change >= 0 ? '+' : ''}${change.toFixed(1)}%)`;
    })
    .join(',');
}

/** Callback URL, sellers' policy, stock, one order of each SKU, and the money for every order of the run. */
async function prepare(ponte: StartedPonte, receiver: Receiver): Promise<Workload> {
  const admin: Caller = { kind: 'admin', token: ponte.adminToken };
  const me: Caller = { kind: 'signed', creds: ponte.creds };
  const saved = await apiCall<{ callbackSecret: string | null }>(ponte.baseUrl, me, 'POST', '/open/message/callback', {
    callbackUrl: receiver.url,
  });
  receiver.secret = saved.callbackSecret ?? undefined;
  if (!receiver.secret) throw new Error('saving the callback URL answered no secret');
  const policy = { priceModifyRate: 0, shipAfterMs: 2_592_000_000, refundDecision: 'agree' };
  await apiCall(ponte.baseUrl, admin, 'PUT', '/sandbox/policy', {
    ...policy,
    refundDecisionAfterMs: REFUND_DECISION_MS,
  });
  const catalog = readCatalog(ponte.dataDir);
  const planned = Math.ceil((rate * runMs * ORDER_SHARE) / 1000) + catalog.skus.length;
  const stock = Math.ceil(planned / catalog.skus.length) + 1000;
  for (const sku of catalog.skus) {
    await apiCall(ponte.baseUrl, admin, 'PUT', `/sandbox/taobao/goods/${sku.itemId}/stock`, {
      stock,
      skuId: sku.skuId,
    });
  }
  const workload = new Workload(ponte.baseUrl, me, catalog);
  let dearest = 0;
  for (const sku of catalog.skus) {
    const body = { orderLineList: [{ ...sku, quantity: 1 }], receiver: RECEIVER };
    const order = await apiCall<TaobaoOrderData>(ponte.baseUrl, me, 'POST', '/open/order', body);
    workload.addUnpaid(order);
    dearest = Math.max(dearest, order.totalPrice);
  }
  let left = planned * dearest;
  log(`topping up ${left} fen for ${planned} orders of at most ${dearest} fen`);
  for (let n = 1; left > 0; left -= MAX_TOPUP_FEN, n++) {
    await apiCall(ponte.baseUrl, admin, 'POST', `/admin/developers/${ponte.creds.developId}/topups`, {
      amount: Math.min(left, MAX_TOPUP_FEN),
      reference: `bench-soak-${n}`,
    });
  }
  return workload;
}

/** Sends the workload at `rate` a second for the run, logging each minute; answers the RSS samples. */
async function drive(workload: Workload, ponte: StartedPonte, receiver: Receiver) {
  const t0 = performance.now();
  let scheduled = 0;
  let behind = 0;
  let rssStart: Map<number, number> | undefined;
  let cpuBefore = serverCpuMs(ponte.pid) ?? Number.NaN;
  const timer = setInterval(() => {
    const due = Math.min(Math.floor(((performance.now() - t0) / 1000) * rate), (runMs / 1000) * rate);
    for (; scheduled < due; scheduled++) {
      if (workload.inFlight >= MAX_IN_FLIGHT) behind++;
      else workload.next();
    }
  }, 10);
  for (let minute = 1; minute * 60_000 <= runMs; minute++) {
    const until = t0 + minute * 60_000;
    if (rssStart === undefined && t0 + warmupMs < until) {
      await sleep(t0 + warmupMs - performance.now());
      rssStart = sampleRss(ponte.pid);
      log(`after the warm-up (${warmupMs / 1000} s): rss ${formatRss(rssStart)}`);
    }
    await sleep(until - performance.now());
    const cpu = serverCpuMs(ponte.pid) ?? Number.NaN;
    log(
      `minute ${minute} of ${minutes}: ${workload.sent} sent, ${workload.errors} errors, ${workload.substituted} ` +
        `substituted, ${behind} behind, ${workload.inFlight} in flight; p50/p99 ${workload.latencies.minuteSummary()}; ` +
        `callbacks ${receiver.ids.size}; server CPU ${((cpu - cpuBefore) / 600).toFixed(0)} % of a core; ` +
        `rss ${formatRss(sampleRss(ponte.pid))}`,
    );
    cpuBefore = cpu;
    workload.latencies.minute = new Map();
  }
  clearInterval(timer);
  const rssEnd = sampleRss(ponte.pid);
  const deadline = Date.now() + REQUEST_TIMEOUT_MS + 5000;
  while (workload.inFlight > 0 && Date.now() < deadline) await sleep(50);
  if (behind > 0) {
    workload.problem(`${behind} requests not sent: ${MAX_IN_FLIGHT} were waiting for answers`);
    workload.errors += behind - 1;
  }
  return { rssStart: rssStart ?? new Map<number, number>(), rssEnd, seconds: (performance.now() - t0) / 1000 };
}

/** Waits for the last refunds' decisions, then until the receiver has every message written (up to 2 min). */
async function drainCallbacks(ponte: StartedPonte, receiver: Receiver): Promise<{ produced: number }> {
  const admin: Caller = { kind: 'admin', token: ponte.adminToken };
  await sleep(REFUND_DECISION_MS + 3000);
  const deadline = Date.now() + 120_000;
  let produced = -1;
  for (;;) {
    const { total } = await apiCall<{ total: number }>(
      ponte.baseUrl,
      admin,
      'GET',
      `/admin/developers/${ponte.creds.developId}/messages?pageSize=1`,
    );
    if (receiver.ids.size >= total && total === produced) return { produced: total };
    if (Date.now() > deadline) return { produced: total };
    produced = total;
    log(`callbacks: ${receiver.ids.size} of ${total} delivered`);
    await sleep(2000);
  }
}

async function main(): Promise<void> {
  const databaseUrl = flags.postgres ? await startPostgres() : undefined;
  const receiver = await Receiver.start();
  log(
    `starting the Ponte server: ${processes} processes, background workers on (${databaseUrl ? 'postgres' : 'sqlite'})`,
  );
  const ponte = await startPonteWith({
    databaseUrl,
    processes,
    workers: true,
    env: { CALLBACK_ALLOW_PRIVATE: 'true' },
  });
  log(`server processes: ${serverPids(ponte.pid).join(', ')} (the first started the others)`);
  const workload = await prepare(ponte, receiver);
  log(`${minutes} min at ${rate} requests a second`);
  const { rssStart, rssEnd, seconds } = await drive(workload, ponte, receiver);
  const { produced } = await drainCallbacks(ponte, receiver);
  const { latencies } = workload;
  const p99 = (c: Category) => Latencies.percentile(latencies.all.get(c), 0.99);
  process.stdout.write(
    `soak: ${minutes} min rate=${rate}/s throughput=${(workload.succeeded / seconds).toFixed(1)} req/s ` +
      `errors=${workload.errors} p99 reads=${p99('reads')} ms orders=${p99('orders')} ms pays=${p99('pays')} ms ` +
      `refunds=${p99('refunds')} ms rss=${rssChange(rssStart, rssEnd)} callbacks=${receiver.ids.size}/${produced}\n`,
  );
  const failures = [
    workload.errors > 0 ? `${workload.errors} requests failed, first:\n  ${workload.firstProblems()}` : '',
    receiver.invalid > 0 ? `${receiver.invalid} callbacks failed their check: ${receiver.firstProblem}` : '',
    receiver.ids.size < produced ? `${produced - receiver.ids.size} of ${produced} messages were not delivered` : '',
  ].filter(Boolean);
  if (failures.length > 0) throw new Error(failures.join('; '));
}

await runBench('soak', main);
