import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Executor } from './database.js';
import type { SyncRunner } from './dialect.js';
import type { DB } from './schema.js';

/**
 * A query built and compiled once, then run with new argument values. Building and compiling a
 * Kysely query costs tens of microseconds, more than SQLite takes to run it; the few queries on the
 * path of every signed request use this. The query is compiled with a unique marker in place of
 * each argument, and the markers' positions in the parameter list receive the values of each call.
 */
const syncRunners = new WeakMap<object, SyncRunner>();

/**
 * Lets prepared queries on `db` run synchronously when `run` can (SQLite, connection idle): it
 * saves the queueing and promise layers that dominate a query of a few microseconds.
 */
export function registerSyncRunner(db: Kysely<DB>, run: SyncRunner): void {
  syncRunners.set(db, run);
}

export function prepared<A extends Record<string, string | number | null>, R>(
  build: (db: Kysely<DB>, args: A) => Compilable<R>,
): (executor: Executor, args: A) => Promise<QueryResult<R>> {
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; slots: (keyof A | undefined)[] }>();

  function compile(executor: Executor) {
    const markers = new Proxy({} as A, { get: (_t, name) => `\u0000${String(name)}\u0000` });
    const query = build(executor as Kysely<DB>, markers).compile();
    const slots = query.parameters.map((p) =>
      typeof p === 'string' && p.startsWith('\u0000') && p.endsWith('\u0000') ? (p.slice(1, -1) as keyof A) : undefined,
    );
    return { query, slots };
  }

  return (executor, args) => {
    // Keyed by the executor's query compiler: one compilation per dialect, shared by its transactions.
    const key = executor.getExecutor().adapter;
    let entry = compiled.get(key);
    if (!entry) {
      entry = compile(executor);
      compiled.set(key, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((p, i) => {
      const slot = slots[i];
      return slot === undefined ? p : args[slot];
    });
    const compiledQuery = { ...query, parameters };
    if (!executor.isTransaction) {
      const done = syncRunners.get(executor)?.<R>(compiledQuery);
      if (done) return Promise.resolve(done);
    }
    return executor.executeQuery<R>(compiledQuery);
  };
}
