import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, type Page, startAlibabaServer } from './alibaba-harness.js';

const ENDPOINT = '/alibaba/marketing/strict/select/query';

describe('POST /alibaba/marketing/strict/select/query (A33)', () => {
  let a: AlibabaServer;
  beforeAll(async () => {
    a = await startAlibabaServer();
  });
  afterAll(() => a.close());

  const list = (body: unknown) => a.post<Page>(ENDPOINT, body);

  it('lists only strict-selection goods, fewer than the whole catalog', async () => {
    const r = await list({ pageSize: 50 });
    expect(r.body.code, r.text).toBe(200);
    const page = r.body.data;
    expect(page.totalRecords).toBeGreaterThan(0);
    expect(page.totalRecords).toBeLessThan(a.offerIds.length);
    expect(page.data.length).toBe(Math.min(50, page.totalRecords));
    expect(page.data.every((g) => g.strictSelection)).toBe(true);
  });

  it('finds a strict-selection good by its title in each language', async () => {
    const good = (await list({ pageSize: 1 })).body.data.data[0];
    for (const country of ['zh', 'en', 'vi', 'th', 'es']) {
      const title = (await list({ pageSize: 1, country })).body.data.data[0]?.subjectTrans;
      const found = (await list({ keyword: title, pageSize: 50, country })).body.data;
      expect(
        found.data.map((g) => g.offerId),
        `${country}: ${title}`,
      ).toContain(good?.offerId);
      expect(found.data.every((g) => g.strictSelection)).toBe(true);
    }
  });

  it('narrows by category, price and shipInToday, and pages', async () => {
    const all = (await list({ pageSize: 50 })).body.data.data;
    // Each filter keeps some of the selection and leaves some out, so the counts below can tell.
    const narrowed = (n: number) => {
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(all.length);
    };
    const today = (await list({ filter: 'shipInToday', pageSize: 50 })).body.data;
    narrowed(today.totalRecords);
    expect(today.totalRecords).toBe(all.filter((g) => g.shipInToday).length);
    const ranged = (await list({ priceStart: '20', priceEnd: '60.00', pageSize: 50 })).body.data;
    narrowed(ranged.totalRecords);
    expect(ranged.totalRecords).toBe(all.filter((g) => g.priceInfo.price >= 2000 && g.priceInfo.price <= 6000).length);
    const top = Math.floor((all[0]?.categoryId ?? 0) / 1000) * 1000;
    const inTop = (await list({ categoryId: top, pageSize: 50 })).body.data;
    narrowed(inTop.totalRecords);
    expect(inTop.totalRecords).toBe(all.filter((g) => Math.floor(g.categoryId / 1000) * 1000 === top).length);
    const pages = await Promise.all([1, 2].map((beginPage) => list({ beginPage, pageSize: 5 })));
    const ids = pages.flatMap((p) => p.body.data.data.map((g) => g.offerId));
    expect(ids).toEqual(all.slice(0, 10).map((g) => g.offerId));
  });

  it('answers 40001 naming the field; a list has its own order, so sort is not taken', async () => {
    expectInvalid(await list({ sort: '{"price":"asc"}' }), 'sort');
    expectInvalid(await list({ priceStart: 'ten' }), 'priceStart');
    expectInvalid(await list({ categoryId: 72 }), 'categoryId');
    expectInvalid(await list({ filter: 'strict' }), 'filter');
    expectInvalid(await list({ pageSize: 51 }), 'pageSize');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('marketingList', 'error');
    const failed = await list({});
    await a.fault('marketingList', 'timeout');
    const late = await list({});
    await a.clearFaults();
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    expect(late.status).toBe(504);
    expect(late.body.code).toBe(50401);
  });
});
