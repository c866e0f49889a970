import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { insertMessage } from '../../../src/modules/messages/write.js';
import { ACCOUNTS, postTransaction } from '../../../src/modules/payments/index.js';
import { systemClock } from '../../../src/platform/clock.js';
import { openDatabase } from '../../../src/platform/db/database.js';
import { IdGenerator } from '../../../src/platform/ids.js';
import { enqueue } from '../../../src/platform/outbox/outbox.js';
import { type Credentials, createTestDatabase, startServer, TEST_DB, type TestServer } from '../../harness.js';
import { waitFor } from '../../wait.js';

// GET /metrics (Prometheus text format): who may read it, and that what it reports moves with what the server does:
// requests by route template and envelope code, upstream calls, the outbox and the callback queue read at scrape
// time, callback deliveries, ledger postings counted on commit only, the database's connections, the process.

const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123456789';

let server: TestServer;
let dev: Credentials;

beforeAll(async () => {
  server = await startServer({
    env: { METRICS_TOKEN, CALLBACK_ALLOW_PRIVATE: 'true', CALLBACK_TIMEOUT_MS: '2000', SANDBOX_GOODS: '50' },
  });
  dev = await server.createDeveloper('Metrics');
});
afterAll(() => server?.close());

/** One sample line: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  samples: Sample[];
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

/** Parses the text exposition format (version 0.0.4), refusing any line it does not understand. */
function parseMetrics(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = ''] = line.slice(7).split(' ');
      types.set(name, type);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    let end = 0;
    LABEL.lastIndex = 0;
    for (let l = LABEL.exec(body); l; l = LABEL.exec(body)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      end = LABEL.lastIndex;
    }
    if (end !== body.length) throw new Error(`bad labels: ${line}`);
    const raw = m[3] as string;
    const value = raw === '+Inf' ? Number.POSITIVE_INFINITY : raw === '-Inf' ? Number.NEGATIVE_INFINITY : Number(raw);
    // Prometheus reads NaN in any case (prom-client writes `Nan`, an event-loop mean before its first sample).
    if (Number.isNaN(value) && raw.toLowerCase() !== 'nan') throw new Error(`bad value: ${line}`);
    samples.push({ name: m[1] as string, labels, value });
  }
  return { samples, types };
}

/** The sum of the samples of `name` whose labels include `labels` (0 when there is none). */
function sampled(scrape: Scrape, name: string, labels: Record<string, string | number> = {}): number {
  return matching(scrape, name, labels).reduce((sum, s) => sum + s.value, 0);
}

function matching(scrape: Scrape, name: string, labels: Record<string, string | number> = {}): Sample[] {
  return scrape.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === String(v)),
  );
}

async function scrape(token = server.deps.adminToken): Promise<Scrape> {
  const r = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await r.text();
  expect(r.status, text).toBe(200);
  return parseMetrics(text);
}

describe('who may read /metrics', () => {
  it('answers the operator token and METRICS_TOKEN, in the text format', async () => {
    for (const token of [server.deps.adminToken, METRICS_TOKEN]) {
      const r = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const parsed = parseMetrics(await r.text());
      expect(parsed.types.get('ponte_http_requests_total')).toBe('counter');
      expect(parsed.types.get('ponte_http_request_duration_seconds')).toBe('histogram');
    }
  });

  it('refuses a request without a token, or with a wrong one, with 40106 in the envelope', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-token-at-all-0123456789' },
      { authorization: `Bearer ${METRICS_TOKEN}x` },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of cases) {
      const r = await server.request('GET', '/metrics', { headers });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: 40106, data: null });
    }
  });

  it('is not an operation of the OpenAPI document', async () => {
    const r = await fetch(`${server.baseUrl}/openapi.json`);
    const doc = (await r.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});

describe('HTTP requests', () => {
  const userList = { route: '/open/user/list', method: 'GET', status: 200, code: 200 };

  it('counts signed requests by route template and envelope code, and times them', async () => {
    const before = await scrape();
    for (let i = 0; i < 5; i++) {
      const r = await server.signed(dev, 'GET', '/open/user/list?pageNo=1&pageSize=10');
      expect(r.body.code).toBe(200);
    }
    const after = await scrape();
    expect(sampled(after, 'ponte_http_requests_total', userList)).toBe(
      sampled(before, 'ponte_http_requests_total', userList) + 5,
    );
    expect(sampled(after, 'ponte_http_request_duration_seconds_count', userList)).toBe(
      sampled(before, 'ponte_http_request_duration_seconds_count', userList) + 5,
    );
    const inf = { ...userList, le: '+Inf' };
    expect(sampled(after, 'ponte_http_request_duration_seconds_bucket', inf)).toBe(
      sampled(after, 'ponte_http_request_duration_seconds_count', userList),
    );
  });

  it('counts a refused signature under its code and status', async () => {
    const refused = { route: '/open/user/list', method: 'GET', status: 401, code: 40102 };
    const before = sampled(await scrape(), 'ponte_http_requests_total', refused);
    const r = await server.signed({ ...dev, accessSecret: 'f'.repeat(64) }, 'GET', '/open/user/list');
    expect(r.body.code).toBe(40102);
    expect(sampled(await scrape(), 'ponte_http_requests_total', refused)).toBe(before + 1);
  });

  it('labels a route by its template, an unknown path as unmatched, and leaves /metrics out', async () => {
    const users = { route: '/admin/developers/:developId/users', method: 'GET', status: 200, code: 200 };
    const unmatched = { route: 'unmatched', method: 'GET', status: 404, code: 40401 };
    const before = await scrape();
    expect((await server.admin('GET', `/admin/developers/${dev.developId}/users`)).body.code).toBe(200);
    expect((await server.request('GET', '/no/such/path/4711')).body.code).toBe(40401);
    const after = await scrape();
    expect(sampled(after, 'ponte_http_requests_total', users)).toBe(
      sampled(before, 'ponte_http_requests_total', users) + 1,
    );
    expect(sampled(after, 'ponte_http_requests_total', unmatched)).toBe(
      sampled(before, 'ponte_http_requests_total', unmatched) + 1,
    );
    const routes = new Set(matching(after, 'ponte_http_requests_total').map((s) => s.labels.route ?? ''));
    expect(routes).not.toContain('/metrics');
    expect([...routes].some((r) => r.includes(dev.developId) || r.includes('4711'))).toBe(false);
  });
});

describe('upstream calls', () => {
  const getProduct = { platform: 'taobao', upstream: 'sandbox', operation: 'getProduct' };

  afterEach(async () => {
    await server.admin('DELETE', '/sandbox/faults');
  });

  it('counts each call with its operation and outcome, and times it', async () => {
    const before = await scrape();
    const found = await server.signed(dev, 'GET', '/open/product/get?itemId=672991141190');
    expect(found.body.code).toBe(40401);
    expect((await server.admin('PUT', '/sandbox/faults/getProduct', { errorRate: 1 })).body.code).toBe(200);
    const failed = await server.signed(dev, 'GET', '/open/product/get?itemId=672991141191');
    expect(failed.body.code).toBe(50201);
    const after = await scrape();
    for (const outcome of ['ok', 'error']) {
      const labels = { ...getProduct, outcome };
      expect(sampled(after, 'ponte_upstream_calls_total', labels), outcome).toBe(
        sampled(before, 'ponte_upstream_calls_total', labels) + 1,
      );
    }
    const timed = { platform: 'taobao', operation: 'getProduct' };
    expect(sampled(after, 'ponte_upstream_call_duration_seconds_count', timed)).toBe(
      sampled(before, 'ponte_upstream_call_duration_seconds_count', timed) + 2,
    );
  });
});

describe('the outbox, read when scraped', () => {
  const topic = 'metrics.test';

  afterAll(async () => {
    await server.deps.database.db.deleteFrom('outbox').where('event_type', '=', topic).execute();
  });

  it('reports pending rows per topic, how long the oldest has been due, and dead rows', async () => {
    const { deps } = server;
    const now = deps.clock.now();
    await deps.database.transaction(async (trx) => {
      await enqueue(trx, deps, topic, { n: 1 }, { availableAt: now - 90_000 });
      await enqueue(trx, deps, topic, { n: 2 });
      await enqueue(trx, deps, topic, { n: 3 }, { availableAt: now + 3_600_000 });
    });
    const dead = await enqueue(deps.database.db, deps, topic, { n: 4 });
    await deps.database.db.updateTable('outbox').set({ status: 'dead' }).where('id', '=', dead).execute();
    const s = await scrape();
    expect(sampled(s, 'ponte_outbox_pending', { topic })).toBe(3);
    expect(sampled(s, 'ponte_outbox_dead', { topic })).toBe(1);
    const age = sampled(s, 'ponte_outbox_oldest_pending_age_seconds', { topic });
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(600);
    // A registered topic with nothing pending is reported as 0, not left out.
    expect(matching(s, 'ponte_outbox_pending', { topic: 'upstream.event' })).toEqual([
      { name: 'ponte_outbox_pending', labels: { topic: 'upstream.event' }, value: 0 },
    ]);
    await deps.database.db.deleteFrom('outbox').where('event_type', '=', topic).execute();
    const emptied = await scrape();
    expect(matching(emptied, 'ponte_outbox_pending', { topic })).toEqual([]);
  });
});

describe('callback deliveries', () => {
  const receivers: http.Server[] = [];
  afterAll(async () => {
    for (const r of receivers) {
      r.closeAllConnections();
      await new Promise((resolve) => r.close(resolve));
    }
  });

  /** A receiver on loopback that answers every message with `status`; its URL. */
  async function receiver(status: number): Promise<string> {
    const r = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // Saving the URL needs its verification POST answered 2xx.
        const verification = Buffer.concat(chunks).toString('utf8').includes('"CALLBACK_VERIFICATION"');
        res.writeHead(verification ? 200 : status).end('ok');
      });
    });
    receivers.push(r);
    await new Promise<void>((resolve) => r.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(r.address() as AddressInfo).port}/hook`;
  }

  /** A developer whose callback URL answers its messages with `status`. */
  async function developerAnswering(status: number): Promise<Credentials> {
    const d = await server.createDeveloper(`Receiving ${status}`);
    const saved = await server.signed(d, 'POST', '/open/message/callback', {
      body: { callbackUrl: await receiver(status) },
    });
    expect(saved.body.code, saved.text).toBe(200);
    return d;
  }

  /** Writes a message for `d` as a module would, in a transaction of its own. */
  const write = (d: Credentials, objectId: string) =>
    server.deps.database.transaction((trx) =>
      insertMessage(trx, server.deps, {
        developId: d.developId,
        userId: d.userId,
        platform: 1,
        type: 'ORDER_BUYER_VIEW_ORDER_PAY',
        objectType: 'order',
        objectId,
        version: 1,
        body: JSON.stringify({ orderId: objectId }),
      }),
    );

  it('counts attempts by outcome, times them and the lag of delivered messages; pending ones when scraped', async () => {
    const accepting = await developerAnswering(200);
    const failing = await developerAnswering(503);
    const before = await scrape();
    await write(accepting, '900000000000000001');
    await write(failing, '900000000000000002');
    const queued = await scrape();
    const pending = (s: Scrape) => sampled(s, 'ponte_callback_messages_pending');
    expect(pending(queued)).toBe(pending(before) + 2);
    expect(await server.drainCallbacks()).toBe(2);
    const after = await scrape();
    const attempts = (s: Scrape, outcome: string) => sampled(s, 'ponte_callback_delivery_attempts_total', { outcome });
    expect(attempts(after, 'delivered')).toBe(attempts(before, 'delivered') + 1);
    expect(attempts(after, 'retry')).toBe(attempts(before, 'retry') + 1);
    const timed = (s: Scrape) => sampled(s, 'ponte_callback_delivery_duration_seconds_count');
    expect(timed(after)).toBe(timed(before) + 2);
    const lag = (s: Scrape) => sampled(s, 'ponte_callback_delivery_lag_seconds_count');
    expect(lag(after)).toBe(lag(before) + 1);
    // The delivered message left the queue; the other waits for its retry.
    expect(pending(after)).toBe(pending(before) + 1);
  });
});

describe('ledger transactions', () => {
  it('counts a top-up once committed, and never a posting whose transaction rolled back', async () => {
    const topup = { kind: 'topup' };
    const before = await scrape();
    const r = await server.admin('POST', `/admin/developers/${dev.developId}/topups`, {
      amount: 500,
      reference: 'T-1',
    });
    expect(r.body.code).toBe(200);
    const afterTopup = await scrape();
    expect(sampled(afterTopup, 'ponte_ledger_transactions_total', topup)).toBe(
      sampled(before, 'ponte_ledger_transactions_total', topup) + 1,
    );

    const adjustment = { kind: 'adjustment' };
    const post = (trx: Parameters<Parameters<typeof server.deps.database.transaction>[0]>[0], n: number) =>
      postTransaction(trx, server.deps, {
        idemKey: `metrics-test:${n}`,
        kind: 'adjustment',
        developId: dev.developId,
        memo: 'metrics test',
        entries: [
          { account: ACCOUNTS.balance(dev.developId), amountFen: 100 },
          { account: ACCOUNTS.topups, amountFen: -100 },
        ],
      });
    await expect(
      server.deps.database.transaction(async (trx) => {
        await post(trx, 1);
        throw new Error('rolled back after the posting');
      }),
    ).rejects.toThrow('rolled back');
    const rolledBack = await scrape();
    expect(sampled(rolledBack, 'ponte_ledger_transactions_total', adjustment)).toBe(
      sampled(before, 'ponte_ledger_transactions_total', adjustment),
    );
    await server.deps.database.transaction((trx) => post(trx, 2));
    expect(sampled(await scrape(), 'ponte_ledger_transactions_total', adjustment)).toBe(
      sampled(before, 'ponte_ledger_transactions_total', adjustment) + 1,
    );
  });
});

describe('the database, the process and the build', () => {
  it('reports the database, its connections, the process and the version', async () => {
    const s = await scrape();
    expect(sampled(s, 'ponte_database_info', { kind: TEST_DB })).toBe(1);
    if (TEST_DB === 'postgres') {
      expect(sampled(s, 'ponte_database_pool_clients')).toBeGreaterThanOrEqual(1);
      expect(matching(s, 'ponte_database_pool_idle_clients')).toHaveLength(1);
      expect(matching(s, 'ponte_database_pool_waiting_requests')).toHaveLength(1);
    } else {
      expect(sampled(s, 'ponte_sqlite_commit_groups_total')).toBeGreaterThan(0);
      expect(sampled(s, 'ponte_sqlite_commit_units_total')).toBeGreaterThanOrEqual(
        sampled(s, 'ponte_sqlite_commit_groups_total'),
      );
    }
    expect(sampled(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(matching(s, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect(s.types.get('nodejs_gc_duration_seconds')).toBe('histogram');
    expect(matching(s, 'ponte_build_info')).toEqual([
      { name: 'ponte_build_info', labels: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) }, value: 1 },
    ]);
  });
});

describe('several processes (ponte serve with PONTE_PROCESSES=2)', () => {
  /** A GET on a connection of its own, so that the primary hands each request to the next process. */
  function getAlone(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      http
        .get(url, { agent: false, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
  }

  it('answers, from whichever process a scrape reaches, the metrics of every process', async () => {
    // Imported here, not for the whole file: it makes sure that server/dist holds the current sources, building
    // them when it does not.
    const { spawnServers } = await import('../../processes.js');
    const db = await createTestDatabase();
    const settings = {
      ...db.env,
      PONTE_PROCESSES: '2',
      SANDBOX_GOODS: '50',
      METRICS_TOKEN,
      // The primary says on stdout which process listens.
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    };
    const server = await spawnServers(1, settings);
    const database = openDatabase(loadConfig(settings));
    try {
      await waitFor(() => (server.stdout(0).match(/"server process listening"/g) ?? []).length === 2, {
        // Two processes loading the server on a busy machine: seconds, more when others run tests too.
        timeoutMs: 60_000,
        message: () => `both processes to listen: ${server.stdout(0)}`,
      });
      const base = server.urls[0] ?? '';
      for (let i = 0; i < 10; i++) expect((await getAlone(`${base}/healthz`)).status).toBe(200);
      const deps = { ids: new IdGenerator(), clock: systemClock };
      await database.transaction(async (trx) => {
        await enqueue(trx, deps, 'metrics.cluster', { n: 1 });
        await enqueue(trx, deps, 'metrics.cluster', { n: 2 });
      });
      const healthz = { route: '/healthz', method: 'GET', status: 200, code: 200 };
      // Each scrape reaches the next process: every one answers for both.
      for (let i = 0; i < 4; i++) {
        const r = await getAlone(`${base}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` });
        expect(r.status, r.body).toBe(200);
        const s = parseMetrics(r.body);
        expect(sampled(s, 'ponte_http_requests_total', healthz)).toBe(10);
        expect(sampled(s, 'ponte_http_request_duration_seconds_count', healthz)).toBe(10);
        // Read from the database by each process: taken once, not summed.
        expect(sampled(s, 'ponte_outbox_pending', { topic: 'metrics.cluster' })).toBe(2);
        expect(sampled(s, 'ponte_database_info', { kind: TEST_DB })).toBe(1);
        expect(sampled(s, 'ponte_build_info')).toBe(1);
      }
      const refused = await getAlone(`${base}/metrics`, { authorization: 'Bearer wrong-token-0123456789abcdef' });
      expect(refused.status).toBe(401);
    } finally {
      await server.stop();
      await database.close();
      await db.drop();
    }
  }, 120_000);
});
