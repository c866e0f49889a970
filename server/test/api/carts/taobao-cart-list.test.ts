import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CartServer,
  type Chosen,
  expectCode,
  ok,
  startCartServer,
  type TaobaoItem,
  type TaobaoList,
} from './cart-harness.js';

describe('GET /open/cart/list (T28)', () => {
  let c: CartServer;
  let picks: Chosen[];
  const ids = new Map<number, string>();
  beforeAll(async () => {
    c = await startCartServer();
    picks = await c.taobaoPicks(6);
    for (const [i, p] of picks.entries()) {
      const r = await c.call<TaobaoItem>(c.sub, 'POST', '/open/cart/add', {
        mpId: p.product.mpId,
        mpSkuId: p.sku.mpSkuId,
        quantity: 3,
      });
      ids.set(i, ok(r).id);
    }
  });
  afterAll(() => c.close());

  const list = (query = '', who = c.sub) => c.call<TaobaoList>(who, 'GET', `/open/cart/list${query}`);
  const pick = (i: number) => picks[i] as Chosen;
  const find = (l: TaobaoList, i: number) =>
    [...l.shopList.flatMap((s) => s.items), ...l.invalidList].find((x) => x.id === ids.get(i));

  it('lists the records by shop with today’s prices, stock and titles beside the Chinese original', async () => {
    const l = ok(await list('?language=th'));
    expect(l.total).toBe(6);
    expect(l.invalidList).toEqual([]);
    expect(l.shopList.flatMap((s) => s.items)).toHaveLength(6);
    for (const shop of l.shopList) {
      expect(shop.items.length).toBeGreaterThan(0);
      for (const item of shop.items) expect(item.shopId).toBe(shop.shopId);
    }
    for (const [i, { product, sku }] of picks.entries()) {
      const item = find(l, i);
      expect(item).toMatchObject({
        itemId: Number(product.productId),
        mpSkuId: sku.mpSkuId,
        quantity: 3,
        price: sku.priceFen,
        promotionPrice: sku.promotionPriceFen,
        skuQuantity: 500,
        itemTitle: product.title.zh,
        itemTitleTrans: product.title.th,
        shopName: product.shop.shopName.zh,
        shopNameTrans: product.shop.shopName.th,
        reason: null,
      });
    }
    // Newest first: the last record added leads.
    expect(l.shopList[0]?.items[0]?.id).toBe(ids.get(5));
  });

  it('moves records that became invalid to invalidList with their reason and its text', async () => {
    await c.server.admin('POST', `/sandbox/taobao/goods/${pick(0).product.productId}/delist`);
    await c.setStock('taobao', pick(1).product.productId, 0, pick(1).sku.skuId);
    await c.setStock('taobao', pick(2).product.productId, 2, pick(2).sku.skuId);
    const l = ok(await list('?language=es'));
    expect(l.total).toBe(6);
    const reasons = Object.fromEntries(l.invalidList.map((x) => [x.id, x.reason]));
    expect(reasons).toEqual({
      [ids.get(0) as string]: 'delisted',
      [ids.get(1) as string]: 'out_of_stock',
      [ids.get(2) as string]: 'stock_below_quantity',
    });
    const delisted = find(l, 0);
    expect(delisted?.reasonText).toBe('El producto está retirado de la venta');
    expect(delisted?.skuQuantity).toBe(0);
    expect(delisted?.itemTitle).toBe(pick(0).product.title.zh);
    expect(find(l, 2)?.skuQuantity).toBe(2);
    expect(
      l.shopList
        .flatMap((s) => s.items)
        .map((x) => x.id)
        .sort(),
    ).toEqual([3, 4, 5].map((i) => ids.get(i)).sort());
  });

  it('shows a record back among the valid ones once the product is orderable again', async () => {
    await c.server.admin('POST', `/sandbox/taobao/goods/${pick(0).product.productId}/relist`);
    expect(find(ok(await list()), 0)?.reason).toBeNull();
  });

  it('is the sub-account’s own: the main account, a sibling and another developer see none of it', async () => {
    for (const who of [c.dev, c.sibling, c.other]) {
      const l = ok(await list('', who));
      expect(l).toEqual({ shopList: [], invalidList: [], total: 0 });
    }
  });

  it('answers 40001 for an unknown query parameter and 50201 when the market fails', async () => {
    expectCode(await list('?pageNo=1'), 40001, 'pageNo');
    await c.server.admin('PUT', '/sandbox/faults/getProducts', { errorRate: 1 });
    const r = await list();
    await c.server.admin('DELETE', '/sandbox/faults');
    expectCode(r, 50201);
  });
});
