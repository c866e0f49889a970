/**
 * Everything that differs between SQLite and PostgreSQL lives in this file: opening a connection,
 * type parsing, unique-violation detection and row locking for claims.
 */
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import {
  type CompiledQuery,
  type Dialect,
  type DialectAdapter,
  type Kysely,
  PostgresDialect,
  type QueryExecutorProvider,
  type QueryResult,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { PreparingClient } from './pg-client.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { GroupCommitSqliteDialect } from './sqlite-driver.js';

export type DialectKind = 'sqlite' | 'postgres';

export interface DialectTarget {
  databaseUrl: string | undefined;
  sqliteFile: string;
  dbPoolSize: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Runs a compiled query at once when the connection allows it (see prepared.ts), else returns undefined. */
export type SyncRunner = <R>(query: CompiledQuery) => QueryResult<R> | undefined;

/** A pg pool on the target's database; `options` are server settings for its sessions (`-c name=value`). */
function postgresPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: url,
    max,
    ...(options ? { options } : {}),
    // bigint columns hold epoch milliseconds and counters, all below 2^53: read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests see their own errors.
  });
  return pool;
}

export function createDialect(target: DialectTarget): {
  kind: DialectKind;
  dialect: Dialect;
  /**
   * PostgreSQL: two sessions whose commits do not wait for the WAL to reach the disk (`synchronous_commit = off`),
   * for writes that may be lost in a server crash (the nonces of signed requests; docs/adr/0017).
   */
  relaxed?: Dialect;
  syncRunner?: SyncRunner;
} {
  if (target.databaseUrl) {
    const pool = postgresPool(target.databaseUrl, target.dbPoolSize);
    const stats = (): ConnectionStats => ({
      kind: 'postgres',
      clients: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    });
    const relaxed = postgresPool(target.databaseUrl, 2, '-c synchronous_commit=off');
    return {
      kind: 'postgres',
      dialect: withStats(new PostgresDialect({ pool }), stats),
      relaxed: new PostgresDialect({ pool: relaxed }),
    };
  }
  if (target.sqliteFile !== ':memory:') fs.mkdirSync(path.dirname(target.sqliteFile), { recursive: true });
  const db = new Sqlite(target.sqliteFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 15000');
  db.pragma('foreign_keys = ON');
  // 64 MiB of page cache per connection (the default is 2 MiB): the nonce index takes random inserts.
  db.pragma('cache_size = -65536');
  // Savepoints (each transaction of a commit group, each ledger posting) journal the pages they change:
  // in memory, not in a temporary file.
  db.pragma('temp_store = MEMORY');
  if (target.sqliteFile === ':memory:') {
    const dialect = new GroupCommitSqliteDialect(db);
    return {
      kind: 'sqlite',
      dialect: withStats(dialect, sqliteStats(dialect)),
      syncRunner: (q) => dialect.runIfIdle(q),
    };
  }
  // Checkpoints run in a worker thread; the automatic one stays as a fallback, far less often.
  db.pragma('wal_autocheckpoint = 20000');
  const checkpointer = startCheckpointer(target.sqliteFile);
  const dialect = new GroupCommitSqliteDialect(db, { onDestroy: () => checkpointer.stop() });
  return { kind: 'sqlite', dialect: withStats(dialect, sqliteStats(dialect)), syncRunner: (q) => dialect.runIfIdle(q) };
}

/** What a database's connections are doing, for metrics: the pg pool's clients, or SQLite's group commits. */
export type ConnectionStats =
  | { kind: 'postgres'; clients: number; idle: number; waiting: number }
  /** Group commits (ADR 0012): physical transactions, and the transactions and writes that ended in them. */
  | { kind: 'sqlite'; groups: number; units: number };

/**
 * The stats of each database opened here, found by its Kysely adapter: the one part of its dialect that a Kysely
 * instance shows (`getExecutor().adapter`, the same object in its transactions).
 */
const statsByAdapter = new WeakMap<DialectAdapter, () => ConnectionStats>();

/** The connection stats of a database opened by createDialect; undefined for any other. Reads, changes nothing. */
// biome-ignore lint/suspicious/noExplicitAny: any database's Kysely instance
export function connectionStats(db: Kysely<any>): ConnectionStats | undefined {
  return statsByAdapter.get(db.getExecutor().adapter)?.();
}

function sqliteStats(dialect: GroupCommitSqliteDialect): () => ConnectionStats {
  return () => ({ kind: 'sqlite', ...dialect.stats() });
}

/** `dialect` as it is, its adapter registered for connectionStats. */
function withStats(dialect: Dialect, stats: () => ConnectionStats): Dialect {
  return {
    createDriver: () => dialect.createDriver(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createAdapter: () => {
      const adapter = dialect.createAdapter();
      statsByAdapter.set(adapter, stats);
      return adapter;
    },
  };
}

/** True when the error is a unique or primary-key violation. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Locks the selected rows for a claim, skipping rows another transaction holds (PostgreSQL).
 * SQLite needs nothing: its write transactions (BEGIN IMMEDIATE) already run one at a time.
 */
export function lockSkipLocked<DB, TB extends keyof DB, O>(
  kind: DialectKind,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return kind === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/** The smaller of two numbers in SQL: `least` on PostgreSQL, the two-argument `min` on SQLite. */
export function least(
  kind: DialectKind,
  a: RawBuilder<number> | number,
  b: RawBuilder<number> | number,
): RawBuilder<number> {
  return kind === 'postgres' ? sql<number>`least(${a}, ${b})` : sql<number>`min(${a}, ${b})`;
}

/**
 * Serialises a transaction with every other one that takes the same lock, until it ends: a
 * transaction-scoped advisory lock on PostgreSQL; nothing on SQLite, whose write transactions
 * (BEGIN IMMEDIATE) already run one at a time.
 */
export async function lockTransaction(kind: DialectKind, trx: Transaction<unknown>, lockId: number): Promise<void> {
  if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${lockId})`.execute(trx);
}

/**
 * Serialises a transaction with every other one that takes the lock of the same name until it ends (`lockTransaction`
 * under a number made of the name: FNV-1a of it, above `base`, so that each kind of lock keeps its own range).
 */
export async function lockName(
  kind: DialectKind,
  trx: QueryExecutorProvider,
  base: number,
  name: string,
): Promise<void> {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193);
  await lockTransaction(kind, trx as Transaction<unknown>, base + (h >>> 0));
}

/**
 * Locks one row for the rest of the transaction (`SELECT … FOR UPDATE` on PostgreSQL), so that
 * transactions that read several rows and write a result derived from them (an order's status from its
 * parts') take turns. SQLite needs nothing: its write transactions run one at a time.
 */
export async function lockRow(
  kind: DialectKind,
  trx: QueryExecutorProvider,
  table: string,
  column: string,
  value: string,
): Promise<void> {
  if (kind === 'postgres')
    await sql`select 1 from ${sql.table(table)} where ${sql.ref(column)} = ${value} for update`.execute(trx);
}
