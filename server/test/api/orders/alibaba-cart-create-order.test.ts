import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { ADDRESS, type Offer, type OrdersServer, startOrdersServer } from './alibaba-fixtures.js';

interface CartList {
  enableList: { sellerOpenId: string; cartItemInfos: { id: string; offerId: number }[] }[];
  disableList: CartList['enableList'];
}

interface BatchResult {
  successOrderList: { sellerOpenId: string; offerIds: string[]; orderId: string; totalSuccessAmount: number }[];
  failedOrderList: { sellerOpenId: string; offerIds: string[]; errorCode: number; errorMsg: string }[];
}

/** A26: the 1688 cart (A30, A31) ordered, one order per supplier. */
describe('POST /alibaba/cart/create/order (A26)', () => {
  let s: OrdersServer;
  beforeAll(async () => {
    s = await startOrdersServer();
  });
  afterAll(() => s.close());

  const add = async (c: Credentials, offer: Offer, quantity = offer.minOrderQuantity) => {
    const r = await s.post<{ id: string }>(c, '/alibaba/cart/add', {
      offerId: offer.offerId,
      specId: offer.specId,
      quantity,
    });
    expect(r.body.code, r.text).toBe(200);
    return r.body.data.id;
  };
  const cartIds = async (c: Credentials) => {
    const r = await s.get<CartList>(c, '/alibaba/cart/list');
    expect(r.body.code, r.text).toBe(200);
    const shops = [...r.body.data.enableList, ...r.body.data.disableList];
    return shops.flatMap((shop) => shop.cartItemInfos.map((i) => i.id)).sort();
  };
  const order = (c: Credentials, ids: string[], key?: string) =>
    s.post<BatchResult>(
      c,
      '/alibaba/cart/create/order',
      { flow: 'general', message: '尽快', addressParam: ADDRESS, cartIds: ids, userId: null, staffName: '小王' },
      key ? { 'idempotency-key': key } : {},
    );

  it('orders the cart, one order per supplier, and empties what was ordered', async () => {
    const dev = await s.server.createDeveloper('cart buyer');
    const [a, b, c] = s.offers.slice(1, 4) as [Offer, Offer, Offer];
    await add(dev, a);
    await add(dev, b);
    const kept = await add(dev, c);
    const ids = (await cartIds(dev)).filter((id) => id !== kept).reverse();
    expect(ids).toHaveLength(2);

    const r = await order(dev, ids, 'cart-order');
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.failedOrderList).toEqual([]);
    const orders = r.body.data.successOrderList;
    expect(orders.map((o) => o.sellerOpenId).sort()).toEqual([a.sellerOpenId, b.sellerOpenId].sort());
    for (const o of orders) {
      const d = await s.detail(dev, o.orderId);
      expect(d.baseInfo).toMatchObject({ status: 'waitbuyerpay', sellerOpenId: o.sellerOpenId, remark: '尽快' });
      expect(d.productItems.map((p) => String(p.productID))).toEqual(o.offerIds);
    }
    expect(await cartIds(dev)).toEqual([kept]);
    // The same key answers the same orders; the ordered records are gone, so a new request finds none.
    const again = await order(dev, ids, 'cart-order');
    expect(again.body.data).toEqual(r.body.data);
    expect((await order(dev, ids)).body.code).toBe(40401);
  });

  it('answers the same orders to a retry whose first reply was lost (the records already ordered)', async () => {
    const dev = await s.server.createDeveloper('lost reply');
    const [a, b] = s.offers.slice(1, 3) as [Offer, Offer];
    await add(dev, a);
    await add(dev, b);
    const ids = await cartIds(dev);
    const first = await order(dev, ids, 'lost-reply');
    expect(first.body.code, first.text).toBe(200);
    // The process died after recording the orders and before storing the reply for the key.
    await s.server.deps.database.db.deleteFrom('idempotency_keys').where('idem_key', '=', 'lost-reply').execute();
    const retried = await order(dev, ids, 'lost-reply');
    expect(retried.body.code, retried.text).toBe(200);
    expect(retried.body.data.successOrderList.map((o) => o.orderId).sort()).toEqual(
      first.body.data.successOrderList.map((o) => o.orderId).sort(),
    );
  });

  it('keeps a failed supplier’s records in the cart, with why', async () => {
    const dev = await s.server.createDeveloper('cart partly');
    const [a] = s.offers as [Offer];
    const b = s.offers[2] as Offer;
    const low = await add(dev, a, a.minOrderQuantity - 1);
    const ok = await add(dev, b);
    const r = await order(dev, [low, ok]);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.successOrderList.map((o) => o.sellerOpenId)).toEqual([b.sellerOpenId]);
    expect(r.body.data.failedOrderList).toMatchObject([
      { sellerOpenId: a.sellerOpenId, offerIds: [a.offerId], errorCode: 42202 },
    ]);
    expect(r.body.data.failedOrderList[0]?.errorMsg).toContain('minimum');
    expect(await cartIds(dev)).toEqual([low]);
  });

  it('answers 40401 for a record of another sub-account or developer, and orders nothing', async () => {
    const dev = await s.server.createDeveloper('cart owner');
    const other = await s.server.createDeveloper('cart stranger');
    const sub = await s.post<{ userId: string }>(dev, '/open/user/create', { name: 'sibling' });
    const sibling = { ...dev, userId: sub.body.data.userId };
    const id = await add(dev, s.offers[1] as Offer);
    for (const c of [other, sibling]) {
      const r = await order(c, [id]);
      expect(r.body.code, r.text).toBe(40401);
    }
    expect(await cartIds(dev)).toEqual([id]);
    const page = await s.post<{ totalRecords: number }>(dev, '/alibaba/order/page', {});
    expect(page.body.data.totalRecords).toBe(0);
    const missing = await s.post(dev, '/alibaba/cart/create/order', {
      flow: 'general',
      addressParam: ADDRESS,
      cartIds: [],
    });
    expect(missing.body.code).toBe(40001);
    const noAddress = await s.post(dev, '/alibaba/cart/create/order', { flow: null, cartIds: [id] });
    expect(noAddress.body.code).toBe(40001);
  });
});
