import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from './goods-harness.js';

interface Product {
  itemId: number;
  title: string;
  titleTrans: string;
  language: string;
  categoryPath: string;
  picUrls: string[];
  price: number;
  quantity: number;
  shopId: number;
  mpId: string | null;
  noMpReason: string | null;
  skuList: {
    skuId: string;
    quantity: number;
    picUrl: string;
    properties: { propName: string; propNameTrans: string }[];
  }[];
}

describe('GET /open/product/get (T4)', () => {
  let g: GoodsServer;
  beforeAll(async () => {
    g = await startGoodsServer();
  });
  afterAll(() => g.close());

  const get = (query: string, headers: Record<string, string> = {}) =>
    g.server.signed<Product>(g.dev, 'GET', `/open/product/get?${query}`, { headers });

  it('answers the item with SKUs, pictures and translations beside the Chinese original', async () => {
    const id = g.taobaoIds[3] ?? '';
    const r = await get(`itemId=${id}&language=vi`);
    expect(r.body.code).toBe(200);
    const p = r.body.data;
    expect(p.itemId).toBe(Number(id));
    expect(p.title).toMatch(/[\u4e00-\u9fff]/);
    expect(p.titleTrans).not.toBe(p.title);
    expect(p.language).toBe('vi');
    expect(p.categoryPath).toContain('->');
    expect(p.picUrls[0]).toMatch(/\/sandbox\/images\/taobao\/\d+\/0\.jpg$/);
    expect(p.quantity).toBe(p.skuList.reduce((n, s) => n + s.quantity, 0));
    expect(p.skuList[0]?.properties[0]).toMatchObject({ propName: '颜色分类', propNameTrans: 'Màu sắc' });
    expect(p.mpId ?? p.noMpReason).toBeTruthy();
    const picture = await fetch(p.picUrls[0] ?? '');
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
  });

  it('takes the language from Accept-Language when the query has none', async () => {
    const r = await get(`itemId=${g.taobaoIds[3]}`, { 'accept-language': 'th-TH,th;q=0.9' });
    expect(r.body.data.language).toBe('th');
  });

  it('answers 40401 for an unknown item, including the documented example id', async () => {
    const r = await get('itemId=672991141190');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain('672991141190');
  });

  it('answers 40001 naming the field for a missing or malformed itemId', async () => {
    for (const q of ['', 'itemId=abc', 'itemId=1&language=fr', 'itemId=1&extra=1']) {
      const r = await get(q);
      expect(r.body.code, q).toBe(40001);
    }
    expect((await get('itemId=abc')).body.msg).toContain('itemId');
  });

  it('serves repeated calls from the cache, and drops the copy when the item changes upstream', async () => {
    const id = g.taobaoIds[5] ?? '';
    expect((await get(`itemId=${id}`)).body.code).toBe(200);
    await g.server.admin('PUT', '/sandbox/faults/getProduct', { errorRate: 1 });
    // Cached: the failing upstream is not asked.
    expect((await get(`itemId=${id}`)).body.code).toBe(200);
    // A change upstream drops the copy once its event is handled: the next call reaches the (failing) upstream.
    await g.server.admin('PUT', `/sandbox/taobao/goods/${id}/stock`, { stock: 7 });
    expect((await get(`itemId=${id}`)).body.code).toBe(200);
    expect(await g.server.drainOutbox()).toBeGreaterThan(0);
    const failed = await get(`itemId=${id}`);
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    await g.server.admin('DELETE', '/sandbox/faults');
    const fresh = await get(`itemId=${id}`);
    expect(fresh.body.data.skuList.length).toBeGreaterThan(0);
    expect(fresh.body.data.skuList.every((s) => s.quantity === 7)).toBe(true);
  });

  it('answers 50401 when the upstream does not answer in time', async () => {
    await g.server.admin('PUT', '/sandbox/faults/getProduct', { timeoutRate: 1 });
    const r = await get(`itemId=${g.taobaoIds[9]}`);
    await g.server.admin('DELETE', '/sandbox/faults');
    expect(r.status).toBe(504);
    expect(r.body.code).toBe(50401);
  });
});
