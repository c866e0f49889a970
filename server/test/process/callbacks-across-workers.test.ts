import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../src/modules/messages/delivery.js';
import { insertMessage } from '../../src/modules/messages/write.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { safePost } from '../../src/platform/net/safe-fetch.js';
import {
  type Credentials,
  createTestDatabase,
  startServer,
  TEST_DB,
  type TestDatabase,
  type TestServer,
} from '../harness.js';
import { waitFor } from '../wait.js';
import { type CallbackReceiver, startReceiver } from './callback-receiver.js';

/**
 * Q1 for callbacks (docs/adr/0013): several delivery workers share the `messages` queue of one database, each
 * claiming through its own app and connection pool (three apps in this process, built as a server process builds
 * its own, workers off, each running a DeliveryWorker of the test's). On PostgreSQL the three pools claim side by side
 * (`FOR UPDATE SKIP LOCKED`); on SQLite each claim is a transaction on its app's own connection, the apps' write
 * transactions taking turns in this process (see `takingTurns`). 10,000 messages of 8 developers (5,000 objects, two
 * versions each) are written with `insertMessage` while the workers run; one loopback receiver takes them all, holds
 * each request a few milliseconds and answers 503 to the first attempt of a fixed ~2 % of them, so that retries
 * happen. No message may be lost, none may be in flight at two workers at once (seen by the senders and by the
 * receiver), a repeat must carry the same body, a version must arrive only after the previous one was acknowledged,
 * and the attempts log must tell what the receiver saw.
 *
 * Then a fourth worker claims a batch and is abandoned with its attempts in flight (its `post` never answers, as
 * if its process had died): its messages stay leased, the others leave them alone, and once the lease
 * (CALLBACK_TIMEOUT_MS * 2 + 30 s) has passed on the fake clock the others deliver them.
 *
 * The workers' clock is a ManualClock that moves only when the test says: when everything left waits for a retry
 * and nothing is in flight, the test moves it to the latest retry's time (5 s ± 10 % after the 503), which never
 * ends a lease early.
 */

const WORKERS = 3;
const DEVELOPERS = 8;
const OBJECTS = 5_000;
const VERSIONS = 2;
const MESSAGES = OBJECTS * VERSIONS;
const WRITE_BATCH = 250;
const CRASH_MESSAGES = 300;
const ABANDONED = 64;
const TIMEOUT_MS = 5_000;
const LEASE_MS = TIMEOUT_MS * 2 + 30_000;
const DELIVERY_TIMEOUT_MS = 120_000;

/** Write transactions of the apps in this process, one at a time on SQLite (see `takingTurns`). */
let turn: Promise<unknown> = Promise.resolve();

/**
 * The app's dependencies with its write transactions taking turns with the other apps' in this process, on SQLite.
 * SQLite lets one connection at a time hold the file's write lock, and a connection that finds it held waits
 * (busy_timeout) synchronously: in one thread, that blocks the very transaction it waits for, whose next statement
 * is a step of the same event loop, until the wait times out. Separate processes wait for each other as they should;
 * apps in one thread must not begin a transaction while another one's is open. Each claim still runs in a
 * transaction of its own app's connection. On PostgreSQL the apps' pools run side by side.
 */
function takingTurns(deps: AppDeps): AppDeps {
  if (TEST_DB !== 'sqlite') return deps;
  const { database } = deps;
  return {
    ...deps,
    database: {
      kind: database.kind,
      db: database.db,
      relaxed: database.relaxed,
      ping: () => database.ping(),
      close: () => database.close(),
      transaction: (fn) => {
        const mine = turn.then(() => database.transaction(fn));
        turn = mine.catch(() => undefined);
        return mine;
      },
    },
  };
}

/** The first attempt of about 2 % of the messages (fixed by their id) is answered 503. */
const failsFirst = (id: string) => (createHash('sha256').update(id).digest()[0] ?? 255) < 5;

interface Attempt {
  attempt: number;
  status: number | null;
  outcome: string;
  error: string | null;
}

interface Written {
  id: string;
  developer: number;
  objectId: string;
  version: number;
}

describe(`callbacks delivered by ${WORKERS} workers over one database (${TEST_DB})`, () => {
  const clock = new ManualClock(Date.now());
  const env = { CALLBACK_ALLOW_PRIVATE: 'true', CALLBACK_TIMEOUT_MS: String(TIMEOUT_MS) };
  let db: TestDatabase;
  let receiver: CallbackReceiver;
  const servers: TestServer[] = [];
  let running: DeliveryWorker[] = [];
  const developers: Credentials[] = [];
  const written = new Map<string, Written>();
  /** Attempts in flight now, by message id, over all the workers (the senders' view). */
  const sending = new Map<string, number>();
  const sentTwiceAtOnce = new Set<string>();
  /** Attempts made by each worker of this test. */
  const madeBy = new Map<string, number>();

  const database = () => {
    const s = servers[0];
    if (!s) throw new Error('no server');
    return s.deps.database.db;
  };

  /** The receiver's POST, counting each message's attempts in flight across all workers. */
  const tracked =
    (owner: () => string): typeof safePost =>
    async (url, headers, body, options) => {
      const id = headers['webhook-id'] ?? '';
      const now = (sending.get(id) ?? 0) + 1;
      sending.set(id, now);
      if (now > 1) sentTwiceAtOnce.add(id);
      madeBy.set(owner(), (madeBy.get(owner()) ?? 0) + 1);
      try {
        return await safePost(url, headers, body, options);
      } finally {
        const left = (sending.get(id) ?? 1) - 1;
        if (left === 0) sending.delete(id);
        else sending.set(id, left);
      }
    };

  function startWorkers(): void {
    running = servers.slice(0, WORKERS).map((s) => {
      const worker: DeliveryWorker = new DeliveryWorker(takingTurns(s.deps), {
        pollMs: 10,
        post: tracked(() => worker.owner),
      });
      return worker;
    });
    for (const w of running) w.start();
  }

  async function stopWorkers(): Promise<void> {
    await Promise.all(running.map((w) => w.stop()));
    running = [];
  }

  /** Writes messages as a module would, through the first app, `WRITE_BATCH` to a transaction. */
  async function write(items: Omit<Written, 'id'>[]): Promise<Written[]> {
    const server = servers[0];
    if (!server) throw new Error('no server');
    const deps = takingTurns(server.deps);
    const out: Written[] = [];
    for (let i = 0; i < items.length; i += WRITE_BATCH) {
      const batch = items.slice(i, i + WRITE_BATCH);
      const ids = await deps.database.transaction(async (trx) => {
        const made: string[] = [];
        for (const m of batch) {
          const dev = developers[m.developer];
          if (!dev) throw new Error(`no developer ${m.developer}`);
          made.push(
            await insertMessage(trx, deps, {
              developId: dev.developId,
              userId: dev.userId,
              platform: 0,
              type: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
              objectType: 'order',
              objectId: m.objectId,
              version: m.version,
              body: JSON.stringify({ orderId: m.objectId, version: m.version, note: `message of ${m.objectId}` }),
            }),
          );
        }
        return made;
      });
      for (const [j, id] of ids.entries()) {
        const m = batch[j];
        if (!m) continue;
        const w = { ...m, id };
        written.set(id, w);
        out.push(w);
      }
    }
    return out;
  }

  /** The queue now: pending messages, those held by a worker, and the latest retry among the others. */
  async function queue(): Promise<{ pending: number; leased: number; waiting: number; latest: number }> {
    const now = clock.now();
    const row = await sql<{ pending: unknown; leased: unknown; waiting: unknown; latest: unknown }>`
      select count(*) as pending,
        sum(case when lease_owner is not null then 1 else 0 end) as leased,
        sum(case when lease_owner is null and next_attempt_at > ${now} then 1 else 0 end) as waiting,
        max(case when lease_owner is null then next_attempt_at end) as latest
      from messages where delivery = 'pending'`.execute(database());
    const r = row.rows[0];
    return {
      pending: Number(r?.pending ?? 0),
      leased: Number(r?.leased ?? 0),
      waiting: Number(r?.waiting ?? 0),
      latest: Number(r?.latest ?? 0),
    };
  }

  /**
   * Waits until no message is pending. When everything left waits for a retry and nothing is in flight, the clock
   * moves to the latest retry: no lease is running then, so none ends early.
   */
  async function deliverAll(what: string): Promise<void> {
    let last = await queue();
    await waitFor(
      async () => {
        last = await queue();
        if (last.pending === 0) return true;
        if (last.leased === 0 && last.waiting > 0 && last.latest > clock.now()) clock.set(last.latest);
        return false;
      },
      {
        timeoutMs: DELIVERY_TIMEOUT_MS,
        intervalMs: 50,
        message: () => `${what} to be delivered (left: ${JSON.stringify(last)}, receiver: ${receiver.requests()})`,
      },
    );
  }

  async function messageRows(ids: string[]) {
    const rows = [];
    for (let i = 0; i < ids.length; i += 500) {
      rows.push(
        ...(await database()
          .selectFrom('messages')
          .select(['id', 'delivery', 'attempts', 'lease_owner', 'next_attempt_at'])
          .where('id', 'in', ids.slice(i, i + 500))
          .execute()),
      );
    }
    return new Map(rows.map((r) => [r.id, r]));
  }

  async function attemptRows(ids: string[]) {
    const byMessage = new Map<string, Attempt[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await database()
        .selectFrom('message_attempts')
        .select(['message_id', 'attempt', 'status', 'outcome', 'error'])
        .where('message_id', 'in', ids.slice(i, i + 500))
        .orderBy('message_id')
        .orderBy('attempt')
        .execute();
      for (const r of rows) {
        const list = byMessage.get(r.message_id) ?? [];
        list.push({
          attempt: Number(r.attempt),
          status: r.status === null ? null : Number(r.status),
          outcome: r.outcome,
          error: r.error,
        });
        byMessage.set(r.message_id, list);
      }
    }
    return byMessage;
  }

  /**
   * What is wrong with a delivered message's attempts log, or null: attempts numbered from `first` (an abandoned
   * attempt leaves no row), counted by the message; the last acknowledged with a 2xx, the others retried after a
   * 503 or after no answer in time; the first answered 503 exactly when the receiver refuses the message's first
   * request; the receiver saw at least every answered attempt and no more than all of them.
   */
  function attemptProblem(
    id: string,
    log: Attempt[],
    row: { delivery: string; attempts: number; lease_owner: string | null; next_attempt_at: number | null } | undefined,
    first: number,
  ): string | null {
    const receipts = receiver.receipts.get(id)?.count ?? 0;
    const last = log.at(-1);
    const earlier = log.slice(0, -1);
    const answered = log.filter((a) => a.status !== null).length;
    const wrong =
      row?.delivery !== 'delivered' ||
      row.lease_owner !== null ||
      row.next_attempt_at !== null ||
      Number(row.attempts) !== first - 1 + log.length ||
      log.some((a, i) => a.attempt !== first + i) ||
      last?.outcome !== 'delivered' ||
      last.status === null ||
      last.status < 200 ||
      last.status > 299 ||
      earlier.some((a) => a.outcome !== 'retry' || (a.status !== 503 && a.status !== null)) ||
      (failsFirst(id) ? log[0]?.status === 200 : log.some((a) => a.status === 503)) ||
      receipts < answered ||
      receipts > log.length;
    return wrong ? `${id}: ${JSON.stringify({ log, row, receipts, first })}` : null;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startReceiver({
      answer: (id, nth) => (nth === 1 && failsFirst(id) ? 503 : 200),
      holdMs: () => Math.floor(Math.random() * 8),
      now: () => clock.now(),
    });
    // Three apps on one database, each with its own configuration and connection pool; workers off, so that the
    // only delivery workers are the test's.
    for (let i = 0; i < WORKERS; i++) servers.push(await startServer({ database: db, env, overrides: { clock } }));
    const first = servers[0];
    if (!first) throw new Error('no server');
    for (let d = 0; d < DEVELOPERS; d++) {
      const dev = await first.createDeveloper(`Receiver ${d}`);
      const saved = await first.signed<{ callbackSecret: string }>(dev, 'POST', '/open/message/callback', {
        body: { callbackUrl: receiver.url(String(d)) },
      });
      expect(saved.body.code, saved.text).toBe(200);
      receiver.trust(String(d), saved.body.data.callbackSecret);
      developers.push(dev);
    }
  }, 60_000);

  afterAll(async () => {
    await stopWorkers();
    for (const s of servers) await s.close();
    await receiver?.close();
    await db?.drop();
  }, 60_000);

  it(`deliver ${MESSAGES.toLocaleString('en')} messages written while they run: each once at a time, none lost, in order per object`, async () => {
    startWorkers();
    const t0 = Date.now();
    // Versions of an object are written in order, a batch apart, so that the second is often written while the
    // first is still in flight.
    const items: Omit<Written, 'id'>[] = [];
    for (let o = 0; o < OBJECTS; o++) {
      for (let v = 1; v <= VERSIONS; v++) {
        items.push({ developer: o % DEVELOPERS, objectId: `q1${String(o).padStart(16, '0')}`, version: v });
      }
    }
    const mine = await write(items);
    expect(mine).toHaveLength(MESSAGES);
    await deliverAll(`${MESSAGES} messages`);
    const took = Date.now() - t0;

    const ids = mine.map((m) => m.id);
    const rows = await messageRows(ids);
    expect([...rows.values()].filter((r) => r.delivery !== 'delivered').map((r) => r.id)).toEqual([]);
    expect(rows.size).toBe(MESSAGES);

    // The receiver got every message and nothing else; no message was ever in flight twice at once.
    expect(receiver.problems).toEqual([]);
    expect([...receiver.overlapping]).toEqual([]);
    expect([...sentTwiceAtOnce]).toEqual([]);
    expect(ids.filter((id) => !receiver.receipts.has(id))).toEqual([]);
    expect([...receiver.receipts.keys()].filter((id) => !written.has(id))).toEqual([]);
    // A repeat (the retry after a 503) carries the same body.
    expect([...receiver.receipts].filter(([, r]) => r.bodies.size !== 1).map(([id]) => id)).toEqual([]);
    // Each message went to its own developer's path.
    expect(mine.filter((m) => receiver.receipts.get(m.id)?.path !== String(m.developer)).map((m) => m.id)).toEqual([]);

    // In order per object: version 2 arrived only after version 1 was acknowledged.
    const byObject = new Map<string, Written[]>();
    for (const m of mine) byObject.set(m.objectId, [...(byObject.get(m.objectId) ?? []), m]);
    const early: string[] = [];
    for (const [objectId, versions] of byObject) {
      const [v1, v2] = versions.sort((a, b) => a.version - b.version).map((m) => receiver.receipts.get(m.id));
      if (!v1?.acked || !v2 || v2.firstArrival < v1.acked) early.push(objectId);
    }
    expect(early).toEqual([]);

    // The attempts log tells what the receiver saw: attempts numbered from 1, the last one acknowledged, the others
    // retried after a 503 (or after no answer within CALLBACK_TIMEOUT_MS, on a machine slow enough), the first one
    // answered 503 exactly for the messages the receiver refuses first; the message counts them all.
    const attempts = await attemptRows(ids);
    const inconsistent = ids.flatMap((id) => {
      const problem = attemptProblem(id, attempts.get(id) ?? [], rows.get(id), 1);
      return problem ? [problem] : [];
    });
    expect(inconsistent.slice(0, 5)).toEqual([]);
    const retried = ids.filter(failsFirst).length;
    expect(retried).toBeGreaterThan(MESSAGES * 0.01);
    const timedOut = [...attempts.values()].flat().filter((a) => a.status === null).length;

    // Every worker took part.
    expect(madeBy.size).toBe(WORKERS);
    for (const [owner, n] of madeBy) expect(n, owner).toBeGreaterThan(0);
    console.info(
      `${TEST_DB}: ${MESSAGES} messages (${retried} answered 503 first, ${timedOut} attempts unanswered in time) ` +
        `delivered by ${WORKERS} workers in ${took} ms; ` +
        `attempts per worker: ${[...madeBy.values()].join(', ')}`,
    );
  }, 180_000);

  it("a worker abandoned with its attempts in flight: its messages wait for the lease's end, then the others deliver them", async () => {
    await stopWorkers();
    madeBy.clear();
    const items: Omit<Written, 'id'>[] = [];
    for (let i = 0; i < CRASH_MESSAGES; i++) {
      items.push({ developer: i % DEVELOPERS, objectId: `q1crash${String(i).padStart(11, '0')}`, version: 1 });
    }
    const mine = await write(items);
    const ids = mine.map((m) => m.id);

    // A fourth app's worker claims a batch and sends nothing: its process has died with the attempts in flight.
    const fourth = await startServer({ database: db, env, overrides: { clock } });
    const held = new Set<string>();
    const hanging: ((err: Error) => void)[] = [];
    const abandoned = new DeliveryWorker(takingTurns(fourth.deps), {
      pollMs: 10,
      poolSize: ABANDONED,
      perUrl: ABANDONED,
      post: (_url, headers) => {
        held.add(headers['webhook-id'] ?? '');
        return new Promise((_resolve, reject) => hanging.push(reject));
      },
    });
    const claimedAt = clock.now();
    abandoned.start();
    try {
      await waitFor(() => held.size === ABANDONED, {
        timeoutMs: 20_000,
        message: () => `the fourth worker to claim ${ABANDONED} messages (it has ${held.size})`,
      });
      const heldIds = [...held];
      const leased = await messageRows(heldIds);
      for (const id of heldIds) {
        expect(leased.get(id), id).toMatchObject({
          delivery: 'pending',
          attempts: 1,
          lease_owner: abandoned.owner,
          next_attempt_at: claimedAt + LEASE_MS,
        });
      }

      // The three others deliver the rest and leave the leased ones alone.
      startWorkers();
      const others = ids.filter((id) => !held.has(id));
      await waitFor(
        async () => {
          const rows = await messageRows(others);
          const settled = [...rows.values()].filter(
            (r) =>
              r.delivery === 'delivered' ||
              (r.lease_owner === null && r.next_attempt_at !== null && Number(r.next_attempt_at) > clock.now()),
          );
          return settled.length === others.length;
        },
        { timeoutMs: 60_000, intervalMs: 50, message: 'the messages not held by the fourth worker to be tried' },
      );
      // A moment more, for a wrong claim to show.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heldIds.filter((id) => receiver.receipts.has(id))).toEqual([]);
      expect([...(await messageRows(heldIds)).values()].filter((r) => r.lease_owner !== abandoned.owner)).toEqual([]);

      // The lease ends: the others deliver what the fourth held.
      clock.set(claimedAt + LEASE_MS);
      await deliverAll(`the ${CRASH_MESSAGES} messages of the crash`);

      const rows = await messageRows(ids);
      expect([...rows.values()].filter((r) => r.delivery !== 'delivered').map((r) => r.id)).toEqual([]);
      expect(receiver.problems).toEqual([]);
      expect([...receiver.overlapping]).toEqual([]);
      expect([...sentTwiceAtOnce]).toEqual([]);
      expect(ids.filter((id) => !receiver.receipts.has(id))).toEqual([]);
      expect([...receiver.receipts].filter(([, r]) => r.bodies.size !== 1).map(([id]) => id)).toEqual([]);
      // The abandoned attempt left no row: the log of those messages starts at attempt 2.
      const attempts = await attemptRows(ids);
      const inconsistent = ids.flatMap((id) => {
        const problem = attemptProblem(id, attempts.get(id) ?? [], rows.get(id), held.has(id) ? 2 : 1);
        return problem ? [problem] : [];
      });
      expect(inconsistent.slice(0, 5)).toEqual([]);
      expect(madeBy.size).toBeGreaterThan(0);
    } finally {
      // The abandoned worker's app goes first, so that nothing it does afterwards reaches the database.
      await fourth.close();
      const stopped = abandoned.stop();
      for (const reject of hanging) reject(new Error('the process is gone'));
      await stopped;
    }
  }, 180_000);
});
