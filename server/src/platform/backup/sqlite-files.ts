import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import { BackupError } from './manifest.js';

/** SQLite files in backups and restores: online copies, their checks, and whether a target is in use. */

/** What a backup says of a database it copied. */
export interface DatabaseContents {
  /** Rows per table. */
  tables: Record<string, number>;
  /** Kysely's record of the migrations applied (empty for a store that has none, such as the sandbox's). */
  migrations: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The backup API copies a given number of pages per step, and a write by another connection between two steps makes
 * it start over: under steady writes a copy in small steps may never end. All pages in one step is one read
 * transaction, a consistent snapshot that writers (WAL) do not wait for.
 */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database `src` into the new file `dest` while other connections and processes read and write it
 * (better-sqlite3's online backup), then makes the copy a single self-contained file (no WAL) and checks it with
 * `PRAGMA integrity_check`.
 */
export async function snapshotSqlite(src: string, dest: string): Promise<DatabaseContents> {
  const source = new Sqlite(src, { fileMustExist: true, timeout: 15_000 });
  try {
    await source.backup(dest, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  const copy = new Sqlite(dest, { fileMustExist: true });
  try {
    // The copy carries the source's WAL flag; a rollback journal leaves nothing beside the file once it is closed.
    copy.pragma('journal_mode = DELETE');
    const problems = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupError(`the copy of ${src} failed its integrity check: ${problems.slice(0, 5).join('; ')}`);
    }
    return contentsOf(copy);
  } finally {
    copy.close();
  }
}

function contentsOf(db: Sqlite.Database): DatabaseContents {
  const names = db
    .prepare(
      `select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`,
    )
    .pluck()
    .all() as string[];
  const tables: Record<string, number> = {};
  for (const name of names) {
    tables[name] = Number(
      db
        .prepare(`select count(*) from ${quote(name)}`)
        .pluck()
        .get(),
    );
  }
  const migrations = names.includes('kysely_migration')
    ? (db.prepare('select name from kysely_migration order by name').pluck().all() as string[])
    : [];
  return { tables, migrations };
}

/** Rows per table and migrations of an SQLite file nobody else uses (a copy being restored). */
export function readSqliteContents(file: string): DatabaseContents {
  const db = new Sqlite(file, { fileMustExist: true, readonly: true });
  try {
    return contentsOf(db);
  } finally {
    db.close();
  }
}

const isNotADatabase = (err: unknown) => (err as { code?: string }).code === 'SQLITE_NOTADB';

/** Whether the file exists and holds something: at least one table, or bytes that are not an SQLite database. */
export function sqliteHasTables(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  try {
    const db = new Sqlite(file, { fileMustExist: true, timeout: 1000 });
    try {
      return db.prepare(`select count(*) from sqlite_master where type = 'table'`).pluck().get() !== 0;
    } finally {
      db.close();
    }
  } catch (err) {
    if (isNotADatabase(err)) return true;
    throw err;
  }
}

/**
 * Refuses when another connection has the SQLite file open. Replacing a database under a running server would be
 * silent loss: the server keeps its handle to the old file and goes on writing into it after the restore. So more
 * than a writer's lock is checked: an exclusive lock (exclusive locking mode, `BEGIN EXCLUSIVE` with a short busy
 * timeout) is refused while any connection of any process holds the file open in WAL mode, idle or not.
 */
export function assertNotInUse(file: string): void {
  if (!fs.existsSync(file)) return;
  const db = new Sqlite(file, { fileMustExist: true, timeout: 250 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch (err) {
    // Not a database: no SQLite connection can have it open, and only --force replaces it.
    if (isNotADatabase(err)) return;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BackupError(
        `${file} is in use by another process (a running ponte serve?): stop every server of this deployment, then restore`,
      );
    }
    throw err;
  } finally {
    db.close();
  }
}
