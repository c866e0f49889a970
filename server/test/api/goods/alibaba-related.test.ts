import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, type Page, startAlibabaServer } from './alibaba-harness.js';

const ENDPOINT = '/alibaba/product/productRelatedRecommendQuery';

describe('POST /alibaba/product/productRelatedRecommendQuery (A8)', () => {
  let a: AlibabaServer;
  let shoe: { offerId: number; categoryId: number };
  let sameCategory: number;
  beforeAll(async () => {
    a = await startAlibabaServer();
    const shoes = (await a.post<Page>('/alibaba/product/keywords/query', { keyword: '跑步鞋', pageSize: 50 })).body
      .data;
    shoe = { offerId: shoes.data[0]?.offerId ?? 0, categoryId: shoes.data[0]?.categoryId ?? 0 };
    const category = await a.post<Page>('/alibaba/product/keywords/query', { categoryId: shoe.categoryId });
    sameCategory = category.body.data.totalRecords - 1;
  });
  afterAll(() => a.close());

  const related = (body: unknown) => a.post<Page>(ENDPOINT, body);

  it('answers goods like the given one, its own category first, never the good itself', async () => {
    const r = await related({ offerId: String(shoe.offerId), pageNo: 1, pageSize: 50, language: 'th' });
    expect(r.body.code, r.text).toBe(200);
    const page = r.body.data;
    expect(page.data.map((g) => g.offerId)).not.toContain(shoe.offerId);
    expect(sameCategory).toBeGreaterThan(0);
    expect(page.data.slice(0, sameCategory).every((g) => g.categoryId === shoe.categoryId)).toBe(true);
    expect(page.data[0]?.subject).toContain('跑步鞋');
    expect(page.data[0]?.subjectTrans).toMatch(/[\u0e00-\u0e7f]/);
    expect(page.totalRecords).toBe(page.data.length);
  });

  it('pages with 10 goods by default, without repeating one', async () => {
    const first = (await related({ offerId: shoe.offerId })).body.data;
    expect(first).toMatchObject({ currentPage: 1, pageSize: 10 });
    expect(first.totalPage).toBe(Math.ceil(first.totalRecords / 10));
    const second = (await related({ offerId: shoe.offerId, pageNo: 2, pageSize: 10 })).body.data;
    const all = (await related({ offerId: shoe.offerId, pageSize: 20 })).body.data;
    expect([...first.data, ...second.data].map((g) => g.offerId)).toEqual(all.data.map((g) => g.offerId));
  });

  it('accepts the documented example with its encoded v2 id, and answers 40401 for it', async () => {
    const r = await related({ offerId: 'f6vE-dfY1NV37oG_fz9WSA', pageNo: 1, pageSize: 10, language: 'en' });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain('f6vE-dfY1NV37oG_fz9WSA');
    expect((await related({ offerId: 706627393257 })).body.code).toBe(40401);
  });

  it('answers 40001 naming the field for a missing or malformed field', async () => {
    expectInvalid(await related({}), 'offerId');
    expectInvalid(await related({ offerId: '' }), 'offerId');
    expectInvalid(await related({ offerId: 'a b' }), 'offerId');
    expectInvalid(await related({ offerId: shoe.offerId, pageSize: 51 }), 'pageSize');
    expectInvalid(await related({ offerId: shoe.offerId, language: 'fr' }), 'language');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('related', 'error');
    const failed = await related({ offerId: shoe.offerId });
    await a.fault('related', 'timeout');
    const late = await related({ offerId: shoe.offerId });
    await a.clearFaults();
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    expect(late.status).toBe(504);
    expect(late.body.code).toBe(50401);
  });
});
