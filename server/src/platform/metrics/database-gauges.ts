import { sql } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { connectionStats } from '../db/dialect.js';

/**
 * The gauges read when scraped: the outbox's and the callback queue's depth and age from the database, and the
 * connections of this process. What is read from the database is the same in every process of a deployment, so those
 * gauges take the first process's value when the processes' metrics are aggregated (cluster.ts) instead of a sum;
 * the connections are each process's own and add up.
 */
export function registerDatabaseGauges(
  registry: Registry,
  options: {
    database: Database;
    clock: Clock;
    /** The outbox's handled types (OutboxRegistry.types): each is a topic, reported even with nothing pending. */
    topics: () => string[];
    log: { warn(fields: object, message: string): void };
  },
): void {
  const { database, clock, topics, log } = options;
  const registers = [registry];
  const readOrWarn = <T>(what: string, read: () => Promise<T>) =>
    shared(async () => {
      try {
        return await read();
      } catch (err) {
        log.warn({ err }, `metrics: reading ${what} failed`);
        return undefined;
      }
    });

  const outbox = readOrWarn('the outbox', () => readOutbox(database, clock.now()));
  /** Sets one value per topic, every registered topic included (0), from a read of the outbox. */
  const perTopic = (pick: (snapshot: OutboxSnapshot) => Map<string, number>) =>
    async function collect(this: Gauge<'topic'>) {
      const snapshot = await outbox();
      this.reset();
      if (!snapshot) return;
      for (const topic of topics()) this.set({ topic }, 0);
      for (const [topic, value] of pick(snapshot)) this.set({ topic }, value);
    };
  new Gauge({
    name: 'ponte_outbox_pending',
    help: 'Outbox rows waiting to be handled (pending: due, scheduled for later, or being handled), by topic',
    labelNames: ['topic'],
    registers,
    aggregator: 'first',
    collect: perTopic((s) => s.pending),
  });
  new Gauge({
    name: 'ponte_outbox_oldest_pending_age_seconds',
    help: 'How long the longest-waiting pending row of a topic has been due (0 when none is due yet)',
    labelNames: ['topic'],
    registers,
    aggregator: 'first',
    collect: perTopic((s) => s.overdueSeconds),
  });
  new Gauge({
    name: 'ponte_outbox_dead',
    help: 'Outbox rows that failed every attempt (dead letters waiting for the operator), by topic',
    labelNames: ['topic'],
    registers,
    aggregator: 'first',
    collect: perTopic((s) => s.dead),
  });

  const messages = readOrWarn('the callback queue', () => readCallbackQueue(database, clock.now()));
  /** A gauge of the callback queue, set from one read shared by the scrape. */
  const queueGauge = (
    name: string,
    help: string,
    pick: (q: NonNullable<Awaited<ReturnType<typeof messages>>>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers,
      aggregator: 'first',
      async collect() {
        const snapshot = await messages();
        this.reset();
        if (snapshot) this.set(pick(snapshot));
      },
    });
  queueGauge(
    'ponte_callback_messages_pending',
    'Callback messages waiting for delivery (due, retrying later, or being sent)',
    (q) => q.pending,
  );
  queueGauge(
    'ponte_callback_oldest_due_age_seconds',
    'How long the most overdue pending callback message has been due (0 when none is overdue)',
    (q) => q.overdueSeconds,
  );

  new Gauge({
    name: 'ponte_database_info',
    help: 'The main database: sqlite or postgres (always 1)',
    labelNames: ['kind'],
    registers,
    aggregator: 'first',
  }).set({ kind: database.kind }, 1);
  registerConnectionGauges(registry, database);
}

/** The pg pool's clients (PostgreSQL), or the group commits of the SQLite connection. */
function registerConnectionGauges(registry: Registry, database: Database): void {
  const registers = [registry];
  const stats = () => connectionStats(database.db);
  if (database.kind === 'postgres') {
    const pool = (
      name: string,
      help: string,
      pick: (s: { clients: number; idle: number; waiting: number }) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const s = stats();
          this.reset();
          if (s?.kind === 'postgres') this.set(pick(s));
        },
      });
    pool('ponte_database_pool_clients', "Connections open in this process's PostgreSQL pool", (s) => s.clients);
    pool('ponte_database_pool_idle_clients', 'Pool connections open and not in use', (s) => s.idle);
    pool(
      'ponte_database_pool_waiting_requests',
      'Queries and transactions waiting for a pool connection',
      (s) => s.waiting,
    );
    return;
  }
  // SQLite: writes share commits (ADR 0012). Units per group tell how much the sharing saves; groups per second how
  // busy the one write connection is.
  const total = (name: string, help: string, pick: (s: { groups: number; units: number }) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        const s = stats();
        this.reset();
        if (s?.kind === 'sqlite') this.inc(pick(s));
      },
    });
  total(
    'ponte_sqlite_commit_groups_total',
    'Physical SQLite transactions (commit groups) of this process',
    (s) => s.groups,
  );
  total(
    'ponte_sqlite_commit_units_total',
    'Transactions and writes that ended in those commit groups (each under its own savepoint)',
    (s) => s.units,
  );
}

interface OutboxSnapshot {
  pending: Map<string, number>;
  overdueSeconds: Map<string, number>;
  dead: Map<string, number>;
}

/** Two grouped reads over the `outbox_claim` index (status, available_at): pending and dead rows are few. */
async function readOutbox(database: Database, now: number): Promise<OutboxSnapshot> {
  const { db } = database;
  const pending = await db
    .selectFrom('outbox')
    .select((eb) => ['event_type', eb.fn.countAll<number>().as('n'), eb.fn.min('available_at').as('due')])
    .where('status', '=', 'pending')
    .groupBy('event_type')
    .execute();
  const dead = await db
    .selectFrom('outbox')
    .select((eb) => ['event_type', eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'dead')
    .groupBy('event_type')
    .execute();
  return {
    pending: new Map(pending.map((r) => [r.event_type, Number(r.n)])),
    overdueSeconds: new Map(pending.map((r) => [r.event_type, Math.max(0, now - Number(r.due)) / 1000])),
    dead: new Map(dead.map((r) => [r.event_type, Number(r.n)])),
  };
}

/**
 * The callback queue from the partial index `messages_due` alone (its condition written as a literal, so that the
 * planner knows the index covers the query, as in delivery.ts): a count, and the earliest `next_attempt_at`.
 */
async function readCallbackQueue(
  database: Database,
  now: number,
): Promise<{ pending: number; overdueSeconds: number }> {
  const row = await database.db
    .selectFrom('messages')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('next_attempt_at').as('due')])
    .where(sql<boolean>`delivery = 'pending'`)
    .executeTakeFirstOrThrow();
  const due = row.due === null ? now : Number(row.due);
  return { pending: Number(row.n), overdueSeconds: Math.max(0, now - due) / 1000 };
}

/** One read for the callers of one scrape: they call together, and share the read in flight. */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
