import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueMessages } from '../../src/modules/messages/delivery.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/database.js';
import { createTestDatabase, TEST_DB, type TestDatabase, testConfig } from '../harness.js';

/**
 * The reads on the path of every payment use an index that hands their rows over in the order asked
 * for, so SQLite sorts nothing (docs/adr/0012-sqlite-group-commit.md lists what a payment costs). The
 * plans are SQLite's; PostgreSQL plans by its statistics, so the check runs on SQLite.
 */
describe.skipIf(TEST_DB === 'postgres')('query plans of the payment path and callback delivery', () => {
  let tdb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = openDatabase(testConfig(tdb));
    await migrateToLatest(database);
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  const plan = async (query: ReturnType<typeof sql.raw>) =>
    (await sql<{ detail: string }>`explain query plan ${query}`.execute(database.db)).rows.map((r) => r.detail);

  const planOf = async (query: { compile(): CompiledQuery }) => {
    const c = query.compile();
    const r = await database.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${c.sql}`, [...c.parameters]),
    );
    return r.rows.map((row) => row.detail).join('\n');
  };

  it('claims due callback messages through the partial index of pending ones, in order, without a sort', async () => {
    const claim = await planOf(
      dueMessages(database.db, Date.now(), ['1', '2']).select('m.id').orderBy('m.next_attempt_at').limit(64),
    );
    expect(claim).toContain('USING INDEX messages_due');
    expect(claim).toContain('USING INDEX messages_object');
    expect(claim).not.toContain('TEMP B-TREE');
    expect(claim).not.toMatch(/SCAN m\b/);
  });

  it("reads an order's parts and lines in order through an index, without a sort", async () => {
    const parts = await plan(sql.raw(`select * from "order_parts" where "order_id" = '1' order by "id"`));
    expect(parts.join('\n')).toContain('USING INDEX order_parts_order');
    expect(parts.join('\n')).not.toContain('TEMP B-TREE');
    const lines = await plan(
      sql.raw(`select * from "order_lines" where "order_id" = '1' order by "part_id", "position"`),
    );
    expect(lines.join('\n')).toContain('USING INDEX order_lines_order');
    expect(lines.join('\n')).not.toContain('TEMP B-TREE');
  });
});
