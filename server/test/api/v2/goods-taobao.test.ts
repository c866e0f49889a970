import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import { type GoodsServer, startGoodsServer } from '../goods/goods-harness.js';
import { expectNotFound, OPAQUE, opaqueOf, tampered } from './goods-opaque.js';

interface Sku {
  skuId: string;
  mpSkuId: string | null;
  picUrl: string | null;
  price: number;
  promotionPrice: number;
  quantity: number;
  status: string;
}

interface Product {
  itemId: number | string;
  mpId: string | null;
  title: string;
  titleTrans: string;
  language: string;
  picUrls: string[];
  noMpReason: string | null;
  skuList: Sku[];
}

interface ListItem {
  itemId: number | string;
  mpId: string | null;
  title: string;
  similarity?: number;
}

interface Page {
  total: number;
  pageNo: number;
  pageSize: number;
  list: ListItem[];
}

interface Check {
  mpProducts: {
    itemId: string;
    mpId: string;
    skuList: { skuId: string; mpSkuId: string; price: number; quantity: number; status: string }[];
  }[];
  noMpProductItemIds: string[];
  noMpReasonList: { itemId: string; reason: string }[];
}

interface Source {
  itemId: number | string;
  title: string;
  itemResources: { url: string; scene: string; skuIds: string[] }[];
}

/** PandaPon's v2 example of `GET /v2/taobao/product/get`: an opaque id of another deployment. */
const DOCUMENTED_ITEM = 'WUnUC1cILiBjt-Jv3lDdlQ';

describe('v2 Taobao goods (T1–T6)', () => {
  let g: GoodsServer;
  /** A distributable item (v1 id), its v1 details and an item the sandbox keeps out of distribution. */
  let itemId: string;
  let v1Product: Product;
  let notDistributable: string;
  beforeAll(async () => {
    // Picture search does real work (decoding, descriptors): a deadline that a loaded machine meets, with both
    // versions of the search and another test file beside this one.
    g = await startGoodsServer({ UPSTREAM_TIMEOUT_MS: '5000' });
    const db = g.server.deps.sandbox?.store.db;
    if (!db) throw new Error('the goods tests run on the sandbox market');
    const ids = (where: string) =>
      (
        db.prepare(`select id from goods where platform = 'taobao' and ${where} order by idx`).all() as { id: string }[]
      ).map((r) => r.id);
    itemId = ids('mp_id is not null')[2] ?? '';
    notDistributable = ids('mp_id is null')[0] ?? '';
    v1Product = (await v1<Product>('GET', `/open/product/get?itemId=${itemId}&language=vi`)).body.data;
  });
  afterAll(() => g.close());

  const v1 = <T>(method: string, url: string, body?: unknown) =>
    g.server.signed<T>(g.dev, method, url, body === undefined ? {} : { body });
  const v2 = v1;
  const opaque = (kind: OpaqueKind, id: string | number) => opaqueOf(g.server, kind, id);
  const opaqueOrNull = (kind: OpaqueKind, id: string | null) => opaqueOf(g.server, kind, id);

  /** What v2 answers for a product v1 answers: the same, with its item, mp and SKU ids opaque. */
  const asV2 = <T extends { itemId: number | string; mpId: string | null; skuList: Sku[] }>(p: T): T => ({
    ...p,
    itemId: opaque('taobao-item', p.itemId),
    mpId: opaqueOrNull('taobao-mp', p.mpId),
    skuList: p.skuList.map((s) => ({
      ...s,
      skuId: opaque('taobao-sku', s.skuId),
      mpSkuId: opaqueOrNull('taobao-mp-sku', s.mpSkuId),
    })),
  });
  const listAsV2 = (items: ListItem[]) =>
    items.map((i) => ({ ...i, itemId: opaque('taobao-item', i.itemId), mpId: opaqueOrNull('taobao-mp', i.mpId) }));

  describe('GET /v2/taobao/product/get (T4)', () => {
    const get = (query: string) => v2<Product>('GET', `/v2/taobao/product/get?${query}`);

    it('answers the item with opaque item, mp and SKU ids, by its opaque id or its v1 id', async () => {
      expect(v1Product.itemId).toBe(Number(itemId));
      expect(v1Product.mpId).toMatch(/^[0-9]+$/);
      expect(v1Product.skuList.some((s) => s.mpSkuId !== null)).toBe(true);
      const byOpaque = await get(`itemId=${opaque('taobao-item', itemId)}&language=vi`);
      expect(byOpaque.body.code, byOpaque.text).toBe(200);
      expect(byOpaque.body.data).toEqual(asV2(v1Product));
      expect(byOpaque.body.data.itemId).toMatch(OPAQUE);
      const byV1Id = await get(`itemId=${itemId}&language=vi`);
      expect(byV1Id.body.data).toEqual(byOpaque.body.data);
    });

    it('answers 40401 for the documented example, a tampered id and an opaque id of another kind', async () => {
      expectNotFound(await get(`itemId=${DOCUMENTED_ITEM}`), DOCUMENTED_ITEM);
      const bad = tampered(opaque('taobao-item', itemId));
      expectNotFound(await get(`itemId=${bad}`), bad);
      const sku = opaque('taobao-sku', itemId);
      expectNotFound(await get(`itemId=${sku}`), sku);
      // An opaque id of this deployment for an item the marketplace does not have.
      expect((await get(`itemId=${opaque('taobao-item', '672991141190')}`)).body.code).toBe(40401);
      expect((await get('itemId=672991141190')).body.code).toBe(40401);
      // Text that is no id of any form is an unknown item on v2 (v1 answers 40001 for its form).
      expectNotFound(await get('itemId=abc'), 'abc');
    });
  });

  describe('POST /v2/taobao/product/item/search (T2)', () => {
    const search = (body: unknown) => v2<Page>('POST', '/v2/taobao/product/item/search', body);

    it('accepts the documented example as published', async () => {
      const r = await search({ keyword: '电动车', pageSize: 5, pageNo: 1, sort: 'tk_rate_desc' });
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data).toMatchObject({ pageNo: 1, pageSize: 5 });
      expect(r.body.data.list.length).toBeLessThanOrEqual(5);
    });

    it('lists the goods v1 lists, with opaque item and mp ids that the details take', async () => {
      const body = { pageSize: 40, sort: 'price_asc', language: 'es' };
      const [old, r] = await Promise.all([v1<Page>('POST', '/open/product/item/search', body), search(body)]);
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data).toEqual({ ...old.body.data, list: listAsV2(old.body.data.list) });
      expect(old.body.data.list.some((i) => i.mpId !== null)).toBe(true);
      const first = r.body.data.list[0];
      const details = await v2<Product>('GET', `/v2/taobao/product/get?itemId=${first?.itemId}&language=es`);
      expect(details.body.data).toMatchObject({ itemId: first?.itemId, mpId: first?.mpId, title: first?.title });
    });
  });

  describe('POST /v2/taobao/product/image/search (T1)', () => {
    it('finds the item by its picture, with opaque ids, as v1 finds it', async () => {
      const body = { imageAddress: v1Product.picUrls[0], pageSize: 5 };
      // One after the other: picture searches are heavy.
      const old = await v1<Page>('POST', '/open/product/image/search', body);
      const r = await v2<Page>('POST', '/v2/taobao/product/image/search', body);
      expect(r.body.code, r.text).toBe(200);
      expect(old.body.data.list[0]?.itemId).toBe(Number(itemId));
      expect(r.body.data.list[0]?.itemId).toBe(opaque('taobao-item', itemId));
      expect(r.body.data).toEqual({ ...old.body.data, list: listAsV2(old.body.data.list) });
    });
  });

  describe('POST /v2/taobao/product/batch/check (T3)', () => {
    const check = (params: unknown) => v2<Check>('POST', '/v2/taobao/product/batch/check', { params });

    it('accepts the documented example: the unknown item is answered by its opaque id', async () => {
      const r = await check('[{"itemId":"672991141190","skuIds":["3452545926724"]}]');
      expect(r.body.code, r.text).toBe(200);
      const unknown = opaque('taobao-item', '672991141190');
      expect(r.body.data).toEqual({
        mpProducts: [],
        noMpProductItemIds: [unknown],
        noMpReasonList: [{ itemId: unknown, reason: expect.stringMatching(/not exist/) }],
      });
    });

    it('checks the ids v2 answers gave (and v1 ids), answering opaque item, mp and SKU ids', async () => {
      const p = asV2(v1Product);
      const [a, b] = p.skuList.filter((s) => s.mpSkuId !== null).slice(-2);
      const [oldA, oldB] = v1Product.skuList.filter((s) => s.mpSkuId !== null).slice(-2);
      // The opaque SKU id of one SKU and the v1 id of the other, in a JSON string as the contract sends it.
      const r = await check(JSON.stringify([{ itemId: p.itemId, skuIds: [b?.skuId, oldA?.skuId] }]));
      expect(r.body.code, r.text).toBe(200);
      const sku = (s: Sku | undefined) => ({
        skuId: s?.skuId,
        mpSkuId: s?.mpSkuId,
        price: s?.price,
        promotionPrice: s?.promotionPrice,
        quantity: s?.quantity,
        status: s?.status,
      });
      expect(r.body.data).toEqual({
        mpProducts: [{ itemId: p.itemId, mpId: p.mpId, skuList: [sku(b), sku(a)] }],
        noMpProductItemIds: [],
        noMpReasonList: [],
      });
      // v1 answers the same check with v1 ids.
      const old = await v1<Check>('POST', '/open/product/batch/check', {
        params: JSON.stringify([{ itemId, skuIds: [oldB?.skuId, oldA?.skuId] }]),
      });
      expect(old.body.data.mpProducts).toEqual([{ itemId, mpId: v1Product.mpId, skuList: [sku(oldB), sku(oldA)] }]);
      // The parsed list, a v1 item id, and an item kept out of distribution by its opaque id.
      const list = await check([{ itemId }, { itemId: opaque('taobao-item', notDistributable) }]);
      expect(list.body.code, list.text).toBe(200);
      expect(list.body.data.mpProducts.map((x) => x.itemId)).toEqual([p.itemId]);
      expect(list.body.data.mpProducts[0]?.skuList.map((s) => s.skuId)).toEqual(
        p.skuList.filter((s) => s.mpSkuId !== null).map((s) => s.skuId),
      );
      expect(list.body.data.noMpProductItemIds).toEqual([opaque('taobao-item', notDistributable)]);
      expect(list.body.data.noMpReasonList[0]?.itemId).toBe(opaque('taobao-item', notDistributable));
    });

    it('answers 40401 for a tampered item or SKU id in params', async () => {
      const p = asV2(v1Product);
      const item = tampered(p.itemId as string);
      expectNotFound(await check(JSON.stringify([{ itemId: item }])), item);
      const sku = tampered(p.skuList[0]?.skuId ?? '');
      expectNotFound(await check(JSON.stringify([{ itemId: p.itemId, skuIds: [sku] }])), sku);
    });
  });

  describe('GET /v2/taobao/product/query (T5)', () => {
    const query = (q: string, extra = '') =>
      v2<Product & { matchedBy: string }>('GET', `/v2/taobao/product/query?query=${encodeURIComponent(q)}${extra}`);

    it('reads an item’s opaque id, its v1 id and its links, answering as the v2 details do', async () => {
      const details = await v2<Product>('GET', `/v2/taobao/product/get?itemId=${itemId}&language=th`);
      const byOpaque = await query(details.body.data.itemId as string, '&language=th');
      expect(byOpaque.body.code, byOpaque.text).toBe(200);
      expect(byOpaque.body.data).toEqual({ ...details.body.data, matchedBy: 'itemId' });
      expect((await query(itemId, '&language=th')).body.data).toEqual(byOpaque.body.data);
      const link = await query(`【淘宝】https://item.taobao.com/item.htm?id=${itemId} 「好物」`);
      expect(link.body.data).toMatchObject({ itemId: details.body.data.itemId, matchedBy: 'shareText' });
      // A v1 mpId (digits) still resolves; the answer carries it opaque.
      const byMpId = await query(v1Product.mpId ?? '');
      expect(byMpId.body.data).toMatchObject({
        itemId: details.body.data.itemId,
        mpId: details.body.data.mpId,
        matchedBy: 'mpId',
      });
      const old = await v1<Product>('GET', `/open/product/query?query=${itemId}`);
      expect(old.body.data.itemId).toBe(Number(itemId));
    });

    it('answers 40401 for an opaque mpId and a tampered id; other text as v1 reads it', async () => {
      const mpId = opaque('taobao-mp', v1Product.mpId ?? '');
      expectNotFound(await query(mpId), mpId);
      const bad = tampered(opaque('taobao-item', itemId));
      expectNotFound(await query(bad), bad);
      for (const text of ['a nice jacket', '【淘宝】https://m.tb.cn/h.5Ffzq3k?tk=abc 「好物」']) {
        const r = await query(text);
        expect(r.body.code, text).toBe(40001);
        expect(r.body.msg, text).toContain('query');
      }
    });
  });

  describe('POST /v2/taobao/product/source/get (T6)', () => {
    const source = (body: unknown) => v2<Source>('POST', '/v2/taobao/product/source/get', body);

    it('answers opaque item and SKU ids, for the item’s opaque id or its v1 id', async () => {
      const old = await v1<Source>('POST', '/open/product/source/get', { itemId, language: 'vi' });
      const r = await source({ itemId: opaque('taobao-item', itemId), language: 'vi' });
      expect(r.body.code, r.text).toBe(200);
      expect(old.body.data.itemId).toBe(Number(itemId));
      expect(r.body.data).toEqual({
        ...old.body.data,
        itemId: opaque('taobao-item', itemId),
        itemResources: old.body.data.itemResources.map((x) => ({
          ...x,
          skuIds: x.skuIds.map((s) => opaque('taobao-sku', s)),
        })),
      });
      // The SKU ids are those of the v2 details.
      const skuIds = new Set(asV2(v1Product).skuList.map((s) => s.skuId));
      const shown = r.body.data.itemResources.flatMap((x) => x.skuIds);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((s) => skuIds.has(s))).toBe(true);
      expect((await source({ itemId, language: 'vi' })).body.data).toEqual(r.body.data);
    });

    it('answers 40401 for an unknown item and a tampered id', async () => {
      expect((await source({ itemId: '42971808988', language: 'vi' })).body.code).toBe(40401);
      const bad = tampered(opaque('taobao-item', itemId));
      expectNotFound(await source({ itemId: bad }), bad);
    });
  });
});
