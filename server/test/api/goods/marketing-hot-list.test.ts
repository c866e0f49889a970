import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlibabaServer,
  expectInvalid,
  type Item,
  ordered,
  type Page,
  startAlibabaServer,
} from './alibaba-harness.js';

type Hot = Item & { rank: number };

const ENDPOINT = '/alibaba/marketing/hot/list';

describe('POST /alibaba/marketing/hot/list (A34)', () => {
  let a: AlibabaServer;
  beforeAll(async () => {
    a = await startAlibabaServer();
  });
  afterAll(() => a.close());

  const list = (body: unknown) => a.post<Page<Hot>>(ENDPOINT, body);

  it('ranks the goods by units sold, with their rank over all pages', async () => {
    const r = await list({});
    expect(r.body.code, r.text).toBe(200);
    const first = r.body.data;
    expect(first).toMatchObject({ currentPage: 1, pageSize: 20, totalRecords: a.offerIds.length });
    expect(first.data.map((g) => g.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const second = (await list({ beginPage: 2 })).body.data;
    expect(second.data.map((g) => g.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 21));
    const sold = [...first.data, ...second.data].map((g) => g.monthSold);
    expect(ordered(sold, 'desc')).toBe(true);
    expect(sold[0]).toBeGreaterThan(sold[sold.length - 1] ?? 0);
  });

  it('ranks within a keyword (in any language), a category or a price range', async () => {
    // 鞋靴 is the shoes category's Chinese name; a lone 鞋 is no word the sandbox knows and finds nothing.
    const zh = (await list({ keyword: '鞋靴', pageSize: 50 })).body.data;
    const en = (await list({ keyword: 'shoes', pageSize: 50 })).body.data;
    expect(en.totalRecords).toBeGreaterThan(1);
    expect(
      ordered(
        en.data.map((g) => g.monthSold),
        'desc',
      ),
    ).toBe(true);
    expect(en.data.map((g) => g.rank)).toEqual(en.data.map((_, i) => i + 1));
    // Each narrowing keeps some goods and leaves others out, so the checks of what it kept can fail.
    const narrowed = (page: Page<Hot>) => {
      expect(page.data.length).toBeGreaterThan(0);
      expect(page.totalRecords).toBeLessThan(a.offerIds.length);
    };
    narrowed(zh);
    expect(zh.data.every((g) => g.subject.includes('鞋') || g.subject.includes('靴'))).toBe(true);
    const shoes = (await list({ categoryId: '103000', pageSize: 50, country: 'es' })).body.data;
    narrowed(shoes);
    expect(shoes.data.every((g) => g.categoryId > 103000 && g.categoryId < 104000)).toBe(true);
    expect(
      ordered(
        shoes.data.map((g) => g.monthSold),
        'desc',
      ),
    ).toBe(true);
    const cheap = (await list({ priceEnd: '20', pageSize: 50 })).body.data;
    narrowed(cheap);
    expect(cheap.data.every((g) => g.priceInfo.price <= 2000)).toBe(true);
    const today = (await list({ filter: 'shipInToday', pageSize: 50 })).body.data;
    narrowed(today);
    expect(today.data.every((g) => g.shipInToday)).toBe(true);
  });

  it('answers 40001 naming the field', async () => {
    expectInvalid(await list({ sort: '{"sales":"desc"}' }), 'sort');
    expectInvalid(await list({ beginPage: 'first' }), 'beginPage');
    expectInvalid(await list({ categoryId: 99 }), 'categoryId');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('marketingList', 'error');
    const failed = await list({});
    await a.fault('marketingList', 'timeout');
    const late = await list({});
    await a.clearFaults();
    expect(failed.body.code).toBe(50201);
    expect(late.body.code).toBe(50401);
  });
});
