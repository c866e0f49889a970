import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import {
  expectCode,
  RECEIVER,
  type Sku,
  startTaobaoServer,
  T26_EXAMPLE,
  type TaobaoOrder,
  type TaobaoServer,
} from './taobao-fixtures.js';

describe('POST /open/cart/create/order (T26)', () => {
  let t: TaobaoServer;
  beforeAll(async () => {
    t = await startTaobaoServer();
  });
  afterEach(async () => {
    await t.server.admin('DELETE', '/sandbox/faults');
  });
  afterAll(() => t.close());

  const add = async (who: Credentials, sku: Sku, quantity = 1) => {
    const r = await t.post<{ id: string }>(who, '/open/cart/add', { mpId: sku.mpId, mpSkuId: sku.mpSkuId, quantity });
    expect(r.body.code, r.text).toBe(200);
    return r.body.data.id;
  };
  const cartTotal = async (who: Credentials) =>
    (await t.get<{ total: number }>(who, '/open/cart/list')).body.data.total;
  const createOrder = (who: Credentials, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.post<TaobaoOrder>(who, '/open/cart/create/order', body, headers);

  it('orders the records asked for at market prices, keeps the others, and takes the documented address', async () => {
    const [a, b, c] = t.skus as [Sku, Sku, Sku];
    const ids = [await add(t.sub, a, 2), await add(t.sub, b)];
    const kept = await add(t.sub, c);
    const r = await createOrder(t.sub, { ids, orderAddress: T26_EXAMPLE.orderAddress, userId: 'ignored' });
    expect(r.body.code, r.text).toBe(200);
    const lines = r.body.data.subPurchaseOrders.flatMap((p) => p.orderLines);
    expect(lines.map((l) => [l.itemId, l.quantity]).sort()).toEqual(
      [
        [a.itemId, 2],
        [b.itemId, 1],
      ].sort(),
    );
    expect(r.body.data.receiver).toMatchObject({ name: 'a测试aa', state: '浙江省', mobile_phone: '' });
    const cart = await t.get<{ shopList: { items: { id: string }[] }[] }>(t.sub, '/open/cart/list');
    expect(cart.body.data.shopList.flatMap((s) => s.items.map((i) => i.id))).toEqual([kept]);
  });

  it('answers the same order to a retry whose first reply was lost (the records already ordered)', async () => {
    const [a] = t.skus as [Sku];
    const ids = [await add(t.sub, a)];
    const first = await createOrder(t.sub, { ids, orderAddress: RECEIVER }, { 'idempotency-key': 't26-lost' });
    expect(first.body.code, first.text).toBe(200);
    // The process died after recording the order and before storing the reply for the key.
    await t.server.deps.database.db.deleteFrom('idempotency_keys').where('idem_key', '=', 't26-lost').execute();
    const retried = await createOrder(t.sub, { ids, orderAddress: RECEIVER }, { 'idempotency-key': 't26-lost' });
    expect(retried.body.code, retried.text).toBe(200);
    expect(retried.body.data.orderId).toBe(first.body.data.orderId);
  });

  it('answers the documented example with 40401 (its records are not the caller’s), never 40001', async () => {
    expectCode(await createOrder(t.dev, T26_EXAMPLE), 40401);
  });

  it('answers 40401 for another sub-account’s or developer’s records, before looking at the address', async () => {
    const [a] = t.skus as [Sku];
    const siblings = await add(t.sibling, a);
    for (const who of [t.sub, t.dev, t.other]) {
      expectCode(await createOrder(who, { ids: [siblings], orderAddress: RECEIVER }), 40401);
      expectCode(await createOrder(who, { ids: [siblings], orderAddress: { ...RECEIVER, name: '' } }), 40401);
    }
    expect(await cartTotal(t.sibling)).toBe(1);
  });

  it('answers 40001 naming the field, and leaves the cart as it was', async () => {
    const [, b] = t.skus as [Sku, Sku];
    const id = await add(t.sibling, b);
    const before = await cartTotal(t.sibling);
    const cases: [Record<string, unknown>, string][] = [
      [{ orderAddress: RECEIVER }, 'ids'],
      [{ ids: [], orderAddress: RECEIVER }, 'ids'],
      [{ ids: ['x'], orderAddress: RECEIVER }, 'ids[0]'],
      [{ ids: [id] }, 'orderAddress'],
      [{ ids: [id], orderAddress: { ...RECEIVER, name: null } }, 'orderAddress.name'],
      [{ ids: [id], orderAddress: { ...RECEIVER, city: '' } }, 'orderAddress.city'],
      [{ ids: [id], orderAddress: { ...RECEIVER, email: 'a@b.c' } }, 'orderAddress.email'],
      [{ ids: [id], orderAddress: RECEIVER, purchaseAmount: 1 }, 'purchaseAmount'],
    ];
    for (const [body, field] of cases) expectCode(await createOrder(t.sibling, body), 40001, field);
    expect(await cartTotal(t.sibling)).toBe(before);
  });

  it('answers 42202 when a record is beyond the stock, and 50201 when the marketplace fails; the cart stays', async () => {
    const [, , c] = t.skus as [Sku, Sku, Sku];
    const id = await add(t.other, c, 1);
    await t.server.admin('PUT', `/sandbox/taobao/goods/${c.itemId}/stock`, { stock: 0, skuId: c.skuId });
    expectCode(await createOrder(t.other, { ids: [id], orderAddress: RECEIVER }), 42202);
    await t.server.admin('PUT', `/sandbox/taobao/goods/${c.itemId}/stock`, { stock: 500, skuId: c.skuId });
    await t.server.admin('PUT', '/sandbox/faults/createOrder', { errorRate: 1 });
    expectCode(await createOrder(t.other, { ids: [id], orderAddress: RECEIVER }), 50201);
    expect(await cartTotal(t.other)).toBe(1);
    await t.server.admin('DELETE', '/sandbox/faults');
    const key = `t26-${Date.now()}`;
    const one = await createOrder(t.other, { ids: [id], orderAddress: RECEIVER }, { 'idempotency-key': key });
    expect(one.body.code, one.text).toBe(200);
    const two = await createOrder(t.other, { ids: [id], orderAddress: RECEIVER }, { 'idempotency-key': key });
    expect(two.body.data.orderId).toBe(one.body.data.orderId);
    expect(await cartTotal(t.other)).toBe(0);
  });
});
