import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, type Page, startAlibabaServer } from './alibaba-harness.js';

interface Named {
  categoryId: number;
  name: string;
  nameTrans: string;
}

interface Category extends Named {
  parentId: number | null;
  path: Named[];
  children: (Named & { leaf: boolean })[];
  leaf: boolean;
}

const ENDPOINT = '/alibaba/category/get';

describe('POST /alibaba/category/get (A6)', () => {
  let a: AlibabaServer;
  beforeAll(async () => {
    a = await startAlibabaServer();
  });
  afterAll(() => a.close());

  const get = (body: unknown, headers?: Record<string, string>) => a.post<Category>(ENDPOINT, body, headers);

  it('answers the root, whose children are the top-level categories, without an id or with 0', async () => {
    const r = await get({});
    expect(r.body.code, r.text).toBe(200);
    const root = r.body.data;
    expect(root).toMatchObject({ categoryId: 0, parentId: null, path: [], leaf: false, nameTrans: 'All categories' });
    expect(root.children.length).toBeGreaterThan(1);
    for (const c of root.children) {
      expect(c.name).toMatch(/[\u4e00-\u9fff]/);
      expect(c.nameTrans).not.toBe(c.name);
      expect(c.leaf).toBe(false);
    }
    for (const body of [{ categoryId: 0 }, { categoryId: '0' }, { categoryId: '' }, { categoryId: null }]) {
      expect((await get(body)).body.data, JSON.stringify(body)).toEqual(root);
    }
  });

  it('answers a top-level category with its leaves, named in the asked language', async () => {
    const root = (await get({})).body.data;
    const top = root.children[2] as Named;
    const r = (await get({ categoryId: top.categoryId, language: 'vi' })).body.data;
    expect(r).toMatchObject({ categoryId: top.categoryId, name: top.name, parentId: 0, leaf: false });
    expect(r.nameTrans).not.toBe(top.nameTrans);
    expect(r.path).toEqual([{ categoryId: top.categoryId, name: top.name, nameTrans: r.nameTrans }]);
    expect(r.children.length).toBeGreaterThan(0);
    expect(r.children.every((c) => c.leaf)).toBe(true);
  });

  it('answers a leaf with its path from the top level, in country’s language unless language says otherwise', async () => {
    const top = (await get({ categoryId: '103000' })).body.data;
    const leafId = top.children[0]?.categoryId ?? 0;
    const th = (await get({ categoryId: String(leafId), country: 'th' })).body.data;
    expect(th).toMatchObject({ categoryId: leafId, parentId: 103000, leaf: true, children: [] });
    expect(th.path.map((p) => p.categoryId)).toEqual([103000, leafId]);
    expect(th.nameTrans).toMatch(/[\u0e00-\u0e7f]/);
    const es = (await get({ categoryId: leafId, country: 'th', language: 'es' })).body.data;
    expect(es.nameTrans).not.toBe(th.nameTrans);
    expect(es.name).toBe(th.name);
    const fromHeader = (await get({ categoryId: leafId }, { 'accept-language': 'th' })).body.data;
    expect(fromHeader.nameTrans).toBe(th.nameTrans);
  });

  it('gives ids the searches filter by', async () => {
    const leaf = (await get({ categoryId: 103000 })).body.data.children[0];
    const found = await a.post<Page>('/alibaba/product/keywords/query', { categoryId: leaf?.categoryId, pageSize: 50 });
    expect(found.body.data.data.length).toBeGreaterThan(0);
    const everything = await a.post<Page>('/alibaba/product/keywords/query', { pageSize: 1 });
    expect(found.body.data.totalRecords).toBeLessThan(everything.body.data.totalRecords);
    expect(found.body.data.data.every((g) => g.categoryId === leaf?.categoryId)).toBe(true);
  });

  it('answers 40401 for an unknown category and 40001 naming the field for a malformed one', async () => {
    const r = await get({ categoryId: 72 });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain('72');
    expectInvalid(await get({ categoryId: 'shoes' }), 'categoryId');
    expectInvalid(await get({ categoryId: -1 }), 'categoryId');
    expectInvalid(await get({ language: 'de' }), 'language');
    expectInvalid(await get({ country: 'de' }), 'country');
    expectInvalid(await get({ parentId: 1 }), 'parentId');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('getCategory', 'error');
    const failed = await get({ categoryId: 103000 });
    await a.fault('getCategory', 'timeout');
    const late = await get({});
    await a.clearFaults();
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    expect(late.status).toBe(504);
    expect(late.body.code).toBe(50401);
  });
});
