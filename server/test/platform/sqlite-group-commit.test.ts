import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect } from '../../src/platform/db/sqlite-driver.js';

// The SQLite driver's group commit (docs/adr/0012-sqlite-group-commit.md), on a file of its own: units that
// wait for the connection share one physical transaction, each under its own savepoint, and none is
// answered before the group has committed.

interface Tables {
  items: { id: number; note: string };
}

let dir: string;
let file: string;
let dialect: GroupCommitSqliteDialect;
let db: Kysely<Tables>;
/** Another connection to the file: what is committed, and only that. */
let observer: Sqlite.Database;

function open(maxUnits?: number) {
  const conn = new Sqlite(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('temp_store = MEMORY');
  dialect = new GroupCommitSqliteDialect(conn, maxUnits ? { maxUnits } : {});
  db = new Kysely<Tables>({ dialect });
}

const committed = (id: number) =>
  observer.prepare('select count(*) as n from items where id = ?').get(id) as { n: number };
const committedIds = () =>
  (observer.prepare('select id from items order by id').all() as { id: number }[]).map((r) => r.id);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-group-commit-'));
  file = path.join(dir, 'g.db');
  open();
  await sql`create table items (id integer primary key, note text not null)`.execute(db);
  observer = new Sqlite(file, { readonly: true });
});

afterEach(async () => {
  observer.close();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('lets concurrent transactions share commits, and answers each only once its rows are committed', async () => {
    const before = dialect.stats();
    const seenAtAnswer: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            await trx.insertInto('items').values({ id: i, note: 'a' }).execute();
            await trx.updateTable('items').set({ note: 'b' }).where('id', '=', i).execute();
          })
          .then(() => seenAtAnswer.push(committed(i).n)),
      ),
    );
    expect(seenAtAnswer).toEqual(Array(40).fill(1));
    expect(committedIds()).toHaveLength(40);
    const after = dialect.stats();
    expect(after.units - before.units).toBe(40);
    // 40 units in at most 16 a group: at least 3 commits, and far fewer than 40.
    expect(after.groups - before.groups).toBeGreaterThanOrEqual(3);
    expect(after.groups - before.groups).toBeLessThan(20);
  });

  it('undoes only the unit that failed: the others of its group commit', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map((id) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('items').values({ id, note: 'x' }).execute();
          if (id === 2) throw new Error('unit 2 fails');
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedIds()).toEqual([1, 3]);
  });

  it('keeps a failed write outside a transaction from touching the rest of its group', async () => {
    await db.insertInto('items').values({ id: 7, note: 'first' }).execute();
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('items').values({ id: 8, note: 'x' }).execute()),
      db.insertInto('items').values({ id: 7, note: 'duplicate' }).execute(),
      db.insertInto('items').values({ id: 9, note: 'x' }).execute(),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedIds()).toEqual([7, 8, 9]);
  });

  it('answers no unit before the group commits, and a read in a group sees it only once committed', async () => {
    const holdSecond = deferred();
    const order: string[] = [];
    const first = db
      .transaction()
      .execute((trx) => trx.insertInto('items').values({ id: 1, note: 'first' }).execute())
      .then(() => order.push('first answered'));
    const second = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 2, note: 'second' }).execute();
      order.push('second waits');
      await holdSecond.promise;
    });
    // A read queued while the group is open: it runs in the group, after the second unit.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const read = db
      .selectFrom('items')
      .select('id')
      .orderBy('id')
      .execute()
      .then((rows) => {
        order.push('read answered');
        return rows.map((r) => r.id);
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first unit ended long ago, but its group is still open: nothing answered, nothing committed.
    expect(order).toEqual(['second waits']);
    expect(committedIds()).toEqual([]);
    holdSecond.resolve();
    await Promise.all([first, second]);
    expect(await read).toEqual([1, 2]);
    expect(committedIds()).toEqual([1, 2]);
    expect(order.slice(1).sort()).toEqual(['first answered', 'read answered']);
  });

  it('fails every unit of a group whose transaction SQLite ended, and commits none of them', async () => {
    // A database that cannot grow: a large row fails with SQLITE_FULL, which may end the transaction.
    const pages = (observer.pragma('page_count', { simple: true }) as number) + 2;
    await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
    const big = 'x'.repeat(64 * 1024);
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('items').values({ id: 1, note: 'small' }).execute()),
      db.transaction().execute((trx) => trx.insertInto('items').values({ id: 2, note: big }).execute()),
      db.transaction().execute((trx) => trx.insertInto('items').values({ id: 3, note: 'small' }).execute()),
    ]);
    expect(results[1]?.status).toBe('rejected');
    // Whatever SQLite did with the transaction, a unit is answered with success exactly when its row is there.
    const ids = committedIds();
    expect(ids).not.toContain(2);
    for (const [i, id] of [1, 3].entries()) {
      expect(results[i === 0 ? 0 : 2]?.status === 'fulfilled', `unit ${id}`).toBe(ids.includes(id));
    }
    // The connection is usable afterwards.
    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    await db.insertInto('items').values({ id: 4, note: 'after' }).execute();
    expect(committedIds()).toContain(4);
  });

  it('runs a read at once on an idle connection, and leaves writes to the group path', async () => {
    await db.insertInto('items').values({ id: 1, note: 'a' }).execute();
    const read = dialect.runIfIdle<{ id: number }>(CompiledQuery.raw('select id from items'));
    expect(read?.rows).toEqual([{ id: 1 }]);
    // A write would commit on its own here: the caller takes the asynchronous way instead.
    expect(dialect.runIfIdle(CompiledQuery.raw("insert into items (id, note) values (2, 'b')"))).toBeUndefined();
    expect(committedIds()).toEqual([1]);
    // Writes of several callers in one turn of the event loop then share commits.
    const before = dialect.stats();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db
          .insertInto('items')
          .values({ id: 10 + i, note: 'x' })
          .execute(),
      ),
    );
    const after = dialect.stats();
    expect(after.units - before.units).toBe(8);
    expect(after.groups - before.groups).toBeLessThan(8);
    expect(committedIds()).toHaveLength(9);
  });

  it('commits a group when it reaches its size limit, even with units waiting', async () => {
    await db.destroy();
    open(4);
    const before = dialect.stats();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction().execute((trx) => trx.insertInto('items').values({ id: i, note: 'x' }).execute()),
      ),
    );
    const after = dialect.stats();
    expect(after.groups - before.groups).toBeGreaterThanOrEqual(10);
    expect(committedIds()).toHaveLength(40);
  });

  it('runs a session that keeps the connection (migrations) without waiting for itself', async () => {
    await db.connection().execute(async (conn) => {
      await conn.insertInto('items').values({ id: 1, note: 'a' }).execute();
      await conn.insertInto('items').values({ id: 2, note: 'b' }).execute();
      expect((await conn.selectFrom('items').select('id').execute()).length).toBe(2);
    });
    expect(committedIds()).toEqual([1, 2]);
  });
});
