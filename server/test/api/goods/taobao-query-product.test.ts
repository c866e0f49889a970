import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from './goods-harness.js';

interface Product {
  itemId: number;
  mpId: string | null;
  title: string;
  titleTrans: string;
  language: string;
  matchedBy: string;
}

describe('GET /open/product/query (T5)', () => {
  let g: GoodsServer;
  let itemId: string;
  let mpId: string;
  beforeAll(async () => {
    g = await startGoodsServer();
    itemId = g.taobaoIds[4] ?? '';
    const r = await g.server.signed<Product>(g.dev, 'GET', `/open/product/get?itemId=${itemId}`);
    mpId = r.body.data.mpId ?? '';
  });
  afterAll(() => g.close());

  const query = (q: string, extra = '') =>
    g.server.signed<Product>(g.dev, 'GET', `/open/product/query?query=${encodeURIComponent(q)}${extra}`);

  it('answers the same product as GET /open/product/get, with how the query was read', async () => {
    const details = await g.server.signed<Product>(g.dev, 'GET', `/open/product/get?itemId=${itemId}&language=th`);
    const r = await query(itemId, '&language=th');
    expect(r.body.code).toBe(200);
    const { matchedBy, ...product } = r.body.data;
    expect(matchedBy).toBe('itemId');
    expect(product).toEqual(details.body.data);
    expect(product.language).toBe('th');
  });

  it('reads item page URLs of Taobao and Tmall, desktop and mobile', async () => {
    const urls = [
      `https://item.taobao.com/item.htm?id=${itemId}`,
      `https://detail.tmall.com/item.htm?spm=a230r.1.14.1.55a8&id=${itemId}&skuId=4000040000000`,
      `https://h5.m.taobao.com/awp/core/detail.htm?ft=t&id=${itemId}`,
      `https://a.m.taobao.com/i${itemId}.htm`,
      `item.taobao.com/item.htm?id=${itemId}`,
      // A short link that carries the item id can be read without following it.
      `https://m.tb.cn/h.5Ffzq3k?tk=abc&id=${itemId}`,
    ];
    for (const url of urls) {
      const r = await query(url);
      expect(r.body.code, url).toBe(200);
      expect(r.body.data.itemId, url).toBe(Number(itemId));
      expect(r.body.data.matchedBy, url).toBe('url');
    }
  });

  it('finds the item URL inside the share text of the Taobao app', async () => {
    const texts = [
      `【淘宝】https://item.taobao.com/item.htm?id=${itemId} 「休闲牛仔布男士休闲长裤」点击链接直接打开`,
      `Look at this: https://detail.tmall.com/item.htm?id=${itemId}, cheap!`,
      `复制这条消息打开手机淘宝 item.taobao.com/item.htm?id=${itemId}「好物」`,
    ];
    for (const text of texts) {
      const r = await query(text, '&language=vi');
      expect(r.body.code, text).toBe(200);
      expect(r.body.data.itemId, text).toBe(Number(itemId));
      expect(r.body.data.matchedBy, text).toBe('shareText');
      expect(r.body.data.language).toBe('vi');
    }
  });

  it('reads digits that are no item id as a distribution id (mpId)', async () => {
    expect(mpId).toMatch(/^[0-9]+$/);
    const r = await query(mpId);
    expect(r.body.code).toBe(200);
    expect(r.body.data.itemId).toBe(Number(itemId));
    expect(r.body.data.mpId).toBe(mpId);
    expect(r.body.data.matchedBy).toBe('mpId');
  });

  it('answers 40001 for short links and queries with nothing to resolve', async () => {
    const short = await query('【淘宝】https://m.tb.cn/h.5Ffzq3k?tk=abc 「好物」');
    expect(short.status).toBe(400);
    expect(short.body.code).toBe(40001);
    expect(short.body.msg).toContain('query');
    expect(short.body.msg).toMatch(/short link/);

    const cases = [
      'a nice jacket',
      'https://example.com/item.htm?id=600040000004',
      'https://item.taobao.com/item.htm?spm=abc',
      '1'.repeat(21),
      '   ',
      '￥AbCdEfGh￥ 打开手淘',
    ];
    for (const q of cases) {
      const r = await query(q);
      expect(r.body.code, q).toBe(40001);
      expect(r.body.msg, q).toContain('query');
    }
    const missing = await g.server.signed(g.dev, 'GET', '/open/product/query');
    expect(missing.body.code).toBe(40001);
    expect(missing.body.msg).toContain('query');
    const unknownField = await query(itemId, '&itemId=1');
    expect(unknownField.body.code).toBe(40001);
    expect(unknownField.body.msg).toContain('itemId');
  });

  it('answers 40401 when the query resolves to no item', async () => {
    for (const q of ['672991141190', 'https://item.taobao.com/item.htm?id=672991141190']) {
      const r = await query(q);
      expect(r.status, q).toBe(404);
      expect(r.body.code, q).toBe(40401);
      expect(r.body.msg, q).toContain('672991141190');
    }
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    // Items not asked for before, so the details cache does not answer for the failing upstream.
    const fresh = g.taobaoIds[40] ?? '';
    try {
      await g.server.admin('PUT', '/sandbox/faults/getProduct', { errorRate: 1 });
      const failed = await query(`https://item.taobao.com/item.htm?id=${fresh}`);
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe(50201);
      await g.server.admin('DELETE', '/sandbox/faults');

      // Unknown as an item id, the digits are then looked up as an mpId, which does not answer.
      await g.server.admin('PUT', '/sandbox/faults/getProductByMpId', { timeoutRate: 1 });
      const slow = await query('2040000400999999');
      expect(slow.status).toBe(504);
      expect(slow.body.code).toBe(50401);
    } finally {
      await g.server.admin('DELETE', '/sandbox/faults');
    }
    expect((await query(fresh)).body.code).toBe(200);
  });
});
