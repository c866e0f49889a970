import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CartServer,
  type Chosen,
  expectCode,
  ok,
  startCartServer,
  T30_EXAMPLE,
  type TaobaoItem,
  type TaobaoList,
} from './cart-harness.js';

describe('POST /open/cart/add (T30)', () => {
  let c: CartServer;
  let picks: Chosen[];
  beforeAll(async () => {
    c = await startCartServer();
    picks = await c.taobaoPicks(6);
  });
  afterAll(() => c.close());

  const add = (body: unknown, who = c.sub) => c.call<TaobaoItem>(who, 'POST', '/open/cart/add', body);
  const pick = (i: number) => picks[i] as Chosen;
  const body = (i: number, quantity?: number) => ({
    mpId: pick(i).product.mpId,
    mpSkuId: pick(i).sku.mpSkuId,
    ...(quantity === undefined ? {} : { quantity }),
  });

  it('adds the SKU with the market’s title, prices and shop, not the client’s copy', async () => {
    const { product, sku } = pick(0);
    const item = ok(await add({ ...T30_EXAMPLE, ...body(0, 3), language: 'vi' }));
    expect(item.id).toMatch(/^[0-9]{1,20}$/);
    expect(item).toMatchObject({
      itemId: Number(product.productId),
      skuId: sku.skuId,
      mpId: product.mpId,
      mpSkuId: sku.mpSkuId,
      quantity: 3,
      price: sku.priceFen,
      promotionPrice: sku.promotionPriceFen,
      shopId: Number(product.shop.shopId),
      shopName: product.shop.shopName.zh,
      shopNameTrans: product.shop.shopName.vi,
      itemTitle: product.title.zh,
      itemTitleTrans: product.title.vi,
      skuQuantity: 500,
      reason: null,
    });
    expect(item.itemTitle).not.toBe(T30_EXAMPLE.itemTitle);
    expect(item.properties[0]?.propName).toBe(sku.properties[0]?.propName.zh);
    expect(item.properties[0]?.propNameTrans).toBe(sku.properties[0]?.propName.vi);
  });

  it('adds to the record of a SKU already in the cart; quantity defaults to 1', async () => {
    const first = ok(await add(body(1, 2)));
    const again = ok(await add(body(1)));
    expect(again.id).toBe(first.id);
    expect(again.quantity).toBe(3);
  });

  it('ends 20 concurrent adds of one SKU in one record holding their sum', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => add(body(2, i + 1))));
    for (const r of replies) expect(r.body.code, r.text).toBe(200);
    expect(new Set(replies.map((r) => r.body.data.id)).size).toBe(1);
    const list = ok(await c.call<TaobaoList>(c.sub, 'GET', '/open/cart/list'));
    const mine = list.shopList.flatMap((s) => s.items).filter((i) => i.mpSkuId === pick(2).sku.mpSkuId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.quantity).toBe(210);
  });

  it('adds once for one Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'cart-add-once-1' };
    const first = await c.server.signed<TaobaoItem>(c.sub, 'POST', '/open/cart/add', {
      body: body(3, 4),
      headers: key,
    });
    const second = await c.server.signed<TaobaoItem>(c.sub, 'POST', '/open/cart/add', {
      body: body(3, 4),
      headers: key,
    });
    expect(ok(first).quantity).toBe(4);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(ok(second).quantity).toBe(4);
    expect(ok(await add(body(3, 1))).quantity).toBe(5);
  });

  it('answers the documented example body with 40401, never 40001', async () => {
    const r = await add(T30_EXAMPLE);
    expectCode(r, 40401);
    expect(r.body.msg).toContain('26');
  });

  it('answers 40401 for an unknown SKU or a delisted product', async () => {
    const unknownSku = await add({ mpId: pick(4).product.mpId, mpSkuId: '999999' });
    expectCode(unknownSku, 40401);
    expect(unknownSku.body.msg).toContain('SKU 999999');
    await c.server.admin('POST', `/sandbox/taobao/goods/${pick(4).product.productId}/delist`);
    const r = await add(body(4));
    expectCode(r, 40401);
    expect(r.body.msg).toContain(String(pick(4).product.mpId));
  });

  it('answers 42202 when the stock is below the cart’s quantity, and keeps the record as it was', async () => {
    await c.setStock('taobao', pick(5).product.productId, 5, pick(5).sku.skuId);
    expectCode(await add(body(5, 6)), 42202);
    expect(ok(await add(body(5, 4))).quantity).toBe(4);
    expectCode(await add(body(5, 2)), 42202);
    expect(ok(await add(body(5, 1))).quantity).toBe(5);
  });

  it('answers 40001 naming the field for missing ids and quantities out of 1..9999, also summed', async () => {
    expectCode(await add({ mpSkuId: '1' }), 40001, 'mpId');
    expectCode(await add({ mpId: '1' }), 40001, 'mpSkuId');
    expectCode(await add({ ...body(0), quantity: 0 }), 40001, 'quantity');
    expectCode(await add({ ...body(0), quantity: 10000 }), 40001, 'quantity');
    expectCode(await add({ ...body(0), colour: 'red' }), 40001, 'colour');
    await c.setStock('taobao', pick(0).product.productId, 20000, pick(0).sku.skuId);
    expect(ok(await add(body(0, 9990))).quantity).toBe(9993);
    expectCode(await add(body(0, 7)), 40001, 'quantity');
  });

  it('refuses a record beyond the cart’s 200 with 40901', async () => {
    const db = c.server.deps.database.db;
    const now = Date.now();
    await db
      .insertInto('cart_items')
      .values(
        Array.from({ length: 200 }, (_, i) => ({
          id: String(9_000_000_000 + i),
          platform: 'taobao' as const,
          develop_id: c.sibling.developId,
          user_id: c.sibling.userId,
          product_id: String(1_000 + i),
          sku_id: '1',
          mp_id: null,
          mp_sku_id: null,
          shop_id: '1',
          seller_open_id: null,
          quantity: 1,
          snapshot: '{}',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const r = await add(body(1), c.sibling);
    expectCode(r, 40901);
    expect(r.body.msg).toContain('200');
    // Another sub-account's cart is not full.
    expect(ok(await add(body(1), c.dev)).quantity).toBe(1);
  });

  it('answers 50201 when the market fails', async () => {
    await c.server.admin('PUT', '/sandbox/faults/getProductByMpId', { errorRate: 1 });
    const r = await add(body(1));
    await c.server.admin('DELETE', '/sandbox/faults');
    expectCode(r, 50201);
  });
});
