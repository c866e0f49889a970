import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, type Page, startAlibabaServer } from './alibaba-harness.js';

const ENDPOINT = '/alibaba/marketing/global/select/query';

describe('POST /alibaba/marketing/global/select/query (A32)', () => {
  let a: AlibabaServer;
  beforeAll(async () => {
    a = await startAlibabaServer();
  });
  afterAll(() => a.close());

  const list = (body: unknown) => a.post<Page>(ENDPOINT, body);

  it('lists strict-selection goods that ship today, a part of the strict selection', async () => {
    const r = await list({ pageSize: 50, country: 'es' });
    expect(r.body.code, r.text).toBe(200);
    const page = r.body.data;
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((g) => g.strictSelection && g.shipInToday)).toBe(true);
    const strict = await a.post<Page>('/alibaba/marketing/strict/select/query', { pageSize: 50 });
    expect(page.totalRecords).toBeLessThan(strict.body.data.totalRecords);
    expect(page.totalRecords).toBe(strict.body.data.data.filter((g) => g.shipInToday).length);
    expect(page.data[0]?.subjectTrans).not.toBe(page.data[0]?.subject);
  });

  it('finds a good by its title in Chinese and English', async () => {
    const zh = (await list({ pageSize: 1 })).body.data.data[0];
    const en = (await list({ pageSize: 1, country: 'en' })).body.data.data[0];
    for (const keyword of [zh?.subject, en?.subjectTrans]) {
      const found = (await list({ keyword, pageSize: 50 })).body.data;
      expect(
        found.data.map((g) => g.offerId),
        keyword,
      ).toContain(zh?.offerId);
    }
    expect((await list({ keyword: 'xyzzy' })).body.data).toMatchObject({ totalRecords: 0, totalPage: 0, data: [] });
  });

  it('narrows by price and pages', async () => {
    const all = (await list({ pageSize: 50 })).body.data;
    const ranged = (await list({ priceEnd: '50', pageSize: 50 })).body.data;
    expect(ranged.totalRecords).toBe(all.data.filter((g) => g.priceInfo.price <= 5000).length);
    const second = (await list({ beginPage: 2, pageSize: 3 })).body.data;
    expect(second).toMatchObject({ currentPage: 2, pageSize: 3, totalPage: Math.ceil(all.totalRecords / 3) });
    expect(second.data.map((g) => g.offerId)).toEqual(all.data.slice(3, 6).map((g) => g.offerId));
  });

  it('answers 40001 naming the field', async () => {
    expectInvalid(await list({ sort: '{"sales":"desc"}' }), 'sort');
    expectInvalid(await list({ priceEnd: '1e3' }), 'priceEnd');
    expectInvalid(await list({ priceStart: '9', priceEnd: '1' }), 'priceEnd');
    expectInvalid(await list({ country: 'jp' }), 'country');
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
