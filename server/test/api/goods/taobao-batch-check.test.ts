import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from './goods-harness.js';

interface Check {
  mpProducts: {
    itemId: string;
    mpId: string;
    skuList: {
      skuId: string;
      mpSkuId: string;
      price: number;
      promotionPrice: number;
      quantity: number;
      status: string;
    }[];
  }[];
  noMpProductItemIds: string[];
  noMpReasonList: { itemId: string; reason: string }[];
}

interface Product {
  mpId: string | null;
  noMpReason: string | null;
  skuList: { skuId: string; mpSkuId: string | null; price: number; promotionPrice: number; quantity: number }[];
}

describe('POST /open/product/batch/check (T3)', () => {
  let g: GoodsServer;
  /** Distributable items, and items the sandbox keeps out of distribution. */
  let distributable: string[];
  let notDistributable: string[];
  beforeAll(async () => {
    g = await startGoodsServer();
    const db = g.server.deps.sandbox?.store.db;
    if (!db) throw new Error('the goods tests run on the sandbox market');
    const ids = (where: string) =>
      (
        db.prepare(`select id from goods where platform = 'taobao' and ${where} order by idx`).all() as {
          id: string;
        }[]
      ).map((r) => r.id);
    distributable = ids('mp_id is not null');
    notDistributable = ids('mp_id is null');
  });
  afterAll(() => g.close());

  const check = (body: unknown) => g.server.signed<Check>(g.dev, 'POST', '/open/product/batch/check', { body });
  const asParams = (items: unknown) => ({ params: JSON.stringify(items) });
  const details = async (itemId: string) =>
    (await g.server.signed<Product>(g.dev, 'GET', `/open/product/get?itemId=${itemId}`)).body.data;

  it('accepts the documented example as-is: an unknown item has no distributable product', async () => {
    const r = await check({ params: '[{"itemId":"672991141190","skuIds":["3452545926724"]}]' });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(200);
    expect(r.body.data.mpProducts).toEqual([]);
    expect(r.body.data.noMpProductItemIds).toEqual(['672991141190']);
    expect(r.body.data.noMpReasonList).toEqual([
      { itemId: '672991141190', reason: expect.stringMatching(/not exist/) },
    ]);
  });

  it('answers the distribution ids, prices and stock of the asked SKUs', async () => {
    const itemId = distributable[2] ?? '';
    const product = await details(itemId);
    const [a, b] = product.skuList.slice(-2);
    const r = await check(asParams([{ itemId, skuIds: [b?.skuId, a?.skuId] }]));
    expect(r.body.code).toBe(200);
    expect(r.body.data.noMpProductItemIds).toEqual([]);
    expect(r.body.data.noMpReasonList).toEqual([]);
    expect(r.body.data.mpProducts).toEqual([
      {
        itemId,
        mpId: product.mpId,
        skuList: [b, a].map((s) => ({
          skuId: s?.skuId,
          mpSkuId: s?.mpSkuId,
          price: s?.price,
          promotionPrice: s?.promotionPrice,
          quantity: s?.quantity,
          status: (s?.quantity ?? 0) > 0 ? 'active' : 'inactive',
        })),
      },
    ]);
  });

  it('answers every SKU when none are asked, and reads stock fresh from the marketplace', async () => {
    const itemId = distributable[3] ?? '';
    const product = await details(itemId);
    await g.server.admin('PUT', `/sandbox/taobao/goods/${itemId}/stock`, { stock: 0 });
    const r = await check(asParams([{ itemId }, { itemId: distributable[4], skuIds: [] }]));
    const [first, second] = r.body.data.mpProducts;
    expect(product.skuList.length).toBeGreaterThan(0);
    expect(first?.skuList.map((s) => s.skuId)).toEqual(product.skuList.map((s) => s.skuId));
    expect(first?.skuList.every((s) => s.quantity === 0 && s.status === 'inactive')).toBe(true);
    expect(second?.itemId).toBe(distributable[4]);
    expect(second?.skuList.length).toBeGreaterThan(0);
  });

  it('sorts items into distributable and not, with a reason for each left out', async () => {
    const notMp = notDistributable[0] ?? '';
    const delisted = distributable[5] ?? '';
    await g.server.admin('POST', `/sandbox/taobao/goods/${delisted}/delist`);
    const ok = distributable[6] ?? '';
    const r = await check(
      asParams([{ itemId: '999999999' }, { itemId: notMp }, { itemId: ok }, { itemId: delisted, skuIds: [] }]),
    );
    expect(r.body.code).toBe(200);
    expect(r.body.data.mpProducts.map((p) => p.itemId)).toEqual([ok]);
    expect(r.body.data.noMpProductItemIds).toEqual(['999999999', notMp, delisted]);
    const reasons = new Map(r.body.data.noMpReasonList.map((x) => [x.itemId, x.reason]));
    expect(reasons.size).toBe(3);
    expect(reasons.get('999999999')).toMatch(/does not exist/);
    expect(reasons.get(notMp)).toBe((await details(notMp)).noMpReason);
    expect(reasons.get(delisted)).toMatch(/delisted/);
    await g.server.admin('POST', `/sandbox/taobao/goods/${delisted}/relist`);
  });

  it('reports an asked SKU the item does not have, and keeps the item', async () => {
    const itemId = distributable[7] ?? '';
    const known = (await details(itemId)).skuList[0]?.skuId ?? '';
    const r = await check(asParams([{ itemId, skuIds: ['123', known] }]));
    expect(r.body.data.mpProducts).toHaveLength(1);
    expect(r.body.data.mpProducts[0]?.skuList.map((s) => s.skuId)).toEqual([known]);
    expect(r.body.data.noMpProductItemIds).toEqual([]);
    expect(r.body.data.noMpReasonList).toEqual([{ itemId, reason: expect.stringContaining('SKU 123') }]);
  });

  it('takes numbers for ids and the list itself instead of a string, and answers an item asked twice once', async () => {
    const itemId = distributable[8] ?? '';
    const skus = (await details(itemId)).skuList.map((s) => s.skuId);
    const r = await check({
      params: [
        { itemId: Number(itemId), skuIds: [Number(skus[0])] },
        { itemId, skuIds: [skus[1], skus[0]] },
      ],
    });
    expect(r.body.code).toBe(200);
    expect(r.body.data.mpProducts).toHaveLength(1);
    expect(r.body.data.mpProducts[0]?.itemId).toBe(itemId);
    expect(r.body.data.mpProducts[0]?.skuList.map((s) => s.skuId)).toEqual([skus[0], skus[1]]);
  });

  it('checks 50 items at once and answers 40001 naming the field for malformed params', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ itemId: g.taobaoIds[i] }));
    const r = await check(asParams(fifty));
    expect(r.body.code).toBe(200);
    expect(r.body.data.mpProducts.length + r.body.data.noMpProductItemIds.length).toBe(50);

    const cases: [unknown, string][] = [
      [asParams([...fifty, { itemId: '1' }]), 'params'],
      [asParams([]), 'params'],
      [{ params: '[{"itemId":' }, 'params'],
      [{ params: '{"itemId":"1"}' }, 'params'],
      [{}, 'params'],
      [asParams([{ itemId: 'abc' }]), 'params[0].itemId'],
      [asParams([{ itemId: '1', skuIds: ['x'] }]), 'params[0].skuIds[0]'],
      [asParams([{ itemId: '1', sku: ['1'] }]), 'sku'],
      [asParams([{ skuIds: ['1'] }]), 'itemId'],
      [{ ...asParams([{ itemId: '1' }]), extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const bad = await check(body);
      expect(bad.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(bad.body.code).toBe(40001);
      expect(bad.body.msg).toContain(field);
    }
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    const body = asParams([{ itemId: distributable[0] }]);
    try {
      await g.server.admin('PUT', '/sandbox/faults/getProducts', { errorRate: 1 });
      const failed = await check(body);
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe(50201);

      await g.server.admin('PUT', '/sandbox/faults/getProducts', { timeoutRate: 1 });
      const slow = await check(body);
      expect(slow.status).toBe(504);
      expect(slow.body.code).toBe(50401);
    } finally {
      await g.server.admin('DELETE', '/sandbox/faults');
    }
    expect((await check(body)).body.code).toBe(200);
  });
});
