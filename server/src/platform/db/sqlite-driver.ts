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
 * Kysely's SQLite driver, rewritten for a server that writes from many concurrent requests through one
 * connection (docs/adr/0012-sqlite-group-commit.md):
 *
 * - **Group commit.** Writes are serial on SQLite; what costs is the commit, which appends every page
 *   the transaction changed to the WAL. A transaction (or a write outside one) is a *unit*: when it
 *   ends while other units wait for the connection, the physical transaction stays open and the next
 *   unit runs inside it, under a savepoint of its own, up to `maxUnits` units. The group commits when
 *   no unit waits (or the cap is reached); each unit's promise settles only then, so nothing is
 *   acknowledged before it is durable, and a group whose commit fails fails every unit in it. A unit
 *   that rolls back undoes only its savepoint. Units of a group run one after another and see the
 *   ones before them, as consecutive transactions would.
 * - **Reads see committed data.** A read outside a transaction while no group is open runs at once; one
 *   that finds a group open runs in it, as a unit, and gets its rows when the group has committed. (A
 *   second, read-only connection for such reads was tried: in WAL mode it drops its page cache after
 *   every commit of the writer, and cost as much as it saved.)
 * - Write transactions start with `BEGIN IMMEDIATE`, so a transaction takes the write lock up front and
 *   waits (busy_timeout) instead of failing with SQLITE_BUSY when it later upgrades from reading.
 * - Prepared statements are cached per connection.
 */

/** Prepared statements of one connection, by SQL text. */
class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly db: BetterSqlite3.Database) {}

  get(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (this.statements.size >= 500) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  run<R>(query: CompiledQuery, stmt = this.get(query.sql)): QueryResult<R> {
    const params = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(params) as R[] };
    const { changes } = stmt.run(params);
    return { numAffectedRows: BigInt(changes), rows: [] };
  }

  exec(sql: string): void {
    this.get(sql).run();
  }
}

/** Serialises use of the write connection. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;
  private holders = 0;

  /** True when nobody holds or waits for the connection. */
  get idle(): boolean {
    return this.holders === 0;
  }

  /** How many wait for the connection besides its holder. */
  get waiting(): number {
    return Math.max(0, this.holders - 1);
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

/** One physical transaction shared by consecutive units. */
class Group {
  units = 0;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Units that did not wait for it (they failed on their own) leave no unhandled rejection behind.
    this.done.catch(() => {});
  }
}

/** What Kysely holds between acquiring and releasing a connection: one use, by one caller. */
class Session implements DatabaseConnection {
  /** Holds the write connection's lock. */
  locked = false;
  /** Inside a transaction (between BEGIN and COMMIT or ROLLBACK). */
  inTransaction = false;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  // biome-ignore lint/correctness/useYield: streaming is not used; Kysely requires the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on SQLite');
  }
}

const UNIT_SAVEPOINT = 'ponte_unit';

export interface GroupCommitStats {
  /** Physical transactions committed (or rolled back as a whole). */
  groups: number;
  /** Units (transactions and writes outside one) that ended in them. */
  units: number;
}

export interface SqliteDriverOptions {
  /** The most units one physical transaction holds (1 turns group commit off). */
  maxUnits?: number;
  /** Called when the database is closed, before the connections close. */
  onDestroy?: () => Promise<void>;
}

class GroupCommitSqliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly writer: StatementCache;
  private readonly maxUnits: number;
  private group: Group | undefined;
  /** Sessions not in use (Kysely remembers every connection object it was given: reuse them). */
  private readonly free: Session[] = [];
  readonly stats: GroupCommitStats = { groups: 0, units: 0 };

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly options: SqliteDriverOptions,
  ) {
    this.writer = new StatementCache(db);
    this.maxUnits = Math.max(1, options.maxUnits ?? 16);
  }

  async init(): Promise<void> {}

  /**
   * Runs a read at once, synchronously, when nobody holds or waits for the connection and no group is
   * open (so that it sees only committed data). Otherwise, and for every write, returns undefined and the
   * caller goes the asynchronous way: a write run here would be a transaction and a commit of its own,
   * while as a unit it shares the commit of a group with the writes of other requests of the same turn
   * of the event loop (measured on the pay path: each `Idempotency-Key` reservation was a commit of its
   * own, about a third of all commits).
   */
  runIfIdle<R>(query: CompiledQuery): QueryResult<R> | undefined {
    if (!this.mutex.idle || this.group || this.db.inTransaction) return undefined;
    const stmt = this.writer.get(query.sql);
    // A write run here would commit on its own; as a unit it shares the commit of a group.
    if (!stmt.readonly) return undefined;
    return this.writer.run<R>(query, stmt);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.free.pop() ?? new Session(this);
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const session = conn as Session;
    if (session.locked) {
      // A unit that ended without committing its group or handing it on (an error on the way): commit
      // what the group holds, so that no unit waits for ever.
      try {
        if (this.group) this.commitGroup();
      } catch {
        // The group's units learn of the failure through it.
      } finally {
        this.unlock(session);
      }
    }
    session.inTransaction = false;
    this.free.push(session);
  }

  async execute<R>(session: Session, query: CompiledQuery): Promise<QueryResult<R>> {
    if (session.inTransaction) return this.writer.run<R>(query);
    const stmt = this.writer.get(query.sql);
    await this.lock(session);
    // A read with no group open reads committed data: nothing to share or wait for.
    if (stmt.readonly && !this.group) return this.writer.run<R>(query, stmt);
    // A write outside a transaction is a unit of its own; so is a read while a group is open: it sees the
    // group's writes, and its rows are answered once they are committed.
    this.openGroup();
    let result: QueryResult<R>;
    try {
      result = this.writer.run<R>(query, stmt);
    } catch (err) {
      // SQLite undid the statement; the group goes on, unless SQLite ended the transaction.
      this.endUnit(session, false);
      throw err;
    }
    await this.endUnit(session, true);
    return result;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    const session = conn as Session;
    await this.lock(session);
    this.openGroup();
    this.writer.exec(`savepoint ${UNIT_SAVEPOINT}`);
    session.inTransaction = true;
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const session = conn as Session;
    session.inTransaction = false;
    this.writer.exec(`release ${UNIT_SAVEPOINT}`);
    await this.endUnit(session, true);
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    const session = conn as Session;
    // Also called after a commit that failed: the unit has ended then.
    if (!session.inTransaction) return;
    session.inTransaction = false;
    if (this.db.inTransaction) {
      this.writer.exec(`rollback to ${UNIT_SAVEPOINT}`);
      this.writer.exec(`release ${UNIT_SAVEPOINT}`);
    }
    await this.endUnit(session, false);
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

  async destroy(): Promise<void> {
    await this.options.onDestroy?.();
    this.db.close();
  }

  private async lock(session: Session): Promise<void> {
    // A session that keeps the connection (Kysely's `connection()`) runs its next unit at once.
    if (session.locked) return;
    await this.mutex.lock();
    session.locked = true;
  }

  private unlock(session: Session): void {
    session.locked = false;
    this.mutex.unlock();
  }

  private openGroup(): void {
    if (this.group && this.db.inTransaction) return;
    // A group whose transaction SQLite ended (an I/O error, a full disk) fails its units.
    if (this.group) this.failGroup(new Error('SQLite ended the transaction of a commit group'));
    this.writer.exec('begin immediate');
    this.group = new Group();
  }

  /**
   * A unit has ended (committed its savepoint, or rolled it back). While others wait and the group has
   * room, the group stays open for them and a committed unit waits for the group's commit; otherwise
   * the group commits now. `wait` is false for a unit that failed: its outcome is final already.
   */
  private async endUnit(session: Session, wait: boolean): Promise<void> {
    const group = this.group;
    if (!group) return;
    if (!this.db.inTransaction) {
      this.failGroup(new Error('SQLite ended the transaction of a commit group'));
      return;
    }
    group.units++;
    if (this.mutex.waiting > 0 && group.units < this.maxUnits) {
      this.unlock(session);
      if (wait) await group.done;
      return;
    }
    if (wait) this.commitGroup();
    else {
      try {
        this.commitGroup();
      } catch {
        // The units that committed learn it through the group; this one failed on its own already.
      }
    }
  }

  /** Commits the open group and settles its units; a failed commit rolls back and fails them all. */
  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    this.stats.groups++;
    this.stats.units += group.units;
    try {
      if (this.db.inTransaction) this.writer.exec('commit');
      else throw new Error('SQLite ended the transaction of a commit group');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('rollback');
      group.reject(err);
      throw err;
    }
    group.resolve();
  }

  private failGroup(err: unknown): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    this.stats.groups++;
    this.stats.units += group.units;
    group.reject(err);
  }
}

export class GroupCommitSqliteDialect implements Dialect {
  private driver: GroupCommitSqliteDriver | undefined;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly options: SqliteDriverOptions = {},
  ) {}

  createDriver(): Driver {
    this.driver = new GroupCommitSqliteDriver(this.db, this.options);
    return this.driver;
  }

  /** See GroupCommitSqliteDriver.runIfIdle. */
  runIfIdle<R>(query: CompiledQuery): QueryResult<R> | undefined {
    return this.driver?.runIfIdle<R>(query);
  }

  /** How many commits the units shared (for tests and metrics). */
  stats(): GroupCommitStats {
    return this.driver ? { ...this.driver.stats } : { groups: 0, units: 0 };
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
