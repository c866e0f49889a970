import { Kysely, Migrator, sql, type Transaction } from 'kysely';
import { migrations } from '../../../migrations/index.js';
import { createDialect, type DialectKind, type DialectTarget } from './dialect.js';
import { registerSyncRunner } from './prepared.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;
/** A connection or a transaction: what repository functions take. */
export type Executor = Kysely<DB> | Tx;

export interface Database {
  readonly kind: DialectKind;
  readonly db: Kysely<DB>;
  /**
   * For writes whose loss in a database crash does no harm, committed without waiting for the disk: on PostgreSQL
   * two sessions with `synchronous_commit = off` (docs/adr/0017); on SQLite the one connection (`db`).
   */
  readonly relaxed: Kysely<DB>;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite). */
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openDatabase(target: DialectTarget): Database {
  const { kind, dialect, relaxed: relaxedDialect, syncRunner } = createDialect(target);
  const db = new Kysely<DB>({ dialect });
  if (syncRunner) registerSyncRunner(db, syncRunner);
  const relaxed = relaxedDialect ? new Kysely<DB>({ dialect: relaxedDialect }) : db;
  return {
    kind,
    db,
    relaxed,
    transaction: (fn) => db.transaction().execute(fn),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      if (relaxed !== db) await relaxed.destroy();
      await db.destroy();
    },
  };
}

/** Applies every pending migration; returns the names applied. Safe to run from several processes. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
