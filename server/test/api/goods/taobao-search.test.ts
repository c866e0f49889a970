import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from './goods-harness.js';

interface Item {
  itemId: number;
  mpId: string | null;
  title: string;
  titleTrans: string;
  picUrl: string;
  price: number;
  promotionPrice: number;
  sales: number;
  categoryId: string;
  shipIn24h: boolean;
}

interface Page {
  total: number;
  pageNo: number;
  pageSize: number;
  list: Item[];
}

const LANGUAGES = ['zh', 'en', 'vi', 'th', 'es'] as const;

describe('POST /open/product/item/search (T2)', () => {
  let g: GoodsServer;
  beforeAll(async () => {
    g = await startGoodsServer();
  });
  afterAll(() => g.close());

  const search = (body: unknown) => g.server.signed<Page>(g.dev, 'POST', '/open/product/item/search', { body });

  const ids = (page: Page) => page.list.map((i) => i.itemId);

  it('accepts the documented example as-is', async () => {
    const r = await search({ keyword: '电动车', pageSize: 5, pageNo: 1, sort: 'tk_rate_desc' });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(200);
    expect(r.body.data).toMatchObject({ pageNo: 1, pageSize: 5 });
    expect(r.body.data.list.length).toBeLessThanOrEqual(5);
    expect(r.body.data.total).toBeGreaterThanOrEqual(r.body.data.list.length);
  });

  it('finds a good by its title in every language, and translates titles into the asked language', async () => {
    const id = g.taobaoIds[7] ?? '';
    const titles: Record<string, string> = {};
    for (const lang of LANGUAGES) {
      const r = await g.server.signed<{ titleTrans: string }>(
        g.dev,
        'GET',
        `/open/product/get?itemId=${id}&language=${lang}`,
      );
      titles[lang] = r.body.data.titleTrans;
    }
    for (const lang of LANGUAGES) {
      const r = await search({ keyword: titles[lang], pageSize: 40, language: 'vi' });
      expect(r.body.code, lang).toBe(200);
      const hit = r.body.data.list.find((i) => i.itemId === Number(id));
      expect(hit, `${lang}: ${titles[lang]}`).toBeDefined();
      expect(hit?.title).toBe(titles.zh);
      expect(hit?.titleTrans).toBe(titles.vi);
      expect(hit?.picUrl).toMatch(new RegExp(`/sandbox/images/taobao/${id}/0\\.jpg$`));
    }
  });

  it('answers 20 results by default, and pages without overlap', async () => {
    const first = (await search({})).body.data;
    expect(first).toMatchObject({ pageNo: 1, pageSize: 20 });
    expect(first.list).toHaveLength(20);
    expect(first.total).toBe(150);

    const p1 = (await search({ pageNo: 1, pageSize: 7, sort: 'price_asc' })).body.data;
    const p2 = (await search({ pageNo: 2, pageSize: 7, sort: 'price_asc' })).body.data;
    const both = (await search({ pageNo: 1, pageSize: 14, sort: 'price_asc' })).body.data;
    expect(p2.pageNo).toBe(2);
    expect(ids(p1).filter((i) => ids(p2).includes(i))).toEqual([]);
    expect([...ids(p1), ...ids(p2)]).toEqual(ids(both));
    expect(p1.total).toBe(p2.total);

    const beyond = (await search({ pageNo: 100, pageSize: 40 })).body.data;
    expect(beyond.list).toEqual([]);
    expect(beyond.total).toBe(150);
  });

  it('sorts by price and by sales; tk_rate_desc ranks as relevance', async () => {
    const sorted = async (sort: string) => (await search({ pageSize: 40, sort })).body.data.list;
    const asc = (await sorted('price_asc')).map((i) => i.price);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = (await sorted('price_desc')).map((i) => i.price);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(desc[0]).toBeGreaterThan(asc[0] ?? 0);
    const sales = (await sorted('sales_desc')).map((i) => i.sales);
    expect(sales).toEqual([...sales].sort((a, b) => b - a));

    const keyword = 'giày';
    const relevance = (await search({ keyword, pageSize: 40 })).body.data;
    const tkRate = (await search({ keyword, pageSize: 40, sort: 'tk_rate_desc' })).body.data;
    const explicit = (await search({ keyword, pageSize: 40, sort: 'relevance' })).body.data;
    expect(relevance.total).toBeGreaterThan(0);
    expect(ids(tkRate)).toEqual(ids(relevance));
    expect(ids(explicit)).toEqual(ids(relevance));
  });

  it('filters by price range (fen, inclusive), category and 24-hour shipping', async () => {
    const all = (await search({ pageSize: 40, sort: 'price_asc' })).body.data;
    const low = all.list[5]?.price ?? 0;
    const high = all.list[30]?.price ?? 0;
    const ranged = (await search({ pageSize: 40, priceStart: low, priceEnd: high })).body.data;
    expect(ranged.total).toBeGreaterThan(0);
    expect(ranged.total).toBeLessThan(150);
    for (const i of ranged.list) {
      expect(i.price).toBeGreaterThanOrEqual(low);
      expect(i.price).toBeLessThanOrEqual(high);
    }
    expect(ids(ranged)).toContain(all.list[5]?.itemId);

    const fast = (await search({ pageSize: 40, shipIn24h: true })).body.data;
    expect(fast.total).toBeGreaterThan(0);
    expect(fast.total).toBeLessThan(150);
    expect(fast.list.every((i) => i.shipIn24h)).toBe(true);
    // false means "do not filter", as on the marketplace.
    expect((await search({ shipIn24h: false })).body.data.total).toBe(150);

    const categoryId = all.list[0]?.categoryId ?? '';
    const inCategory = (await search({ pageSize: 40, categoryId })).body.data;
    expect(inCategory.total).toBeGreaterThan(0);
    expect(inCategory.total).toBeLessThan(150);
    expect(inCategory.list.every((i) => i.categoryId === categoryId)).toBe(true);
    expect(ids(inCategory)).toContain(all.list[0]?.itemId);
  });

  it('answers 40001 naming the field for values out of range or unknown', async () => {
    const cases: [unknown, string][] = [
      [{ sort: 'bogus' }, 'sort'],
      [{ pageSize: 41 }, 'pageSize'],
      [{ pageSize: 0 }, 'pageSize'],
      [{ pageNo: 0 }, 'pageNo'],
      [{ priceStart: 500, priceEnd: 100 }, 'priceEnd'],
      [{ priceStart: 1.5 }, 'priceStart'],
      [{ priceEnd: -1 }, 'priceEnd'],
      [{ categoryId: '999999' }, 'categoryId'],
      [{ categoryId: 'shoes' }, 'categoryId'],
      [{ shipIn24h: 'soon' }, 'shipIn24h'],
      [{ keyword: 'x'.repeat(201) }, 'keyword'],
      [{ language: 'fr' }, 'language'],
      [{ page: 2 }, 'page'],
    ];
    for (const [body, field] of cases) {
      const r = await search(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code, JSON.stringify(body)).toBe(40001);
      expect(r.body.msg, JSON.stringify(body)).toContain(field);
    }
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    try {
      await g.server.admin('PUT', '/sandbox/faults/search', { errorRate: 1 });
      const failed = await search({ keyword: 'giày' });
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe(50201);

      await g.server.admin('PUT', '/sandbox/faults/search', { timeoutRate: 1 });
      const slow = await search({ keyword: 'giày' });
      expect(slow.status).toBe(504);
      expect(slow.body.code).toBe(50401);
    } finally {
      await g.server.admin('DELETE', '/sandbox/faults');
    }
    expect((await search({ keyword: 'giày' })).body.code).toBe(200);
  });
});
