import type { Database } from '../db/database.js';
import type { ChangeFeed } from './change-feed.js';
import { PostgresChangeFeed } from './postgres-feed.js';
import { SqliteChangeFeed } from './sqlite-feed.js';

export type { ChangeFeed, ChangeListener } from './change-feed.js';

/** The change feed of the deployment's database. */
export function createChangeFeed(
  database: Database,
  options: { databaseUrl: string | undefined; pollMs: number; now: () => number; onError?: (err: unknown) => void },
): ChangeFeed {
  if (database.kind === 'postgres' && options.databaseUrl) {
    return new PostgresChangeFeed(options.databaseUrl, options.onError);
  }
  return new SqliteChangeFeed(database, options.pollMs, options.now);
}
