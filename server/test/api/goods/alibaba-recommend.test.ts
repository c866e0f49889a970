import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, ordered, type Page, startAlibabaServer } from './alibaba-harness.js';

const ENDPOINT = '/alibaba/product/recommend/query';

describe('POST /alibaba/product/recommend/query (A7)', () => {
  let a: AlibabaServer;
  let shoes: Page;
  beforeAll(async () => {
    a = await startAlibabaServer();
    shoes = (await a.post<Page>('/alibaba/product/keywords/query', { categoryId: '103001', pageSize: 50 })).body.data;
  });
  afterAll(() => a.close());

  const recommend = (body: unknown, headers?: Record<string, string>) => a.post<Page>(ENDPOINT, body, headers);

  it('recommends the best sellers without a hint', async () => {
    const r = await recommend({});
    expect(r.body.code, r.text).toBe(200);
    const page = r.body.data;
    expect(page).toMatchObject({ currentPage: 1, pageSize: 20 });
    expect(page.data.length).toBe(20);
    expect(page.totalRecords).toBe(a.offerIds.length);
    expect(
      ordered(
        page.data.map((g) => g.monthSold),
        'desc',
      ),
    ).toBe(true);
  });

  it('puts goods of the given offers’ category first, never the offers themselves', async () => {
    const seed = shoes.data[0]?.offerId ?? 0;
    const sameCategory = shoes.totalRecords - 1;
    expect(sameCategory).toBeGreaterThan(0);
    for (const offerIds of [[seed], [String(seed)], String(seed)]) {
      const page = (await recommend({ offerIds, pageSize: 50 })).body.data;
      const ids = page.data.map((g) => g.offerId);
      expect(ids, JSON.stringify(offerIds)).not.toContain(seed);
      expect(page.data.length).toBeGreaterThanOrEqual(Math.min(sameCategory, 50));
      expect(page.data.slice(0, sameCategory).every((g) => g.categoryId === 103001)).toBe(true);
    }
  });

  it('takes several offers as an array or as one comma-separated string', async () => {
    const [first, second] = [shoes.data[0]?.offerId, a.offerIds[40]];
    const asArray = (await recommend({ offerIds: [first, second], pageSize: 30 })).body.data;
    const asString = (await recommend({ offerIds: `${first}, ${second}`, pageSize: 30 })).body.data;
    expect(asString.data.map((g) => g.offerId)).toEqual(asArray.data.map((g) => g.offerId));
    expect(asArray.data.map((g) => g.offerId)).not.toContain(first);
  });

  it('keeps to the given category, a top-level one with all its leaves', async () => {
    const leaf = (await recommend({ categoryId: '103001', pageSize: 50 })).body.data;
    expect(leaf.totalRecords).toBe(shoes.totalRecords);
    expect(leaf.data.length).toBeGreaterThan(0);
    expect(leaf.data.every((g) => g.categoryId === 103001)).toBe(true);
    const top = (await recommend({ categoryId: 103000, pageSize: 50 })).body.data;
    expect(top.totalRecords).toBeGreaterThan(leaf.totalRecords);
    expect(top.totalRecords).toBeLessThan(a.offerIds.length);
    expect(top.data.every((g) => g.categoryId > 103000 && g.categoryId < 104000)).toBe(true);
  });

  it('pages without repeating a good, translated in language or country', async () => {
    const pages = await Promise.all([1, 2, 3].map((pageNo) => recommend({ pageNo, pageSize: 10, country: 'vi' })));
    const ids = pages.flatMap((p) => p.body.data.data.map((g) => g.offerId));
    expect(new Set(ids).size).toBe(30);
    expect(pages[2]?.body.data).toMatchObject({ currentPage: 3, pageSize: 10 });
    const vi = pages[0]?.body.data.data[0];
    const es = (await recommend({ pageNo: 1, pageSize: 10, country: 'vi', language: 'es' })).body.data.data[0];
    expect(es?.offerId).toBe(vi?.offerId);
    expect(es?.subject).toBe(vi?.subject);
    expect(es?.subjectTrans).not.toBe(vi?.subjectTrans);
  });

  it('answers 40001 naming the field for malformed offers, category or paging', async () => {
    const many = Array.from({ length: 21 }, (_, i) => a.offerIds[i]);
    expectInvalid(await recommend({ offerIds: many }), 'offerIds');
    expectInvalid(await recommend({ offerIds: many.join(',') }), 'offerIds');
    expectInvalid(await recommend({ offerIds: ['abc'] }), 'offerIds[0]');
    expectInvalid(await recommend({ offerIds: '1,,2' }), 'offerIds[0]');
    expectInvalid(await recommend({ categoryId: 72 }), 'categoryId');
    expectInvalid(await recommend({ pageSize: 51 }), 'pageSize');
    expectInvalid(await recommend({ pageNo: 0 }), 'pageNo');
    expectInvalid(await recommend({ beginPage: 1 }), 'beginPage');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('recommend', 'error');
    const failed = await recommend({});
    await a.fault('recommend', 'timeout');
    const late = await recommend({});
    await a.clearFaults();
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    expect(late.status).toBe(504);
    expect(late.body.code).toBe(50401);
  });
});
