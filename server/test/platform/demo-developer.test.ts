import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/app.js';
import { ensureDemoDeveloper } from '../../src/modules/accounts/index.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/database.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { createTestDatabase, TEST_DB, type TestDatabase, testConfig } from '../harness.js';

/**
 * Processes starting together on one empty database create one demo developer, not one each. On
 * SQLite the write transactions are serial by construction (and several connections in one thread
 * would wait on each other synchronously), so the race is run on PostgreSQL.
 */
describe.skipIf(TEST_DB === 'sqlite')('the demo developer on a database shared by processes starting together', () => {
  let db: TestDatabase;
  const databases: Database[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const d of databases) await d.close();
    await db.drop();
  });

  it('is created exactly once by five concurrent first starts', async () => {
    const config = testConfig(db, { PONTE_DEMO: 'true' });
    const depsList = Array.from({ length: 5 }, () => {
      const database = openDatabase(config);
      databases.push(database);
      return { ...createDeps(config, { database }), log: undefined } as unknown as AppDeps;
    });
    await migrateToLatest(depsList[0]?.database as Database);
    const results = await Promise.all(depsList.map((deps) => ensureDemoDeveloper(config, deps)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const count = await databases[0]?.db
      .selectFrom('developers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count?.n)).toBe(1);
  });
});
