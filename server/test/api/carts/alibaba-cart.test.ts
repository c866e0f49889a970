import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlibabaItem,
  type AlibabaList,
  type CartServer,
  type Chosen,
  expectCode,
  ok,
  startCartServer,
} from './cart-harness.js';

/** The unit price at the tier `quantity` reaches: the offer's tiers applied to the specification's price. */
function tierPrice({ product, sku }: Chosen, quantity: number): number {
  const first = product.tierPrices[0];
  if (!first) return sku.priceFen;
  const tier = [...product.tierPrices].reverse().find((t) => quantity >= t.minQuantity) ?? first;
  return Math.max(10, Math.round((sku.priceFen * tier.priceFen) / first.priceFen / 10) * 10);
}

describe('the 1688 cart: add (A30), list (A31), quantity (A29), delete (A27)', () => {
  let c: CartServer;
  let picks: Chosen[];
  let moq: Chosen;
  beforeAll(async () => {
    c = await startCartServer();
    picks = await c.alibabaPicks(5, 5000, (p) => p.minOrderQuantity <= 2 && p.tierPrices.length === 3);
    [moq] = (await c.alibabaPicks(1, 5000, (p) => p.minOrderQuantity >= 5)) as [Chosen];
  });
  afterAll(() => c.close());

  const pick = (i: number) => picks[i] as Chosen;
  const add = (body: unknown, who = c.sub) => c.call<AlibabaItem>(who, 'POST', '/alibaba/cart/add', body);
  const list = (query = '', who = c.sub) => c.call<AlibabaList>(who, 'GET', `/alibaba/cart/list${query}`);
  const items = (l: AlibabaList['enableList']) => l.flatMap((s) => s.cartItemInfos);
  const body = (x: Chosen, quantity?: number) => ({
    offerId: x.product.productId,
    specId: x.sku.skuId,
    ...(quantity === undefined ? {} : { quantity }),
  });

  it('adds a specification with the market’s title, supplier and the price of the tier its quantity reaches', async () => {
    const x = pick(0);
    const item = ok(await add({ ...body(x, 2), offerId: Number(x.product.productId), country: 'vi' }));
    expect(item).toMatchObject({
      offerId: Number(x.product.productId),
      specId: x.sku.skuId,
      skuId: Number(x.sku.skuId),
      quantity: 2,
      price: tierPrice(x, 2),
      amountOnSale: 5000,
      itemTitle: x.product.title.zh,
      itemTitleTrans: x.product.title.vi,
      sellerOpenId: x.product.shop.sellerOpenId,
      sellerNickName: x.product.shop.userNick,
      minOrderQuantity: x.product.minOrderQuantity,
      reason: null,
    });
    const third = x.product.tierPrices[2]?.minQuantity ?? 0;
    const more = ok(await add(body(x, third)));
    expect(more.id).toBe(item.id);
    expect(more.quantity).toBe(third + 2);
    expect(more.price).toBe(tierPrice(x, third + 2));
    expect(more.price).toBeLessThan(item.price);
  });

  it('adds below the minimum order quantity, and lists such an item as disabled with its reason', async () => {
    const item = ok(await add(body(moq, 1)));
    expect(item.reason).toBe('below_min_quantity');
    const l = ok(await list('?country=en'));
    const disabled = items(l.disableList).find((i) => i.id === item.id);
    expect(disabled).toMatchObject({ reason: 'below_min_quantity', reasonText: 'Below the minimum order quantity' });
    expect(items(l.enableList).some((i) => i.offerId === Number(pick(0).product.productId))).toBe(true);
  });

  it('lists items by supplier, with today’s stock and an invalid one apart', async () => {
    const a = ok(await add(body(pick(1), 3)));
    const b = ok(await add(body(pick(2), 3)));
    await c.server.admin('POST', `/sandbox/1688/goods/${pick(2).product.productId}/delist`);
    await c.setStock('1688', pick(1).product.productId, 1234, pick(1).sku.skuId);
    const l = ok(await list('?language=zh'));
    for (const seller of [...l.enableList, ...l.disableList]) expect(seller.cartItemInfos.length).toBeGreaterThan(0);
    const enabled = items(l.enableList).find((i) => i.id === a.id);
    expect(enabled).toMatchObject({ amountOnSale: 1234, price: tierPrice(pick(1), 3), reason: null });
    const seller = l.enableList.find((s) => s.cartItemInfos.some((i) => i.id === a.id));
    expect(seller?.sellerOpenId).toBe(pick(1).product.shop.sellerOpenId);
    const gone = items(l.disableList).find((i) => i.id === b.id);
    expect(gone).toMatchObject({ reason: 'delisted', reasonText: '商品已下架', amountOnSale: 0 });
  });

  it('sets quantities within today’s stock, without requiring the minimum order quantity', async () => {
    const item = ok(await add(body(pick(3), 10)));
    const set = ok(
      await c.call<AlibabaItem>(c.sub, 'POST', '/alibaba/cart/update/quantity', { cartId: item.id, quantity: 1 }),
    );
    expect(set).toMatchObject({ id: item.id, quantity: 1, price: tierPrice(pick(3), 1) });
    await c.setStock('1688', pick(3).product.productId, 4, pick(3).sku.skuId);
    const update = (b: unknown, who = c.sub) => c.call(who, 'POST', '/alibaba/cart/update/quantity', b);
    expectCode(await update({ cartId: item.id, quantity: 5 }), 42202);
    expectCode(await update({ cartId: item.id, quantity: 0 }), 40001, 'quantity');
    expectCode(await update({ cartId: item.id, quantity: 2 }, c.sibling), 40401);
    expectCode(await update({ cartId: item.id, quantity: 2 }, c.other), 40401);
    expectCode(await update({ cartId: '1795432287562383360', quantity: 2 }), 40401);
  });

  it('answers 40001 without the specId of an offer that has specifications, 40401 for unknown ones, 42202 beyond stock', async () => {
    expectCode(await add({ offerId: pick(4).product.productId, quantity: 1 }), 40001, 'specId');
    expectCode(await add({ offerId: '706627393257', specId: '1', quantity: 1 }), 40401);
    const spec = await add({ offerId: pick(4).product.productId, specId: '123', quantity: 1 });
    expectCode(spec, 40401);
    expect(spec.body.msg).toContain('SKU 123');
    expectCode(await add(body(pick(4), 5001)), 42202);
    expectCode(await add({ offerId: 'abc', specId: '1' }), 40001, 'offerId');
  });

  it('deletes items, all or none', async () => {
    const item = ok(await add(body(pick(4), 1)));
    const del = (cartIds: unknown[], who = c.sub) =>
      c.call<{ cartIds: string[] }>(who, 'POST', '/alibaba/cart/delete', { cartIds });
    expectCode(await del([item.id], c.sibling), 40401);
    expectCode(await del([item.id, '1795432287562383360']), 40401);
    expectCode(await del([]), 40001, 'cartIds');
    expect(items(ok(await list()).enableList).map((i) => i.id)).toContain(item.id);
    expect(ok(await del([item.id])).cartIds).toEqual([item.id]);
    const l = ok(await list());
    expect([...items(l.enableList), ...items(l.disableList)].map((i) => i.id)).not.toContain(item.id);
  });

  it('is the sub-account’s own: the main account and another developer see none of it', async () => {
    expect(ok(await list('', c.other))).toEqual({ enableList: [], disableList: [] });
    expect(ok(await list('', c.dev))).toEqual({ enableList: [], disableList: [] });
  });
});
