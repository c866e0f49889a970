import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/**
 * docs/architecture.md §6 for the sub-account endpoints: developer B never reads A's sub-accounts nor learns
 * they exist, never acts as one of them; a sub-account sees only itself; the main account sees all.
 */

interface SubAccount {
  userId: string;
  name: string;
  outMemberId: string | null;
  mainAccount: boolean;
  status: string;
}

interface Page {
  list: SubAccount[];
  total: number;
  pageNo: number;
  pageSize: number;
}

/** The parts of an error answer that must not tell a foreign id from a missing one. */
function comparable(reply: Reply, id: string) {
  return {
    status: reply.status,
    code: reply.body.code,
    developId: reply.body.developId,
    msg: reply.body.msg.replaceAll(id, '<id>'),
    data: reply.body.data,
    keys: Object.keys(reply.body).sort(),
  };
}

describe('sub-account isolation', () => {
  let server: TestServer;
  let a: Credentials;
  let b: Credentials;
  let a1: SubAccount;
  let a2: SubAccount;
  let b1: SubAccount;
  /** A well-formed id that belongs to nobody. */
  const missingId = '1795432287562383361';

  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_BURST: '100000' } });
    a = await server.createDeveloper('Developer A');
    b = await server.createDeveloper('Developer B');
    const create = async (dev: Credentials, name: string, outMemberId?: string) => {
      const r = await server.signed<SubAccount>(dev, 'POST', '/open/user/create', { body: { name, outMemberId } });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    };
    a1 = await create(a, 'A store 1', 'shop-1');
    a2 = await create(a, 'A store 2', 'shop-2');
    b1 = await create(b, 'B store 1', 'shop-1');
  });
  afterAll(async () => {
    await server?.close();
  });

  const as = (dev: Credentials, sub: SubAccount) => ({ ...dev, userId: sub.userId });

  describe('between developers', () => {
    it("B reading A's sub-account answers 40401, exactly as for an id that does not exist", async () => {
      for (const target of [a1.userId, a.userId]) {
        const foreign = await server.signed(b, 'GET', `/open/user/get?userId=${target}`);
        expect(foreign.status).toBe(404);
        expect(foreign.body.code).toBe(40401);
        expect(foreign.body.data).toBeNull();
        expect(foreign.text).not.toContain('A store');
        const missing = await server.signed(b, 'GET', `/open/user/get?userId=${missingId}`);
        expect(comparable(foreign, target)).toEqual(comparable(missing, missingId));
      }
    });

    it("B's sub-account reading A's sub-account answers the same 40401", async () => {
      const foreign = await server.signed(as(b, b1), 'GET', `/open/user/get?userId=${a1.userId}`);
      const missing = await server.signed(as(b, b1), 'GET', `/open/user/get?userId=${missingId}`);
      expect(foreign.body.code).toBe(40401);
      expect(comparable(foreign, a1.userId)).toEqual(comparable(missing, missingId));
    });

    it("B acting as one of A's user-ids answers 40301", async () => {
      for (const userId of [a.userId, a1.userId, a2.userId]) {
        for (const [method, url, body] of [
          ['GET', '/open/user/list', undefined],
          ['GET', `/open/user/get?userId=${userId}`, undefined],
          ['POST', '/open/user/create', { name: 'intruder' }],
        ] as const) {
          const r = await server.signed({ ...b, userId }, method, url, { body });
          expect(r.status, `${method} ${url}`).toBe(403);
          expect(r.body.code).toBe(40301);
          expect(r.body.data).toBeNull();
        }
      }
    });

    it("B's list holds only B's sub-accounts", async () => {
      const r = await server.signed<Page>(b, 'GET', '/open/user/list?pageSize=50');
      expect(r.body.code).toBe(200);
      expect(r.body.developId).toBe(b.developId);
      expect(r.body.data.list.map((s) => s.userId).sort()).toEqual([b.userId, b1.userId].sort());
      expect(r.body.data.total).toBe(2);
    });

    it("outMemberId is unique per developer: B may use one of A's, and learns nothing of A's", async () => {
      // Both developers used shop-1 in beforeAll; B may also take A's shop-2.
      const r = await server.signed<SubAccount>(b, 'POST', '/open/user/create', {
        body: { name: 'B store 2', outMemberId: 'shop-2' },
      });
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data.outMemberId).toBe('shop-2');
      const list = await server.signed<Page>(a, 'GET', '/open/user/list?pageSize=50');
      expect(list.body.data.list.map((s) => s.userId)).not.toContain(r.body.data.userId);
    });
  });

  describe('within a developer', () => {
    it('the main account sees every sub-account of its developer', async () => {
      const r = await server.signed<Page>(a, 'GET', '/open/user/list');
      expect(r.body.code).toBe(200);
      expect(r.body.developId).toBe(a.developId);
      const ids = r.body.data.list.map((s) => s.userId);
      expect(ids.sort()).toEqual([a.userId, a1.userId, a2.userId].sort());
      expect(r.body.data.total).toBe(3);
      const main = r.body.data.list.find((s) => s.userId === a.userId);
      expect(main?.mainAccount).toBe(true);
      for (const sub of [a1, a2]) {
        const got = await server.signed<SubAccount>(a, 'GET', `/open/user/get?userId=${sub.userId}`);
        expect(got.body.code).toBe(200);
        expect(got.body.data).toEqual(sub);
      }
    });

    it('a sub-account lists only itself', async () => {
      const r = await server.signed<Page>(as(a, a1), 'GET', '/open/user/list');
      expect(r.body.code).toBe(200);
      expect(r.body.data.list).toEqual([a1]);
      expect(r.body.data.total).toBe(1);
    });

    it('a sub-account reads itself, but neither a sibling nor the main account (40401, as if missing)', async () => {
      const self = await server.signed<SubAccount>(as(a, a1), 'GET', `/open/user/get?userId=${a1.userId}`);
      expect(self.body.code).toBe(200);
      expect(self.body.data).toEqual(a1);
      const missing = await server.signed(as(a, a1), 'GET', `/open/user/get?userId=${missingId}`);
      expect(missing.body.code).toBe(40401);
      for (const target of [a2.userId, a.userId]) {
        const r = await server.signed(as(a, a1), 'GET', `/open/user/get?userId=${target}`);
        expect(r.body.code).toBe(40401);
        expect(comparable(r, target)).toEqual(comparable(missing, missingId));
      }
    });

    it('a sub-account cannot create sub-accounts (40301), and nothing is created', async () => {
      const r = await server.signed(as(a, a1), 'POST', '/open/user/create', {
        body: { name: 'sibling', outMemberId: 'by-sub' },
      });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe(40301);
      expect(r.body.data).toBeNull();
      const list = await server.signed<Page>(a, 'GET', '/open/user/list?pageSize=50');
      expect(list.body.data.list.map((s) => s.outMemberId)).not.toContain('by-sub');
    });

    it('a duplicate outMemberId answers 40901', async () => {
      const r = await server.signed(a, 'POST', '/open/user/create', { body: { name: 'again', outMemberId: 'shop-1' } });
      expect(r.status).toBe(409);
      expect(r.body.code).toBe(40901);
      expect(r.body.msg).toContain('shop-1');
      expect(r.body.data).toBeNull();
    });

    it('concurrent creations with one outMemberId: exactly one succeeds, the others answer 40901', async () => {
      const replies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          server.signed(a, 'POST', '/open/user/create', { body: { name: `race ${i}`, outMemberId: 'race' } }),
        ),
      );
      const codes = replies.map((r) => r.body.code);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 40901)).toHaveLength(11);
      const list = await server.signed<Page>(a, 'GET', '/open/user/list?pageSize=50');
      expect(list.body.data.list.filter((s) => s.outMemberId === 'race')).toHaveLength(1);
    });

    it('sub-accounts without an outMemberId do not collide', async () => {
      for (let i = 0; i < 3; i++) {
        const r = await server.signed(a, 'POST', '/open/user/create', { body: { name: `plain ${i}` } });
        expect(r.body.code, r.text).toBe(200);
      }
    });
  });

  describe('paging', () => {
    let c: Credentials;
    const created: string[] = [];
    beforeAll(async () => {
      c = await server.createDeveloper('Developer C');
      created.push(c.userId);
      for (let i = 0; i < 11; i++) {
        const r = await server.signed<SubAccount>(c, 'POST', '/open/user/create', { body: { name: `C ${i}` } });
        created.push(r.body.data.userId);
      }
    });

    it('pages through every sub-account once, oldest first', async () => {
      const seen: string[] = [];
      for (let pageNo = 1; pageNo <= 3; pageNo++) {
        const r = await server.signed<Page>(c, 'GET', `/open/user/list?pageNo=${pageNo}&pageSize=5`);
        expect(r.body.code).toBe(200);
        expect(r.body.data.pageNo).toBe(pageNo);
        expect(r.body.data.pageSize).toBe(5);
        expect(r.body.data.total).toBe(12);
        expect(r.body.data.list).toHaveLength(pageNo < 3 ? 5 : 2);
        seen.push(...r.body.data.list.map((s) => s.userId));
      }
      expect(seen).toEqual(created);
      const past = await server.signed<Page>(c, 'GET', '/open/user/list?pageNo=4&pageSize=5');
      expect(past.body.data.list).toEqual([]);
      expect(past.body.data.total).toBe(12);
    });

    it('defaults to pageNo 1 and pageSize 20, and accepts pageSize 50', async () => {
      const d = await server.signed<Page>(c, 'GET', '/open/user/list');
      expect(d.body.data).toMatchObject({ pageNo: 1, pageSize: 20, total: 12 });
      expect(d.body.data.list).toHaveLength(12);
      const max = await server.signed<Page>(c, 'GET', '/open/user/list?pageSize=50');
      expect(max.body.code).toBe(200);
      expect(max.body.data.pageSize).toBe(50);
    });

    it.each([
      ['pageSize=51', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['pageSize=-1', 'pageSize'],
      ['pageSize=abc', 'pageSize'],
      ['pageSize=1.5', 'pageSize'],
      ['pageNo=0', 'pageNo'],
      ['pageNo=abc', 'pageNo'],
    ])('%s answers 40001 naming %s', async (query, field) => {
      const r = await server.signed(c, 'GET', `/open/user/list?${query}`);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe(40001);
      expect(r.body.msg).toContain(field);
      expect(r.body.data).toBeNull();
    });

    it('a sub-account pages over itself only', async () => {
      const sub = { ...c, userId: created[5] ?? '' };
      const p1 = await server.signed<Page>(sub, 'GET', '/open/user/list?pageNo=1&pageSize=1');
      expect(p1.body.data.list.map((s) => s.userId)).toEqual([created[5]]);
      expect(p1.body.data.total).toBe(1);
      const p2 = await server.signed<Page>(sub, 'GET', '/open/user/list?pageNo=2&pageSize=1');
      expect(p2.body.data.list).toEqual([]);
    });
  });
});
