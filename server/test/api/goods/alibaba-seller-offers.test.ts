import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, ordered, type Page, startAlibabaServer } from './alibaba-harness.js';

const ENDPOINT = '/alibaba/product/query/selleroffer';

/** The example of PandaPon's documentation, as published. */
const DOCUMENTED = {
  keyword: '背心',
  beginPage: 1,
  pageSize: 20,
  filter: 'shipInToday,ksCiphertext',
  sort: '{"price":"desc"}',
  outMemberId: '',
  priceStart: '10',
  priceEnd: '200',
  categoryId: 6,
  country: 'en',
  sellerOpenId: 'BBBwAN4GQ60zRPzBkv7BYPJRQ',
};

describe('POST /alibaba/product/query/selleroffer (A5)', () => {
  let a: AlibabaServer;
  let sellerOpenId: string;
  let shopGoods: number;
  beforeAll(async () => {
    a = await startAlibabaServer();
    const good = await a.post<{ sellerOpenId: string; offerId: number }>('/alibaba/product/detail/get', {
      offerId: a.offerIds[0],
    });
    sellerOpenId = good.body.data.sellerOpenId;
    const db = a.server.deps.sandbox?.store.db;
    const row = db
      ?.prepare(
        "select count(*) as n from goods g join shops s on s.platform = g.platform and s.shop_id = g.shop_id where s.seller_open_id = ? and g.status = 'active'",
      )
      .get(sellerOpenId) as { n: number };
    shopGoods = row.n;
  });
  afterAll(() => a.close());

  const query = (body: Record<string, unknown>) => a.post<Page>(ENDPOINT, body);

  it('lists every good of the supplier without a keyword, and only the supplier’s', async () => {
    const r = await query({ sellerOpenId, pageSize: 50 });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.totalRecords).toBe(shopGoods);
    expect(r.body.data.data.length).toBe(shopGoods);
    expect(r.body.data.data.every((g) => g.sellerOpenId === sellerOpenId)).toBe(true);
    const everything = await a.post<Page>('/alibaba/product/keywords/query', { pageSize: 50 });
    expect(everything.body.data.totalRecords).toBeGreaterThan(shopGoods);
  });

  it('finds a good of the shop by its title in several languages', async () => {
    const good = (await query({ sellerOpenId, pageSize: 1, country: 'en' })).body.data.data[0];
    const words = good?.subjectTrans ?? '';
    const zh = (await query({ sellerOpenId, keyword: good?.subject, pageSize: 50 })).body.data;
    const en = (await query({ sellerOpenId, keyword: words, pageSize: 50 })).body.data;
    for (const page of [zh, en]) {
      expect(page.data.map((g) => g.offerId)).toContain(good?.offerId);
      expect(page.data.every((g) => g.sellerOpenId === sellerOpenId)).toBe(true);
      expect(page.totalRecords).toBeLessThan(shopGoods);
    }
  });

  it('sorts, filters and pages within the shop as the keyword search does', async () => {
    const asc = (await query({ sellerOpenId, sort: '{"price":"asc"}', pageSize: 50 })).body.data;
    expect(
      ordered(
        asc.data.map((g) => g.priceInfo.price),
        'asc',
      ),
    ).toBe(true);
    const sales = (await query({ sellerOpenId, sort: '{"sales":"desc"}', pageSize: 50 })).body.data;
    expect(
      ordered(
        sales.data.map((g) => g.monthSold),
        'desc',
      ),
    ).toBe(true);
    // Each filter keeps some of the shop's goods and leaves some out, so the counts below can tell.
    const narrowed = (n: number) => {
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(shopGoods);
    };
    const today = (await query({ sellerOpenId, filter: 'shipInToday', pageSize: 50 })).body.data;
    narrowed(today.totalRecords);
    expect(today.totalRecords).toBe(asc.data.filter((g) => g.shipInToday).length);
    const ranged = (await query({ sellerOpenId, priceStart: '20', priceEnd: '60', pageSize: 50 })).body.data;
    narrowed(ranged.totalRecords);
    expect(ranged.data.every((g) => g.priceInfo.price >= 2000 && g.priceInfo.price <= 6000)).toBe(true);
    expect(ranged.totalRecords).toBe(
      asc.data.filter((g) => g.priceInfo.price >= 2000 && g.priceInfo.price <= 6000).length,
    );
    const pages = await Promise.all([1, 2, 3, 4].map((beginPage) => query({ sellerOpenId, beginPage, pageSize: 5 })));
    const seen = pages.flatMap((p) => p.body.data.data.map((g) => g.offerId));
    expect(new Set(seen).size).toBe(shopGoods);
    expect(pages[0]?.body.data.totalPage).toBe(Math.ceil(shopGoods / 5));
  });

  it('accepts the documented example, and answers 40401 for its supplier unknown to the sandbox', async () => {
    const r = await query(DOCUMENTED);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain(DOCUMENTED.sellerOpenId);
    const known = await query({ ...DOCUMENTED, sellerOpenId, categoryId: '' });
    expect(known.body.code, known.text).toBe(200);
  });

  it('answers 40001 naming the field, before looking the supplier up', async () => {
    expectInvalid(await query({}), 'sellerOpenId');
    expectInvalid(await query({ sellerOpenId: 'no such id!' }), 'sellerOpenId');
    expectInvalid(await query({ sellerOpenId: 'BBBunknown', sort: 'price' }), 'sort');
    expectInvalid(await query({ sellerOpenId, filter: 'isOnePsale' }), 'filter');
    expectInvalid(await query({ sellerOpenId, priceEnd: '12.345' }), 'priceEnd');
    expectInvalid(await query({ sellerOpenId, categoryId: 6 }), 'categoryId');
    expectInvalid(await query({ sellerOpenId, pageSize: 100 }), 'pageSize');
  });

  it('answers 50201 and 50401 when the supplier lookup or the search fails or hangs', async () => {
    for (const operation of ['getSupplier', 'search']) {
      await a.fault(operation, 'error');
      const failed = await query({ sellerOpenId });
      await a.fault(operation, 'timeout');
      const late = await query({ sellerOpenId });
      await a.clearFaults();
      expect(failed.body.code, operation).toBe(50201);
      expect(late.body.code, operation).toBe(50401);
    }
  });
});
