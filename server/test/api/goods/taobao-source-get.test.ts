import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from './goods-harness.js';

interface Source {
  itemId: number;
  language: string;
  title: string;
  titleTrans: string;
  description: string;
  descriptionTrans: string;
  itemResources: {
    type: string;
    url: string;
    scene: string;
    skuIds: string[];
    name: string | null;
    nameTrans: string | null;
  }[];
}

interface Product {
  title: string;
  titleTrans: string;
  description: string;
  descriptionTrans: string;
  picUrls: string[];
  skuList: {
    skuId: string;
    picUrl: string;
    properties: { propId: string; valueName: string; valueNameTrans: string }[];
  }[];
}

describe('POST /open/product/source/get (T6)', () => {
  let g: GoodsServer;
  beforeAll(async () => {
    g = await startGoodsServer();
  });
  afterAll(() => g.close());

  const source = (body: unknown, headers: Record<string, string> = {}) =>
    g.server.signed<Source>(g.dev, 'POST', '/open/product/source/get', { body, headers });

  it('answers the title and description beside their translation, and the item’s pictures', async () => {
    const itemId = g.taobaoIds[6] ?? '';
    const details = (await g.server.signed<Product>(g.dev, 'GET', `/open/product/get?itemId=${itemId}&language=vi`))
      .body.data;
    const r = await source({ itemId, language: 'vi' });
    expect(r.body.code).toBe(200);
    const s = r.body.data;
    expect(s).toMatchObject({
      itemId: Number(itemId),
      language: 'vi',
      title: details.title,
      titleTrans: details.titleTrans,
      description: details.description,
      descriptionTrans: details.descriptionTrans,
    });
    expect(s.titleTrans).not.toBe(s.title);
    expect(s.descriptionTrans).not.toBe(s.description);

    const items = s.itemResources.filter((x) => x.scene !== 'sku');
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((x) => x.url)).toEqual(details.picUrls);
    expect(items.map((x) => x.scene)).toEqual(details.picUrls.map((_, i) => (i === 0 ? 'main' : 'gallery')));
    expect(s.itemResources.every((x) => x.type === 'image')).toBe(true);

    // Every SKU picture that is not an item picture is listed once, with the SKUs it shows and its colour.
    const skuPictures = s.itemResources.filter((x) => x.scene === 'sku');
    const expected = new Set(details.skuList.map((k) => k.picUrl).filter((u) => !details.picUrls.includes(u)));
    expect(new Set(skuPictures.map((x) => x.url))).toEqual(expected);
    expect(skuPictures.length).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(0);
    for (const picture of skuPictures) {
      const skus = details.skuList.filter((k) => k.picUrl === picture.url);
      expect(picture.skuIds).toEqual(skus.map((k) => k.skuId));
      const colour = skus[0]?.properties.find((p) => p.propId === '1627207');
      expect(picture.name).toContain(colour?.valueName);
      expect(picture.nameTrans).toContain(colour?.valueNameTrans);
    }
    for (const x of items) expect(x).toMatchObject({ skuIds: [], name: null, nameTrans: null });
  });

  it('takes the language from Accept-Language when the body has none', async () => {
    const r = await source({ itemId: g.taobaoIds[6] }, { 'accept-language': 'es-ES,es;q=0.9' });
    expect(r.body.data.language).toBe('es');
    expect(r.body.data.titleTrans).not.toBe(r.body.data.title);
  });

  it('accepts the documented example as-is (unknown in the sandbox: 40401)', async () => {
    const r = await source({ itemId: '42971808988', language: 'vi' });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain('42971808988');
  });

  it('answers 40001 naming the field for a missing or malformed parameter', async () => {
    const cases: [unknown, string][] = [
      [{}, 'itemId'],
      [{ itemId: 'abc' }, 'itemId'],
      [{ itemId: '1'.repeat(21) }, 'itemId'],
      [{ itemId: '1', language: 'fr' }, 'language'],
      [{ itemId: '1', lang: 'vi' }, 'lang'],
    ];
    for (const [body, field] of cases) {
      const r = await source(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe(40001);
      expect(r.body.msg).toContain(field);
    }
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    // Items not asked for before, so the details cache does not answer for the failing upstream.
    try {
      await g.server.admin('PUT', '/sandbox/faults/getProduct', { errorRate: 1 });
      const failed = await source({ itemId: g.taobaoIds[20] });
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe(50201);

      await g.server.admin('PUT', '/sandbox/faults/getProduct', { timeoutRate: 1 });
      const slow = await source({ itemId: g.taobaoIds[21] });
      expect(slow.status).toBe(504);
      expect(slow.body.code).toBe(50401);
    } finally {
      await g.server.admin('DELETE', '/sandbox/faults');
    }
    expect((await source({ itemId: g.taobaoIds[20] })).body.code).toBe(200);
  });
});
