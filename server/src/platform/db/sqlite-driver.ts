import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Kysely's SQLite driver, changed in two ways: write transactions start with `BEGIN IMMEDIATE`, so
 * that a transaction takes the write lock up front and waits (busy_timeout) instead of failing with
 * SQLITE_BUSY when it later upgrades from reading to writing; and prepared statements are cached.
 */
class CachedConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (this.statements.size >= 500) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.executeSync<R>(query);
  }

  executeSync<R>(query: CompiledQuery): QueryResult<R> {
    const stmt = this.prepare(query.sql);
    const params = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(params) as R[] };
    const { changes } = stmt.run(params);
    return { numAffectedRows: BigInt(changes), rows: [] };
  }

  // biome-ignore lint/correctness/useYield: streaming is not used; Kysely requires the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on SQLite');
  }
}

/** Serialises use of the single connection (SQLite allows one writer; better-sqlite3 is synchronous). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;
  private holders = 0;

  /** True when nobody holds or waits for the connection. */
  get idle(): boolean {
    return this.holders === 0;
  }

  async lock(): Promise<void> {
    this.holders++;
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.release = release;
  }

  unlock(): void {
    this.holders--;
    const release = this.release;
    this.release = undefined;
    release?.();
  }
}

class ImmediateSqliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly connection: CachedConnection;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly onDestroy?: () => Promise<void>,
  ) {
    this.connection = new CachedConnection(db);
  }

  async init(): Promise<void> {}

  /**
   * Runs a query at once, synchronously, if no one holds or waits for the connection (so it cannot
   * land inside another request's transaction); otherwise returns undefined and the caller queues.
   */
  runIfIdle<R>(query: CompiledQuery): QueryResult<R> | undefined {
    return this.mutex.idle && !this.db.inTransaction ? this.connection.executeSync<R>(query) : undefined;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    // A failed statement may already have ended the transaction (for example SQLITE_FULL).
    if (this.db.inTransaction) await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
  }

  async rollbackToSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`rollback to ${name}`));
  }

  async releaseSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`release ${name}`));
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    await this.onDestroy?.();
    this.db.close();
  }
}

export class ImmediateSqliteDialect implements Dialect {
  private driver: ImmediateSqliteDriver | undefined;

  constructor(
    private readonly db: BetterSqlite3.Database,
    /** Called when the database is closed, before the connection closes. */
    private readonly onDestroy?: () => Promise<void>,
  ) {}
  createDriver(): Driver {
    this.driver = new ImmediateSqliteDriver(this.db, this.onDestroy);
    return this.driver;
  }

  /** See ImmediateSqliteDriver.runIfIdle. */
  runIfIdle<R>(query: CompiledQuery): QueryResult<R> | undefined {
    return this.driver?.runIfIdle<R>(query);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
