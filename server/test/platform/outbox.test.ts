import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { enqueue } from '../../src/platform/outbox/outbox.js';
import { type OutboxEvent, OutboxRegistry } from '../../src/platform/outbox/registry.js';
import { OutboxWorker } from '../../src/platform/outbox/worker.js';
import { startServer, TEST_DB, type TestServer } from '../harness.js';
import { waitFor } from '../wait.js';

/** The transactional outbox and its workers: commit or nothing, retries, dead rows, leases (Q1). */

const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0, 0));
let server: TestServer;
let deps: AppDeps;

beforeAll(async () => {
  server = await startServer({ overrides: { clock } });
  deps = server.deps;
});
afterAll(() => server.close());

beforeEach(async () => {
  await deps.database.db.deleteFrom('outbox').execute();
  clock.advance(1000);
});

/**
 * 0 or 1 ms at random: shuffles how concurrent handler runs interleave, so a race has more orders to
 * show up in. Nothing waits on it for a condition.
 */
function jitter(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() < 0.5 ? 0 : 1));
}

async function rowsOf(type: string) {
  return deps.database.db.selectFrom('outbox').selectAll().where('event_type', '=', type).orderBy('id').execute();
}

async function rowOf(id: string) {
  return deps.database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function enqueueCommitted(
  type: string,
  payload: unknown,
  options: { availableAt?: number; maxAttempts?: number } = {},
) {
  return deps.database.transaction((trx) => enqueue(trx, deps, type, payload, options));
}

/** Handlers registered once on the server's registry, recording what they saw. */
const seen: Record<string, OutboxEvent[]> = {};
function record(type: string, event: OutboxEvent): void {
  seen[type] = [...(seen[type] ?? []), event];
}

beforeAll(() => {
  deps.outbox.register('test.ok', async (event) => record('test.ok', event));
  deps.outbox.register(
    'test.fail',
    async (event) => {
      record('test.fail', event);
      throw new Error('receiver said no');
    },
    { maxAttempts: 3, backoffMs: (failures) => failures * 10_000 },
  );
  deps.outbox.register('test.fail-default', async (event) => {
    record('test.fail-default', event);
    throw new Error('still failing');
  });
  deps.outbox.register(
    'test.flaky',
    async (event) => {
      record('test.flaky', event);
      if (event.attempt === 1) throw new Error('first attempt fails');
    },
    { backoffMs: () => 1000 },
  );
  // Fails when run from a first claim, succeeds from the second: tells a stale worker from the new one.
  deps.outbox.register('test.lease', async (event) => {
    record('test.lease', event);
    if (event.attempt === 1) throw new Error('stale worker');
  });
});

describe('enqueue', () => {
  it('leaves no row when the transaction rolls back, and one when it commits', async () => {
    await expect(
      deps.database.transaction(async (trx) => {
        await enqueue(trx, deps, 'test.ok', { n: 1 });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await rowsOf('test.ok')).toHaveLength(0);

    const id = await enqueueCommitted('test.ok', { n: 2, id: '1795432287562383361' });
    const rows = await rowsOf('test.ok');
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row?.id).toBe(id);
    expect(row?.status).toBe('pending');
    expect(row?.attempts).toBe(0);
    expect(row?.available_at).toBe(clock.now());
    expect(row?.lease_owner).toBeNull();
    expect(JSON.parse(row?.payload ?? 'null')).toEqual({ n: 2, id: '1795432287562383361' });
  });

  it('sends nothing for 200 rolled-back transactions that each enqueue', async () => {
    for (let i = 0; i < 200; i++) {
      await deps.database
        .transaction(async (trx) => {
          await enqueue(trx, deps, 'test.ok', { i });
          await enqueue(trx, deps, 'test.ok', { i, second: true });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
    }
    expect(await rowsOf('test.ok')).toHaveLength(0);
    const worker = new OutboxWorker(deps, { owner: 'w-rollback' });
    expect(await worker.runOnce()).toBe(0);
  });
});

describe('worker', () => {
  it('processes rows with their registered handler and marks them done', async () => {
    seen['test.ok'] = [];
    const ids = [
      await enqueueCommitted('test.ok', { n: 1 }),
      await enqueueCommitted('test.ok', { n: 2 }),
      await enqueueCommitted('test.ok', { n: 3 }),
    ];
    const worker = new OutboxWorker(deps, { owner: 'w-ok' });
    expect(await worker.runOnce()).toBe(3);
    expect(await worker.runOnce()).toBe(0);

    const events = seen['test.ok'] ?? [];
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(events.map((e) => e.payload)).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }, { n: 3 }]));
    for (const e of events) {
      expect(e.type).toBe('test.ok');
      expect(e.attempt).toBe(1);
    }
    const rows = await rowsOf('test.ok');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.status).toBe('done');
      expect(row.attempts).toBe(1);
      expect(row.lease_owner).toBeNull();
      expect(row.lease_until).toBeNull();
      expect(row.last_error).toBeNull();
    }
  });

  it('waits for available_at and claims at most batchSize rows at a time', async () => {
    const later = await enqueueCommitted('test.ok', { later: true }, { availableAt: clock.now() + 10_000 });
    for (let i = 0; i < 5; i++) await enqueueCommitted('test.ok', { i });
    const worker = new OutboxWorker(deps, { owner: 'w-batch', batchSize: 2 });
    expect(await worker.runOnce()).toBe(2);
    expect(await worker.runOnce()).toBe(2);
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect((await rowOf(later)).status).toBe('pending');
    clock.advance(10_000);
    expect(await worker.runOnce()).toBe(1);
    expect((await rowOf(later)).status).toBe('done');
  });

  it('runs in the background with start() and finishes its batch on stop()', async () => {
    for (let i = 0; i < 20; i++) await enqueueCommitted('test.ok', { i });
    const worker = new OutboxWorker(deps, { owner: 'w-loop', pollMs: 10, batchSize: 7 });
    worker.start();
    try {
      await waitFor(async () => (await rowsOf('test.ok')).filter((r) => r.status === 'done').length === 20, {
        timeoutMs: 10_000,
        intervalMs: 10,
        message: 'the background worker to finish all 20 rows',
      });
    } finally {
      await worker.stop();
    }
    const rows = await rowsOf('test.ok');
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(20);
  });

  it('retries a failing handler with its backoff, then marks the row dead after maxAttempts', async () => {
    seen['test.fail'] = [];
    const id = await enqueueCommitted('test.fail', { n: 1 });
    const worker = new OutboxWorker(deps, { owner: 'w-fail' });

    const t1 = clock.now();
    expect(await worker.runOnce()).toBe(1);
    let row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.available_at).toBe(t1 + 10_000);
    expect(row.last_error).toContain('receiver said no');
    expect(row.lease_owner).toBeNull();

    clock.advance(9_999);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    const t2 = clock.now();
    expect(await worker.runOnce()).toBe(1);
    row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(2);
    expect(row.available_at).toBe(t2 + 20_000);

    clock.advance(20_000);
    expect(await worker.runOnce()).toBe(1);
    row = await rowOf(id);
    expect(row.status).toBe('dead');
    expect(row.attempts).toBe(3);
    expect(row.last_error).toContain('receiver said no');

    clock.advance(7 * 24 * 3600 * 1000);
    expect(await worker.runOnce()).toBe(0);
    expect((seen['test.fail'] ?? []).map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('uses the default exponential backoff and the maxAttempts given at enqueue', async () => {
    const id = await enqueueCommitted('test.fail-default', {}, { maxAttempts: 3 });
    const worker = new OutboxWorker(deps, { owner: 'w-default' });
    let now = clock.now();
    expect(await worker.runOnce()).toBe(1);
    let row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.available_at - now).toBeGreaterThanOrEqual(4_000);
    expect(row.available_at - now).toBeLessThanOrEqual(6_000);

    clock.set(row.available_at);
    now = clock.now();
    expect(await worker.runOnce()).toBe(1);
    row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.available_at - now).toBeGreaterThanOrEqual(8_000);
    expect(row.available_at - now).toBeLessThanOrEqual(12_000);

    clock.set(row.available_at);
    expect(await worker.runOnce()).toBe(1);
    row = await rowOf(id);
    expect(row.status).toBe('dead');
    expect(row.attempts).toBe(3);
  });

  it('finishes a row whose handler succeeds on a retry', async () => {
    const id = await enqueueCommitted('test.flaky', { n: 1 });
    const worker = new OutboxWorker(deps, { owner: 'w-flaky' });
    expect(await worker.runOnce()).toBe(1);
    expect((await rowOf(id)).status).toBe('pending');
    clock.advance(1000);
    expect(await worker.runOnce()).toBe(1);
    const row = await rowOf(id);
    expect(row.status).toBe('done');
    expect(row.attempts).toBe(2);
    expect(row.last_error).toBeNull();
  });

  it('fails an event type without a handler, retries it, and finally marks it dead', async () => {
    const id = await enqueueCommitted('test.unknown', { n: 1 }, { maxAttempts: 2 });
    const worker = new OutboxWorker(deps, { owner: 'w-unknown' });
    const now = clock.now();
    expect(await worker.runOnce()).toBe(1);
    let row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.last_error).toContain('test.unknown');
    expect(row.available_at).toBeGreaterThan(now);

    clock.set(row.available_at);
    expect(await worker.runOnce()).toBe(1);
    row = await rowOf(id);
    expect(row.status).toBe('dead');
    expect(row.attempts).toBe(2);
    expect(row.last_error).toContain('test.unknown');
  });
});

describe('leases', () => {
  it("keeps a crashed worker's rows from others until the lease ends, then hands them over within 60 s", async () => {
    seen['test.lease'] = [];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await enqueueCommitted('test.lease', { i }));
    const crashed = new OutboxWorker(deps, { owner: 'w-crashed' });
    const t0 = clock.now();
    const held = await crashed.claim();
    expect(held.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const row of held) {
      expect(row.lease_owner).toBe('w-crashed');
      expect(row.lease_until).toBe(t0 + 60_000);
      expect(row.attempts).toBe(1);
    }

    const other = new OutboxWorker(deps, { owner: 'w-other' });
    expect(await other.claim()).toHaveLength(0);
    clock.set(t0 + 59_999);
    expect(await other.claim()).toHaveLength(0);
    clock.set(t0 + 60_000);
    expect(await other.claim()).toHaveLength(0);

    clock.set(t0 + 60_001);
    const taken = await other.claim();
    expect(taken.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const row of taken) {
      expect(row.lease_owner).toBe('w-other');
      expect(row.attempts).toBe(2);
    }
    await Promise.all(taken.map((r) => other.process(r)));
    for (const id of ids) expect((await rowOf(id)).status).toBe('done');

    // The crashed worker comes back and runs its stale rows: its outcome must not overwrite the new one.
    await Promise.all(held.map((r) => crashed.process(r)));
    for (const id of ids) {
      const row = await rowOf(id);
      expect(row.status).toBe('done');
      expect(row.last_error).toBeNull();
      expect(row.lease_owner).toBeNull();
    }
  });

  it('honours a custom lease length', async () => {
    await enqueueCommitted('test.ok', {});
    const a = new OutboxWorker(deps, { owner: 'w-short-a', leaseMs: 5_000 });
    const b = new OutboxWorker(deps, { owner: 'w-short-b', leaseMs: 5_000 });
    expect(await a.claim()).toHaveLength(1);
    clock.advance(5_000);
    expect(await b.claim()).toHaveLength(0);
    clock.advance(1);
    expect(await b.claim()).toHaveLength(1);
  });
});

interface Run {
  id: string;
  owner: string;
  /** Epoch-based milliseconds (performance.timeOrigin + now), comparable across threads. */
  start: number;
  end: number;
  /** The row's lease_owner as read while the handler ran. */
  leaseOwner: string | null;
}

const Q1_TYPE = 'test.q1';
const Q1_OWNERS = ['q1-a', 'q1-b', 'q1-c'];

/** Waits 0 or 1 ms (jitter), reading who holds the row through the worker's own connection, and records the run. */
async function recordRun(runs: Run[], owner: string, id: string, database: Database): Promise<void> {
  const start = performance.timeOrigin + performance.now();
  const row = await database.db.selectFrom('outbox').select('lease_owner').where('id', '=', id).executeTakeFirst();
  await jitter();
  runs.push({
    id,
    owner,
    start,
    end: performance.timeOrigin + performance.now(),
    leaseOwner: row?.lease_owner ?? null,
  });
}

async function enqueueMany(total: number): Promise<void> {
  await deps.database.transaction(async (trx) => {
    for (let i = 0; i < total; i++) await enqueue(trx, deps, Q1_TYPE, { i });
  });
}

/** Every row ran exactly once, while its runner held its lease, and no two runs of a row overlapped. */
async function expectExactlyOnce(runs: Run[], total: number): Promise<void> {
  const byRow = new Map<string, Run[]>();
  for (const r of runs) byRow.set(r.id, [...(byRow.get(r.id) ?? []), r]);
  const repeated = [...byRow.entries()].filter(([, list]) => list.length > 1).map(([id, list]) => ({ id, list }));
  expect(repeated).toEqual([]);
  expect(byRow.size).toBe(total);
  expect(runs.filter((r) => r.leaseOwner !== r.owner)).toEqual([]);
  for (const list of byRow.values()) {
    const sorted = [...list].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as Run).start).toBeGreaterThanOrEqual((sorted[i - 1] as Run).end);
    }
  }
  // The work was shared, not done by one worker while the others waited.
  expect(new Set(runs.map((r) => r.owner)).size).toBeGreaterThanOrEqual(2);

  const rows = await rowsOf(Q1_TYPE);
  expect(rows).toHaveLength(total);
  expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
  expect(rows.filter((r) => r.attempts !== 1).map((r) => ({ id: r.id, attempts: r.attempts }))).toEqual([]);
}

/**
 * The code each worker thread runs: it loads the server's modules through tsx, opens its own
 * connection, waits for the start signal, claims until nothing is left and posts its runs back.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { tsImport } = await import(workerData.tsxApi);
  const load = (url) => tsImport(url, workerData.parentUrl);
  const { openDatabase } = await load(workerData.modules.database);
  const { OutboxRegistry } = await load(workerData.modules.registry);
  const { OutboxWorker } = await load(workerData.modules.worker);
  const { IdGenerator } = await load(workerData.modules.ids);
  const database = openDatabase(workerData.config);
  const runs = [];
  const outbox = new OutboxRegistry();
  outbox.register(workerData.type, async (event, deps) => {
    const start = performance.timeOrigin + performance.now();
    const row = await deps.database.db.selectFrom('outbox').select('lease_owner').where('id', '=', event.id).executeTakeFirst();
    await new Promise((resolve) => setTimeout(resolve, Math.random() < 0.5 ? 0 : 1));
    const end = performance.timeOrigin + performance.now();
    runs.push({ id: event.id, owner: workerData.owner, start, end, leaseOwner: row ? row.lease_owner : null });
  });
  const noop = () => {};
  const deps = {
    config: workerData.config,
    database,
    clock: { now: () => workerData.now },
    ids: new IdGenerator(),
    outbox,
    log: { warn: noop, error: noop, info: noop, debug: noop, trace: noop, fatal: noop },
  };
  const worker = new OutboxWorker(deps, { owner: workerData.owner, batchSize: 20 });
  await new Promise((resolve) => {
    parentPort.once('message', resolve);
    parentPort.postMessage({ ready: true });
  });
  while ((await worker.runOnce()) > 0) {}
  await database.close();
  parentPort.postMessage({ runs });
})().catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));
`;

describe(`Q1: three workers with their own connections (${TEST_DB})`, () => {
  const TOTAL = 3000;

  // better-sqlite3 waits for a busy database synchronously, blocking its whole thread: three SQLite
  // connections in one event loop would wait on each other. Separate threads (below) cover SQLite.
  it.skipIf(TEST_DB === 'sqlite')(
    'in one process, each with its own pool: every row once, never two holders',
    async () => {
      await enqueueMany(TOTAL);
      const runs: Run[] = [];
      const databases: Database[] = [];
      try {
        const workers = Q1_OWNERS.map((owner) => {
          const database = openDatabase(deps.config);
          databases.push(database);
          const outbox = new OutboxRegistry();
          outbox.register(Q1_TYPE, async (event, own) => recordRun(runs, owner, event.id, own.database));
          return new OutboxWorker({ ...deps, database, outbox }, { owner, batchSize: 20 });
        });
        await Promise.all(
          workers.map(async (worker) => {
            while ((await worker.runOnce()) > 0) {
              // claim until nothing is left
            }
          }),
        );
      } finally {
        for (const d of databases) await d.close();
      }
      await expectExactlyOnce(runs, TOTAL);
    },
  );

  it('in three threads, each with its own connection: every row once, never two holders', async () => {
    await enqueueMany(TOTAL);
    const require = createRequire(import.meta.url);
    const modules = {
      database: new URL('../../src/platform/db/database.ts', import.meta.url).href,
      registry: new URL('../../src/platform/outbox/registry.ts', import.meta.url).href,
      worker: new URL('../../src/platform/outbox/worker.ts', import.meta.url).href,
      ids: new URL('../../src/platform/ids.ts', import.meta.url).href,
    };
    const threads = Q1_OWNERS.map(
      (owner) =>
        new Worker(THREAD_SOURCE, {
          eval: true,
          workerData: {
            tsxApi: pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
            parentUrl: import.meta.url,
            modules,
            config: deps.config,
            now: clock.now(),
            owner,
            type: Q1_TYPE,
          },
        }),
    );
    try {
      const message = (t: Worker) =>
        new Promise<{ ready?: boolean; runs?: Run[]; error?: string }>((resolve, reject) => {
          t.once('message', resolve);
          t.once('error', reject);
        });
      const ready = await Promise.all(threads.map(message));
      for (const m of ready) expect(m.error, m.error).toBeUndefined();
      const done = threads.map(message);
      for (const t of threads) t.postMessage('go');
      const results = await Promise.all(done);
      for (const m of results) expect(m.error, m.error).toBeUndefined();
      await expectExactlyOnce(
        results.flatMap((m) => m.runs ?? []),
        TOTAL,
      );
    } finally {
      await Promise.all(threads.map((t) => t.terminate()));
    }
  });
});
