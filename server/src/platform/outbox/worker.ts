import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { lockSkipLocked } from '../db/dialect.js';
import type { OutboxTable } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { randomHex32 } from '../ids.js';
import { purgeExpired } from '../maintenance.js';
import { DEFAULT_MAX_ATTEMPTS, defaultBackoffMs } from './outbox.js';
import type { HandlerOptions } from './registry.js';

export type OutboxRow = Selectable<OutboxTable>;

/**
 * Ids of rows that are pending, due, not leased to a live worker, and first of their ordering key:
 * a row waits while an older row of its key is pending (even leased or backing off) or dead.
 */
function dueIds(db: Executor, now: number) {
  return db
    .selectFrom('outbox as o')
    .select('o.id')
    .where('o.status', '=', 'pending')
    .where('o.available_at', '<=', now)
    .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<', now)]))
    .where((eb) =>
      eb.or([
        eb('o.ordering_key', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox as p')
              .select('p.id')
              .whereRef('p.ordering_key', '=', 'o.ordering_key')
              .where('p.status', 'in', ['pending', 'dead'])
              .where((older) =>
                older.or([
                  older('p.created_at', '<', older.ref('o.created_at')),
                  older.and([
                    older('p.created_at', '=', older.ref('o.created_at')),
                    older('p.id', '<', older.ref('o.id')),
                  ]),
                ]),
              ),
          ),
        ),
      ]),
    );
}

/** The worker lost its lease on a row while handling it (another worker took it over). */
class LeaseLost extends Error {
  constructor(id: string) {
    super(`lease on outbox row ${id} was lost while it was handled`);
  }
}

export interface WorkerOptions {
  /** Identifies this worker in `lease_owner`. */
  owner?: string;
  batchSize?: number;
  /** How long a claim holds its rows; a crashed worker's rows are claimed again after it. */
  leaseMs?: number;
  /** Sleep between polls when there is nothing to do. */
  pollMs?: number;
}

/**
 * Claims due outbox rows with a lease and runs the registered handler of each. Rows are claimed in
 * one transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write lock on SQLite), so
 * several workers never hold the same row at once.
 */
export class OutboxWorker {
  readonly owner: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly deps: AppDeps,
    options: WorkerOptions = {},
  ) {
    this.owner = options.owner ?? `worker-${process.pid}-${randomHex32().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 250;
  }

  /** Claims up to one batch of due rows for this worker. */
  async claim(): Promise<OutboxRow[]> {
    const { database, clock } = this.deps;
    const now = clock.now();
    // A plain read first: an idle poll takes no write lock (on SQLite, BEGIN IMMEDIATE would).
    const anyDue = await dueIds(database.db, now).limit(1).executeTakeFirst();
    if (!anyDue) return [];
    return database.transaction(async (trx) => {
      const due = await lockSkipLocked(
        database.kind,
        dueIds(trx, now).orderBy('o.available_at').limit(this.batchSize),
      ).execute();
      if (due.length === 0) return [];
      const ids = due.map((r) => r.id);
      await trx
        .updateTable('outbox')
        .set({ lease_owner: this.owner, lease_until: now + this.leaseMs, attempts: sql`attempts + 1`, updated_at: now })
        .where('id', 'in', ids)
        .execute();
      return trx.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('available_at').execute();
    });
  }

  /** Runs one row's handler and records the outcome (done, retry later, or dead). */
  async process(row: OutboxRow): Promise<void> {
    const registered = this.deps.outbox.get(row.event_type);
    let error: string | undefined;
    try {
      if (!registered) throw new Error(`no handler registered for ${row.event_type}`);
      const event = { id: row.id, type: row.event_type, payload: JSON.parse(row.payload), attempt: row.attempts };
      if (registered.options.transactional) {
        await this.deps.database.transaction(async (trx) => {
          await registered.handler(event, this.deps, trx);
          if (!(await this.markDone(trx, row))) throw new LeaseLost(row.id);
        });
        return;
      }
      await registered.handler(event, this.deps, this.deps.database.db);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (error === undefined) {
      await this.markDone(this.deps.database.db, row);
      return;
    }
    await this.markFailed(row, error, registered?.options);
  }

  /** Marks a row done if this worker still holds it; false when its lease was lost. */
  private async markDone(db: Executor, row: OutboxRow): Promise<boolean> {
    const now = this.deps.clock.now();
    const r = await db
      .updateTable('outbox')
      .set({ status: 'done', lease_owner: null, lease_until: null, last_error: null, updated_at: now })
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private async markFailed(row: OutboxRow, error: string, options: HandlerOptions | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const max = options?.maxAttempts ?? row.max_attempts ?? DEFAULT_MAX_ATTEMPTS;
    const dead = row.attempts >= max;
    const backoff = options?.backoffMs ?? defaultBackoffMs;
    this.deps.log.warn(
      { outboxId: row.id, type: row.event_type, attempt: row.attempts, dead, error },
      'outbox handler failed',
    );
    await this.deps.database.db
      .updateTable('outbox')
      .set({
        status: dead ? 'dead' : 'pending',
        available_at: dead ? row.available_at : now + backoff(row.attempts),
        lease_owner: null,
        lease_until: null,
        last_error: error.slice(0, 2000),
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.owner)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Claims one batch and processes it; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    const rows = await this.claim();
    await Promise.all(rows.map((r) => this.process(r)));
    return rows.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.runOnce();
        } catch (err) {
          this.deps.log.error({ err }, 'outbox claim failed');
        }
        if (handled === 0 && this.running) await this.sleep(this.pollMs);
      }
    })();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** Stops after the batch in hand; its rows are finished, not abandoned. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}

/** The background work of one process: the outbox worker and the periodic purge of expired rows. */
export function startWorkers(
  deps: AppDeps,
  options: WorkerOptions = {},
): { worker: OutboxWorker; stop(): Promise<void> } {
  const worker = new OutboxWorker(deps, options);
  worker.start();
  const purge = () =>
    purgeExpired(deps).catch((err: unknown) => deps.log.error({ err }, 'purge of expired rows failed'));
  const timer = setInterval(purge, 60_000);
  timer.unref();
  void purge();
  return {
    worker,
    async stop() {
      clearInterval(timer);
      await worker.stop();
    },
  };
}
