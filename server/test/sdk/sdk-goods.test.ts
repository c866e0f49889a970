import { ApiError, PonteClient } from '@ponte/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from '../api/goods/goods-harness.js';

describe('the SDK calls every goods endpoint', () => {
  let g: GoodsServer;
  let client: PonteClient;

  beforeAll(async () => {
    g = await startGoodsServer();
    client = new PonteClient({ baseUrl: g.server.baseUrl, ...g.dev });
  });
  afterAll(() => g.close());

  it('Taobao: details, search, batch check, link query, source goods and picture search', async () => {
    const itemId = g.taobaoIds[2] ?? '';
    const product = await client.taobao.get(itemId, 'es');
    expect(product.itemId).toBe(Number(itemId));
    expect(product.language).toBe('es');

    const page = await client.taobao.search({ keyword: product.titleTrans, language: 'es', pageSize: 40 });
    expect(page.list.map((i) => i.itemId)).toContain(product.itemId);

    const check = await client.taobao.batchCheck([{ itemId, skuIds: [product.skuList[0]?.skuId ?? ''] }]);
    expect(check.mpProducts.length + check.noMpProductItemIds.length).toBe(1);

    const byLink = await client.taobao.query(`https://item.taobao.com/item.htm?id=${itemId}`);
    expect(byLink.itemId).toBe(product.itemId);
    expect((await client.taobao.source(itemId, 'vi')).language).toBe('vi');

    const picture = Buffer.from(await (await fetch(product.picUrls[0] ?? '')).arrayBuffer());
    const copy = await sharp(picture).resize(300, 300).jpeg({ quality: 75 }).toBuffer();
    const hits = await client.taobao.imageSearch({ imageBase64: copy.toString('base64') });
    expect(hits.list[0]?.itemId).toBe(product.itemId);

    const missing = await client.taobao.get('1').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).code).toBe(40401);
  });

  it('1688: details, search, supplier offers, categories, related and marketing lists', async () => {
    const offerId = g.alibabaIds[1] ?? '';
    const detail = await client.alibaba.detail({ offerId, country: 'en' });
    expect(String(detail.offerId)).toBe(offerId);
    const found = await client.alibaba.search({ keyword: detail.subjectTrans, country: 'en', pageSize: 50 });
    expect(found.data.map((i) => String(i.offerId))).toContain(offerId);
    const seller = detail.sellerOpenId ?? '';
    expect((await client.alibaba.sellerOffers({ sellerOpenId: seller })).data.length).toBeGreaterThan(0);
    expect((await client.alibaba.wangwangUrl(seller)).url).toMatch(/^https:\/\//);
    expect((await client.alibaba.category({})).children.length).toBe(8);
    expect((await client.alibaba.related({ offerId })).data.length).toBeGreaterThan(0);
    expect((await client.alibaba.recommend({ offerIds: [offerId] })).data.length).toBeGreaterThan(0);
    const hot = await client.alibaba.hotList({ pageSize: 5 });
    const sold = hot.data.map((i) => i.monthSold);
    expect([...sold].sort((a, b) => b - a)).toEqual(sold);
    const strict = (await client.alibaba.strictSelection({})).data;
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every((i) => i.strictSelection)).toBe(true);
    const global = (await client.alibaba.globalSelection({})).data;
    expect(global.length).toBeGreaterThan(0);
    expect(global.every((i) => i.strictSelection && i.shipInToday)).toBe(true);
  });
});
