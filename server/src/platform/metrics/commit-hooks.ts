import type { Database, Executor, Tx } from '../db/database.js';

/**
 * Work to do once a transaction has committed, and never if it rolls back: a counter of things written in a
 * transaction must not count what a rollback undid. `wrap` returns the database whose `transaction` runs the
 * callbacks registered with `after` for its transactions once the commit is done (on SQLite, once the commit group
 * holding the transaction has committed, which is when `transaction` resolves).
 */
export class CommitHooks {
  private readonly open = new WeakMap<Tx, (() => void)[]>();

  /** `database` as it is, except that its transactions run their after-commit callbacks. */
  wrap(database: Database): Database {
    return {
      ...database,
      transaction: async (fn) => {
        const callbacks: (() => void)[] = [];
        const result = await database.transaction((trx) => {
          this.open.set(trx, callbacks);
          return fn(trx);
        });
        for (const callback of callbacks) callback();
        return result;
      },
    };
  }

  /**
   * Runs `callback` once the transaction `db` commits. Outside a transaction (autocommit) it runs at once. A
   * transaction opened otherwise than through the wrapped database's `transaction` is not seen, and `callback` never
   * runs: what it counts is then left out rather than counted before its commit.
   */
  after(db: Executor, callback: () => void): void {
    if (!db.isTransaction) {
      callback();
      return;
    }
    this.open.get(db as Tx)?.push(callback);
  }
}
