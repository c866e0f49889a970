import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestDatabase, startServer, type TestDatabase, type TestServer } from '../harness.js';
import { waitFor } from '../wait.js';

/**
 * Process-local caches follow upstream changes in every process of a deployment: an upstream event
 * handled by one process drops the cached goods of the others (a change counter they poll on SQLite,
 * NOTIFY on PostgreSQL), not only its own.
 */
describe('the goods cache across processes sharing one database', () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let dev: Credentials;
  const env = { SANDBOX_GOODS: '60', SANDBOX_SEED: '3', CHANGE_POLL_MS: '20', GOODS_CACHE_SECONDS: '3600' };

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startServer({ database: db, env });
    b = await startServer({ database: db, env });
    dev = await a.createDeveloper();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  const stockSeenBy = async (server: TestServer, itemId: string) => {
    const r = await server.signed<{ skuList: { quantity: number }[] }>(
      dev,
      'GET',
      `/open/product/get?itemId=${itemId}`,
    );
    expect(r.body.code, r.body.msg).toBe(200);
    return r.body.data.skuList.map((s) => s.quantity);
  };

  it('drops the copy in the other process once the change is handled', async () => {
    const sandbox = a.deps.sandbox;
    if (!sandbox) throw new Error('runs on the sandbox market');
    sandbox.ensureSeeded();
    const itemId = sandbox.store.db
      .prepare("select id from goods where platform = 'taobao' order by idx limit 1 offset 7")
      .pluck()
      .get() as string;
    const before = await stockSeenBy(b, itemId);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((q) => q === 4)).toBe(false);

    // The seller changes the stock; process A receives the event and handles it.
    await a.admin('PUT', `/sandbox/taobao/goods/${itemId}/stock`, { stock: 4 });
    // B still answers from its cache until the event is handled.
    expect(await stockSeenBy(b, itemId)).toEqual(before);
    expect(await a.drainOutbox()).toBeGreaterThan(0);

    await waitFor(async () => (await stockSeenBy(b, itemId)).every((q) => q === 4), {
      message: 'process B never dropped its cached copy',
    });
  });
});
