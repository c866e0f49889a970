import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdGenerator, NodeLease } from '../../src/platform/ids.js';
import { createTestDatabase, startServer, type TestDatabase, type TestServer } from '../harness.js';

/** Node numbers of the id generator are leased in the database: no two running processes share one. */
describe('id nodes', () => {
  let db: TestDatabase;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 3; i++) servers.push(await startServer({ database: db }));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await db.drop();
  });

  const leases = () =>
    servers[0]?.deps.database.db.selectFrom('id_nodes').selectAll().orderBy('node').execute() ?? Promise.resolve([]);

  it('gives every running process its own node, recorded in the database', async () => {
    const nodes = servers.map((s) => s.deps.ids.nodeId);
    expect(new Set(nodes).size).toBe(3);
    const rows = await leases();
    expect(rows.map((r) => Number(r.node)).sort((a, b) => a - b)).toEqual([...nodes].sort((a, b) => a - b));
    expect(new Set(rows.map((r) => r.owner)).size).toBe(3);
    // Ids made in the same millisecond by two processes differ in their node bits.
    const now = Date.now();
    expect(servers[0]?.deps.ids.next(now)).not.toBe(servers[1]?.deps.ids.next(now));
  });

  it('frees a node when its process stops, and a lease that lapsed goes to the next process', async () => {
    const database = servers[0]?.deps.database;
    if (!database) throw new Error('no database');
    const stopped = servers.pop();
    const node = stopped?.deps.ids.nodeId;
    await stopped?.close();
    expect((await leases()).map((r) => Number(r.node))).not.toContain(node);

    // A process whose lease was taken while it stalled takes another node at once.
    const ids = new IdGenerator();
    const lease = new NodeLease(database, ids, { leaseMs: 60_000 });
    const mine = await lease.start();
    await database.db.updateTable('id_nodes').set({ owner: 'another process' }).where('node', '=', mine).execute();
    await lease.renew();
    expect(ids.nodeId).not.toBe(mine);
    const taken = (await leases()).filter((r) => r.owner === lease.owner).map((r) => Number(r.node));
    expect(taken).toEqual([ids.nodeId]);
    await lease.stop();
    expect((await leases()).some((r) => r.owner === lease.owner)).toBe(false);
    await database.db.deleteFrom('id_nodes').where('owner', '=', 'another process').execute();

    // A lapsed lease (its process died) is free for the next one.
    const running = (await leases()).map((r) => Number(r.node));
    const lapsed = [...Array(1024).keys()].filter((n) => !running.includes(n));
    await database.db
      .insertInto('id_nodes')
      .values(lapsed.map((n) => ({ node: n, owner: 'dead process', lease_until: Date.now() - 1 })))
      .execute();
    const next = new IdGenerator();
    const again = new NodeLease(database, next);
    const got = await again.start();
    expect(lapsed).toContain(got);
    const row = await database.db.selectFrom('id_nodes').selectAll().where('node', '=', got).executeTakeFirstOrThrow();
    expect(row.owner).toBe(again.owner);
    await again.stop();
  });
});
