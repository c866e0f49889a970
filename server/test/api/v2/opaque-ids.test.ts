import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Credentials,
  createTestDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from '../../harness.js';

/**
 * Opaque ids over HTTP (docs/adr/0019): the same object has the same opaque id after a restart and in every
 * process of a deployment (they share its master key), v1 and v2 ids name the same object, and an opaque id of
 * another deployment, or a changed one, is unknown (40401).
 */
const ENV = { SANDBOX_GOODS: '40', SANDBOX_SEED: '11', RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000' };

interface Product {
  itemId: string | number;
  skuList: { skuId: string }[];
}

async function firstItem(server: TestServer): Promise<string> {
  const sandbox = server.deps.sandbox;
  if (!sandbox) throw new Error('the sandbox market is needed');
  sandbox.ensureSeeded();
  const row = sandbox.store.db.prepare("select id from goods where platform = 'taobao' order by idx limit 1").get() as {
    id: string;
  };
  return row.id;
}

const product = (server: TestServer, dev: Credentials, path: string, itemId: string) =>
  server.signed<Product>(dev, 'GET', `${path}?itemId=${encodeURIComponent(itemId)}`);

describe('opaque ids across restarts, processes and deployments', () => {
  let database: TestDatabase;
  let server: TestServer;
  let dev: Credentials;
  let v1Item: string;
  let opaque: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({ env: ENV, database });
    dev = await server.createDeveloper();
    v1Item = await firstItem(server);
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it('names one object by its v1 id on v1 and by its opaque id on v2, and takes either on v2', async () => {
    const v1 = await product(server, dev, '/open/product/get', v1Item);
    expect(v1.body.data.itemId).toBe(Number(v1Item));
    const v2 = await product(server, dev, '/v2/taobao/product/get', v1Item);
    expect(v2.body.code).toBe(200);
    opaque = String(v2.body.data.itemId);
    expect(opaque).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(opaque).toBe(server.deps.opaqueIds.encode('taobao-item', v1Item));
    const again = await product(server, dev, '/v2/taobao/product/get', opaque);
    expect(again.body.data).toEqual(v2.body.data);
    // SKUs too: each the opaque id of the v1 SKU at the same place.
    expect(v2.body.data.skuList.map((s) => s.skuId)).toEqual(
      v1.body.data.skuList.map((s) => server.deps.opaqueIds.encode('taobao-sku', s.skuId)),
    );
  });

  it('answers 40401, naming the id, for a changed opaque id and for PandaPon’s example ids', async () => {
    const changed = (opaque.startsWith('A') ? 'B' : 'A') + opaque.slice(1);
    for (const id of [changed, 'WUnUC1cILiBjt-Jv3lDdlQ', server.deps.opaqueIds.encode('taobao-sku', v1Item)]) {
      const r = await product(server, dev, '/v2/taobao/product/get', id);
      expect(r.status, id).toBe(404);
      expect(r.body.code, id).toBe(40401);
      expect(r.body.msg).toContain(id);
    }
  });

  it('keeps every opaque id across a restart on the same data', async () => {
    await server.close();
    server = await startServer({ env: ENV, database });
    const r = await product(server, dev, '/v2/taobao/product/get', opaque);
    expect(r.body.code).toBe(200);
    expect(r.body.data.itemId).toBe(opaque);
  });

  it('gives the same opaque ids in another process of the deployment, which shares its master key', async () => {
    const masterKey = randomBytes(32).toString('base64');
    const a = await startServer({ env: { ...ENV, PONTE_MASTER_KEY: masterKey } });
    const b = await startServer({ env: { ...ENV, PONTE_MASTER_KEY: masterKey } });
    try {
      const item = await firstItem(a);
      const [da, db] = [await a.createDeveloper(), await b.createDeveloper()];
      const fromA = await product(a, da, '/v2/taobao/product/get', item);
      const fromB = await product(b, db, '/v2/taobao/product/get', item);
      expect(fromA.body.data.itemId).toBe(fromB.body.data.itemId);
      expect((await product(b, db, '/v2/taobao/product/get', String(fromA.body.data.itemId))).body.code).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('does not know the opaque ids of another deployment (another master key), though the goods are the same', async () => {
    const other = await startServer({ env: ENV });
    try {
      const otherDev = await other.createDeveloper();
      expect(await firstItem(other)).toBe(v1Item);
      const r = await product(other, otherDev, '/v2/taobao/product/get', opaque);
      expect(r.body.code).toBe(40401);
      const own = await product(other, otherDev, '/v2/taobao/product/get', v1Item);
      expect(own.body.data.itemId).not.toBe(opaque);
    } finally {
      await other.close();
    }
  });

  it('gives neighbouring items unrelated opaque ids in a result list', async () => {
    const page = await server.signed<{ list: { itemId: string }[] }>(dev, 'POST', '/v2/taobao/product/item/search', {
      body: { keyword: '', pageNo: 1, pageSize: 20 },
    });
    expect(page.body.code).toBe(200);
    const ids = page.body.data.list.map((i) => i.itemId);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const v1 = ids.map((id) => server.deps.opaqueIds.decode('taobao-item', id) ?? '');
    expect(v1.every((id) => /^[0-9]+$/.test(id))).toBe(true);
    // The v1 ids are close together; their opaque ids share no more than chance.
    const prefixes = new Set(ids.map((id) => id.slice(0, 3)));
    expect(prefixes.size).toBe(ids.length);
  });
});
